"""The admin's bulk decisions that make records public (approving incidents, listing places): a page
shows each selected record as it is now and carries what it showed (incidents.review.four_eyes), and the
decision is taken, row by row, only on what that page showed."""

from django.contrib import admin
from django.template.response import TemplateResponse

from incidents.review import duplicate_guard, four_eyes

NOT_CHECKED = {}  # confirmation_page's `duplicates` for records that have no duplicate check (places)
SEEN = "_seen_"  # + the record's id: the signed four_eyes.shown snapshot the confirmation page showed


def confirmed(request):
    """Whether the request is the confirmation page's post (else the page is to be shown)."""
    return request.POST.get("apply") == "yes"


def seen_of(request, queryset):
    """{id: four_eyes.shown snapshot} of the selected records the confirmation page showed; a record
    with no snapshot, or an altered one, is left out (its decision is refused)."""
    found = {}
    for pk in queryset.values_list("pk", flat=True):
        try:
            found[pk] = four_eyes.read_token(request.POST.get(f"{SEEN}{pk}", ""))
        except four_eyes.BadToken:
            continue
    return found


def not_duplicate_of(request, queryset):
    """{id: ids of the likely duplicates the page's reviewer confirmed as different events} of the
    selected incidents (duplicate_guard.CONFIRM + "_" + id, one value per ticked candidate)."""
    return {pk: duplicate_guard.confirmed_ids(request.POST.getlist(confirm_field(pk)))
            for pk in queryset.values_list("pk", flat=True)}


def confirm_field(pk):
    """The posted name of record `pk`'s "not a duplicate" boxes on a bulk approval's page."""
    return f"{duplicate_guard.CONFIRM}_{pk}"


def confirmation_page(request, modeladmin, queryset, *, action, title, intro, button, describe,
                      duplicates=NOT_CHECKED):
    """The page that shows each selected record (`describe(record)`: [(label, value)]) with its
    snapshot, posting `action` again when confirmed. `duplicates`: {id: [coding.duplicates.Candidate]}
    that hold each incident's approval (duplicate_guard.holding_of_many; None: the check took too
    long; left out: records that have none), named on the page with a "not a duplicate" box each."""
    rows = [{"pk": record.pk, "heading": str(record), "lines": describe(record),
             "duplicates": (duplicates or {}).get(record.pk, []), "confirm_field": confirm_field(record.pk),
             "seen": four_eyes.token(four_eyes.shown(record))} for record in queryset.order_by("pk")]
    context = {**modeladmin.admin_site.each_context(request), "title": title, "intro": intro, "button": button,
               "duplicates_timed_out": duplicates is None,
               "rows": rows, "action": action, "opts": modeladmin.model._meta,
               "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME}
    return TemplateResponse(request, "admin/incidents/confirm_decision.html", context)
