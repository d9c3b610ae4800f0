"""Assisted-coding pieces for admin pages: the possible-duplicates panel of an incident."""

from django import template

from incidents.coding import duplicate_guard, duplicates

register = template.Library()


@register.inclusion_tag("incidents/coding/_duplicates_panel.html", takes_context=True)
def duplicates_panel(context, incident):
    """Likely duplicates of `incident`, with merge / not-a-duplicate buttons the user may use."""
    user = context["request"].user
    rows = duplicates.review_rows(incident, user, quick=True)
    return {"incident": incident, "rows": rows, "can_decide": user.has_perm("incidents.add_duplicatedecision"),
            "request": context["request"], "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("admin/incidents/incident/_duplicates_holding.html", takes_context=True)
def duplicates_holding(context, incident, field, form_id="", confirmed=()):
    """The likely duplicates that hold `incident`'s approval (coding.duplicate_guard), each with a
    "publish anyway: not a duplicate" box posted as `field` (in the form `form_id` when outside it;
    ticked when its id is in `confirmed`)."""
    found = duplicate_guard.holding_of_many([incident], context["request"].user)
    return {"holding": None if found is None else found.get(incident.pk, []), "subject": incident.pk,
            "field": field, "form_id": form_id, "confirmed": confirmed}


@register.simple_tag(takes_context=True)
def mark_holding_duplicates(context, incidents):
    """Sets `duplicates_holding` ([Candidate]) on each of `incidents` (a queue's page) with one bounded
    check; returns True when the check took too long (nothing is marked then)."""
    found = duplicate_guard.holding_of_many(list(incidents), context["request"].user)
    for incident in incidents:
        incident.duplicates_holding = (found or {}).get(incident.pk, [])
    return found is None
