"""Links that change one or two query parameters and keep the rest of the view."""

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
