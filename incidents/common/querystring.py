"""Links that change one or two query parameters and keep the rest of the view."""

from urllib.parse import urlencode

from django.http import QueryDict


def link_with(params, **changes):
    """"?…" for the current parameters with `changes` applied (None removes one); always back to page 1
    unless a page is given, since a changed view has different pages."""
    query = params.copy() if isinstance(params, QueryDict) else QueryDict(mutable=True)
    query.pop("page", None)
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = str(value)
    return f"?{query.urlencode()}"


def links_with(params, *names):
    """A function of keyword values for `names` giving link_with(params, **values), the same string,
    with the unchanged parameters encoded once: the timeline links each of its ~120 bars to its dates,
    and copying and urlencoding the QueryDict per bar was ~8 ms of an uncached dashboard page (issue
    18 target 2). Values must not be None (link_with removes those)."""
    query = params.copy() if isinstance(params, QueryDict) else QueryDict(mutable=True)
    query.pop("page", None)
    for name in names:
        query[name] = ""  # keeps an existing parameter's place, else comes last, as in link_with
    # Each parameter encoded as QueryDict.urlencode does it, in the same order: fixed text, or a name.
    parts = [(None, name) if name in names else (_encoded(query, name), None) for name in query]
    parts = [part for part in parts if part != ("", None)]  # a parameter with no values writes nothing

    def link(**values):
        return "?" + "&".join(text if text is not None else
                              urlencode({name.encode(query.encoding): str(values[name]).encode(query.encoding)})
                              for text, name in parts)

    return link


def _encoded(query, name):
    alone = QueryDict(mutable=True, encoding=query.encoding)
    alone.setlist(name, query.getlist(name))
    return alone.urlencode()
