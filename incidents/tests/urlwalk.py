"""Every URL pattern of the project as concrete URLs, for the access, XSS and fuzz tests.

Patterns are read from the URL resolver, so routes other areas add later are
walked too. Arguments are filled with ids of objects the test created; a new
kind of argument makes the walk fail loudly instead of skipping the route.
"""

import itertools
import re
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, get_resolver

from incidents.models import Article, Incident, Place, Snapshot
from incidents.models.double_coding import DoubleCoding

# Routes anyone may open; everything else needs a login.
PUBLIC_PREFIXES = ("incidents/", "api/", "export/", "healthz", "snapshots/", "embed/")
ANONYMOUS_ADMIN_ROUTES = {"admin/login/"}
# Public routes that only take a POST (a GET is answered 405): making a snapshot.
POST_ONLY_ROUTES = {"snapshots/"}
# <conv:name>, <name>, (?P<name>body) or an unnamed (body) group.
ARGUMENT = re.compile(r"<(?:\w+:)?(?P<name>\w+)>"
                      r"|\(\?P<(?P<regex_name>\w+)>(?P<body>[^)]*)\)"
                      r"|\((?P<unnamed>[^)?][^)]*)\)")
# The word before an id argument outside the admin names the model: articles/<int:pk>/.
MODEL_BY_SEGMENT = {"articles": Article, "incidents": Incident, "duplicates": Incident, "place": Place,
                    "snapshots": Snapshot, "double-coding": DoubleCoding}


@dataclass(frozen=True)
class Route:
    template: str  # e.g. "incidents/<int:pk>/"
    name: str | None

    @property
    def is_admin(self):
        return self.template.startswith("admin/")

    @property
    def is_public(self):
        return self.template == "" or self.template.startswith(PUBLIC_PREFIXES)

    @property
    def takes_arguments(self):
        return bool(ARGUMENT.search(self.template))


def routes():
    def walk(patterns, prefix):
        for entry in patterns:
            template = prefix + str(entry.pattern).replace("^", "").replace("$", "").replace("\\Z", "")
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, template)
            else:
                yield Route(template, entry.name)

    return list(dict.fromkeys(walk(get_resolver().url_patterns, "")))


def admin_model(route):
    found = re.match(r"admin/(\w+)/(\w+)/", route.template)
    if not found:
        return None
    try:
        return apps.get_model(found.group(1), found.group(2))
    except LookupError:
        return None


def _objects(model, preferred):
    if model is Incident:
        return preferred
    first = model._default_manager.order_by("pk").first()
    return [first] if first else []


def _latest_history_id(instance):
    history = getattr(instance, "history", None)
    latest = history.order_by("-history_id").first() if history is not None else None
    return latest.history_id if latest else 999999


def concrete_urls(route, incidents):
    """URLs for one route; `incidents` are the incidents whose ids fill incident arguments."""
    arguments = [match.group("name") or match.group("regex_name") or f"_{index}"
                 for index, match in enumerate(ARGUMENT.finditer(route.template), start=1)]
    if not arguments:
        return ["/" + route.template]
    model = admin_model(route)
    choices = []
    for index, match in enumerate(ARGUMENT.finditer(route.template), start=1):
        values = _values(route, arguments[index - 1], match, model, incidents)
        # A second argument only needs a few values: the first one already tries them all.
        choices.append(values if index == 1 or model is not None else values[:2] + values[-1:])
    urls = []
    for combination in itertools.product(*choices):
        # An admin object and its history id go together: keep combinations of one object.
        objects = {value[0] for value in combination if isinstance(value, tuple)}
        if len(objects) > 1:
            continue
        values = iter(str(value[1]) if isinstance(value, tuple) else str(value) for value in combination)
        urls.append("/" + ARGUMENT.sub(lambda _: next(values), route.template))
    return urls


def _values(route, name, match, model, incidents):
    """The values to try for one argument; (object key, value) pairs tie values to one object."""
    if match.group("body") and "|" in match.group("body"):
        return match.group("body").split("|")  # e.g. (?P<app_label>auth|axes|incidents)
    if name == "url":
        return ["no-such-page/"]
    if name == "content_type_id":
        return [ContentType.objects.get_for_model(Incident).pk]
    if model is not None and name in ("object_id", "id", "_1"):
        return [(obj.pk, obj.pk) for obj in _objects(model, incidents)] or [999999]
    if model is not None and name in ("history_id", "version_id", "_2"):
        return [(obj.pk, _latest_history_id(obj)) for obj in _objects(model, incidents)] or [999999]
    if name == "object_id":  # view_on_site: admin/r/<content_type_id>/<object_id>/
        return [incident.pk for incident in incidents]
    if name == "key":
        return ["no-such-suggestion"]
    segment = route.template[:match.start()].rstrip("/").rsplit("/", 1)[-1]
    if segment in MODEL_BY_SEGMENT:
        found = MODEL_BY_SEGMENT[segment]
        ids = [incident.pk for incident in incidents] if found is Incident else list(
            found.objects.order_by("pk").values_list("pk", flat=True)[:2])
        return ids + [max(ids, default=0) + 1000]  # and a guessed id that does not exist
    raise AssertionError(f"urlwalk does not know what to put in <{name}> of “{route.template}”: "
                         "teach incidents/tests/urlwalk.py (MODEL_BY_SEGMENT or _values).")
