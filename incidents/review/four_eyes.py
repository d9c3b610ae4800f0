"""The rules every second person's decision shares: no one person changes what the public sees.

Decisions that make something public: approving an incident (its change page's buttons, the review
panel's form, the list's bulk action), approving a proposed change to a public record
(incidents.review.proposals), listing a place publicly (incidents.review.public_records). Rejections
and settling a double coding (incidents.review.double_coding: the chosen incident then goes to review)
use the same "who may decide" rule.

- Who: `second_person_refusal(user, authors, own)`: never one of the authors, and never someone whose
  account one of the authors created in the admin (`account_maker`): a second account would be the
  same person.
- Who, too: `unpublished_edits_refusal(user, rows)`: never someone (nor one whose account they made)
  who changed a record the decision would make public while the public did not see it. Such edits are
  saved directly, without a proposal (incidents.review.public_records), because a second person's
  approval publishes them: that second person must not be the editor.
- What: a decision applies only to what its page showed. `shown(record)` is that, as fingerprints of
  the values: an incident's content and the names, points and texts of the records it shows (actors,
  place, admin areas, evidence quotes, their articles and outlets); a place itself. The page sends
  `token(shown(record))`; at decision time `stale_refusal(read_token(sent), record)` compares it with
  the rows, locked until the transaction ends, and names what changed. Proposals store the values the
  proposer saw ("before") and compare them with `fields_changed` too.
"""

import hashlib
import json

from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.db.models import GeometryField
from django.core import signing
from django.db.models import Q
from django.utils.translation import gettext as _

from incidents.models import Actor, AdminArea, Article, Evidence, Incident, Place, Source
from incidents.models.incident import WORKFLOW_FIELDS
from incidents.review.public_reach import shown_publicly
from incidents.review.values import field_label, proposable_fields, serialize

SALT = "incidents.review.four_eyes.shown"
MAX_NAMED = 10  # changed records named in a refusal; more are counted


def _account_additions(user_ids):
    """The admin's "added" log entries of the accounts with ids `user_ids`."""
    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(get_user_model()),
                                   object_id__in=[str(pk) for pk in user_ids], action_flag=ADDITION)


def account_maker(user):
    """Who created `user`'s account in the admin (its "added" log entry), or None (a command made it)."""
    entry = _account_additions([user.pk]).select_related("user").order_by("action_time").first()
    return entry.user if entry else None


def second_person_refusal(user, authors, own):
    """(why `user` may not decide on the work of `authors` (user ids), or "", `user`'s account maker or None).

    `own` is the caller's words for "you did this work". The account-maker part is the rule for every
    second-person decision: whoever created `user`'s account could otherwise decide on their own work
    through it. The maker is returned so the decision's history can name them."""
    maker = account_maker(user)
    if user.pk in authors:
        return own, maker
    if maker is not None and maker.pk in authors:
        return (_("%(maker)s created your account and worked on this, so another reviewer must decide on it "
                  "(four-eyes rule).") % {"maker": maker.get_username()}), maker
    # And the other way round: the work of an account `user` created could be `user`'s own (an attacker
    # session proposed a merge through such an account and confirmed it as its maker).
    made = _account_additions(authors).filter(user=user).values_list("object_id", flat=True).first()
    if made is not None:
        return (_("You created the account of %(author)s, who worked on this, so another reviewer must decide on "
                  "it (four-eyes rule).") % {"author": get_user_model().objects.get(pk=made).get_username()}), maker
    return "", maker


def _editors(row):
    """Ids of the users whose history records created `row` or changed a field a decision shows
    (`_shown_fields`): saves that changed nothing shown, a listing say, are not edits."""
    records = list(row.history.order_by("-history_date", "-history_id"))
    fields = _shown_fields(type(row))
    ids = set()
    for newer, older in zip(records, records[1:] + [None]):
        if older is None or newer.history_type == "+" or newer.diff_against(older, included_fields=fields).changes:
            ids.add(newer.history_user_id)
    return ids - {None}


def unpublished_edits_refusal(user, rows):
    """"" or why `user` may not make `rows` public (records_shown's rows: an approval's, a listing's).

    Records the public does not see yet are saved directly (incidents.review.public_records): the
    person whose approval publishes them is the second pair of eyes, so it may not be anyone who
    created or changed one of them (history records: `_editors`), nor one whose account such a person
    made (second_person_refusal). A record the public sees now is skipped: its changes were proposals a
    second reviewer approved. When a record the public no longer sees stopped being public is not
    recorded, so its whole history counts (erring towards refusal). The incident and its evidence are
    the workflow's (workflow.contributors). Raises nothing; reads each unpublished record's history."""
    edited = [(row, ids) for row in rows if not isinstance(row, (Incident, Evidence)) and not shown_publicly(row)
              and (ids := _editors(row))]
    if not edited:
        return ""
    maker = account_maker(user)
    for who, text in (
            (user, _("You changed %(records)s, which the public does not see yet and this decision would make "
                     "public, so another reviewer must approve it (four-eyes rule).")),
            (maker, _("%(maker)s created your account and changed %(records)s, which the public does not see "
                      "yet and this decision would make public, so another reviewer must approve it (four-eyes "
                      "rule)."))):
        named = [f"{row._meta.verbose_name} “{str(row)[:120]}”" for row, ids in edited
                 if who is not None and who.pk in ids]
        if named:
            return text % {"records": "; ".join(named[:MAX_NAMED]) + (" …" if len(named) > MAX_NAMED else ""),
                           "maker": maker.get_username() if maker else ""}
    return ""


def unpublished_edits_refusals(user, incidents):
    """{incident id: why} for the incidents of queryset `incidents` that `unpublished_edits_refusal`
    refuses `user` to approve (records_shown of each): the queue's and the buttons' one rule.

    Cheap when `user` (and whoever made their account) changed none of the records an incident shows:
    their history rows are read first, and only incidents showing one of those records are judged."""
    maker = account_maker(user)
    who = {user.pk} | ({maker.pk} if maker is not None else set())
    edited = {model: set(model.history.filter(history_user__in=who).values_list("id", flat=True).distinct())
              for model in (Actor, Place, Article, Source)}
    if not any(edited.values()):
        return {}
    actors = edited[Actor]
    showing = (Q(actor1__in=actors) | Q(actor2__in=actors) | Q(assoc_actors_1__in=actors)
               | Q(assoc_actors_2__in=actors) | Q(place__in=edited[Place]) | Q(evidence__article__in=edited[Article])
               | Q(evidence__article__source__in=edited[Source]))
    return {incident.pk: why for incident in incidents.filter(showing).distinct().order_by("pk")
            if (why := unpublished_edits_refusal(user, records_shown(incident)))}


def fingerprint(value):
    """16 hex characters of SHA-256 over a serialized value's canonical JSON (values.serialize)."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def fields_changed(seen, record):
    """The names in `seen` ({field name: fingerprint of its serialized value}) whose value `record` no
    longer holds, in `seen`'s order: the one "changed since someone looked" comparison."""
    return [name for name, printed in seen.items()
            if fingerprint(serialize(record._meta.get_field(name), record)) != printed]


def _shown_fields(model):
    """The fields of `model` a decision shows: an incident's content (not its review state); for the
    records an incident shows, those a change of which waits for a second reviewer, outlines aside
    (admin areas' are loaded by the operator, change only by proposal, and weigh megabytes)."""
    if model is Incident:
        fields = [*Incident._meta.concrete_fields, *Incident._meta.many_to_many]
        return [f.name for f in fields if f.editable and not f.primary_key and f.name not in WORKFLOW_FIELDS]
    if model is Evidence:
        return ["article", "quote", "start", "end"]
    return [f.name for f in proposable_fields(model)
            if not (isinstance(f, GeometryField) and f.geom_type.upper() != "POINT")]


def _rows(model, ids, lock):
    queryset = model._base_manager.filter(pk__in={pk for pk in ids if pk is not None}).order_by("pk")
    outlines = [f.name for f in model._meta.concrete_fields if f.name not in _shown_fields(model)
                and isinstance(f, GeometryField)]
    queryset = queryset.defer(*outlines)
    return list(queryset.select_for_update(of=("self",)) if lock else queryset)


def records_shown(record, lock=False):
    """The rows a decision on `record` (an Incident or a Place) shows, `record`'s own first; locked
    (SELECT … FOR UPDATE, until the transaction ends) with `lock`."""
    if isinstance(record, Place):
        return _rows(Place, [record.pk], lock)
    incident = _rows(Incident, [record.pk], lock)
    if not incident:
        return []
    incident = incident[0]
    evidence = list(Evidence._base_manager.filter(incident=incident.pk).order_by("pk"))
    if lock:
        evidence = list(Evidence._base_manager.filter(pk__in=[e.pk for e in evidence]).order_by("pk")
                        .select_for_update())
    actors = {incident.actor1_id, incident.actor2_id,
              *incident.assoc_actors_1.values_list("pk", flat=True),
              *incident.assoc_actors_2.values_list("pk", flat=True)}
    articles = _rows(Article, {e.article_id for e in evidence}, lock)
    return [incident, *evidence, *_rows(Actor, actors, lock), *_rows(Place, [incident.place_id], lock),
            *_rows(AdminArea, [incident.admin1_id, incident.admin2_id, incident.admin3_id], lock),
            *articles, *_rows(Source, {a.source_id for a in articles}, lock)]


def _key(row):
    return f"{row._meta.model_name}:{row.pk}"


def _fields_seen(row):
    return {name: fingerprint(serialize(row._meta.get_field(name), row)) for name in _shown_fields(type(row))}


def shown(record):
    """What a decision page on `record` shows: {"<model>:<pk>": [label, {field name: fingerprint}]}."""
    return {_key(row): [str(row)[:120], _fields_seen(row)] for row in records_shown(record)}


def token(seen):
    """`seen` (from `shown`) as the signed text a decision page sends back with its form."""
    return signing.dumps(seen, salt=SALT, compress=True)


# A decision posted without what its page showed (an old page, a hand-made post): refused, after the
# other rules have had their say.
NOTHING_SHOWN = {"": ["", {}]}


class BadToken(ValueError):
    """A posted token this site did not sign (or none): the decision cannot say what was shown."""


def read_token(text):
    """The `shown` snapshot a page sent; raises BadToken for a missing, altered or malformed one."""
    try:
        seen = signing.loads(text or "", salt=SALT)
    except signing.BadSignature as error:
        raise BadToken(str(error)) from None
    if not (isinstance(seen, dict) and all(isinstance(v, list) and len(v) == 2 and isinstance(v[1], dict)
                                           for v in seen.values())):
        raise BadToken("not a record of what a page showed")
    return seen


def _kind(key):
    model = apps.get_model("incidents", key.partition(":")[0])
    return model, model._meta.verbose_name


def changes_since(seen, record):
    """How the rows a decision on `record` shows differ from `seen` (a `shown` snapshot), read with the
    rows locked: ["actor “X”: name, aliases", "evidence “…” was removed", …] in the reader's language."""
    now = {_key(row): row for row in records_shown(record, lock=True)}
    changes = []
    for key, (label, fields) in seen.items():
        model, kind = _kind(key)
        if key not in now:
            changes.append(_("%(kind)s “%(record)s” is no longer there") % {"kind": kind, "record": label})
        elif names := fields_changed(fields, now[key]):
            changes.append(_("%(kind)s “%(record)s”: %(fields)s") % {
                "kind": kind, "record": label,
                "fields": ", ".join(str(field_label(model._meta.get_field(name))) for name in names)})
    for key, row in now.items():
        if key not in seen:
            changes.append(_("%(kind)s “%(record)s” was added") % {"kind": _kind(key)[1], "record": str(row)[:120]})
    return changes


def stale_refusal(seen, record):
    """"" when the rows a decision on `record` shows still hold what `seen` says the page showed; else a
    refusal naming what changed. Call inside the decision's transaction: the rows stay locked."""
    if seen is NOTHING_SHOWN:
        return _("The page did not say what it showed you: reload it and decide again.")
    changes = changes_since(seen, record)
    if not changes:
        return ""
    named = "; ".join(changes[:MAX_NAMED]) + (" …" if len(changes) > MAX_NAMED else "")
    return _("Changed since you opened it (%(changes)s): nothing was decided. Reload the page, check the "
             "changes and decide again.") % {"changes": named}
