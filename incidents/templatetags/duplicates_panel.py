"""Assisted-coding pieces for admin pages: the possible-duplicates panel of an incident."""

from django import template

from incidents.coding import duplicates

register = template.Library()


@register.inclusion_tag("incidents/coding/_duplicates_panel.html", takes_context=True)
def duplicates_panel(context, incident):
    """Likely duplicates of `incident`, with merge / not-a-duplicate buttons the user may use."""
    user = context["request"].user
    rows = duplicates.review_rows(incident, user, quick=True)
    return {"incident": incident, "rows": rows, "can_decide": user.has_perm("incidents.add_duplicatedecision"),
            "request": context["request"], "csrf_token": context.get("csrf_token")}
