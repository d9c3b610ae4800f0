"""The admin's bulk decisions that make records public (approving incidents, listing places): a page
shows each selected record as it is now and carries what it showed (incidents.review.four_eyes), and the
decision is taken, row by row, only on what that page showed."""

from django.contrib import admin
from django.template.response import TemplateResponse

from incidents.review import four_eyes

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


# Posted with an approval: the id of each likely duplicate the reviewer confirmed as a different event
# (coding.duplicate_guard). A bulk approval's page posts CONFIRM + "_" + the incident's id per incident.
CONFIRM = "_not_duplicate"


def confirmed_ids(values):
    """The incident ids among posted CONFIRM values (strings); anything else is ignored (only ids of
    likely duplicates found at decision time ever count)."""
    return {int(value) for value in values if value.isascii() and value.isdigit() and len(value) < 19}


def not_duplicate(request):
    """confirmed_ids of the change page's CONFIRM boxes (empty when none was ticked)."""
    return confirmed_ids(request.POST.getlist(CONFIRM))


def not_duplicate_of(request, queryset):
    """{id: confirmed_ids} of the selected incidents' boxes on a bulk approval's page."""
    return {pk: confirmed_ids(request.POST.getlist(confirm_field(pk)))
            for pk in queryset.values_list("pk", flat=True)}


def confirm_field(pk):
    """The posted name of record `pk`'s "not a duplicate" boxes on a bulk approval's page."""
    return f"{CONFIRM}_{pk}"


def confirmation_page(request, modeladmin, queryset, *, action, title, intro, button, describe,
                      check_duplicates=False):
    """The page that shows each selected record (`describe(record)`: [(label, value)]) with its
    snapshot, posting `action` again when confirmed. With `check_duplicates` (incidents), each also
    names the likely duplicates that hold its approval, with a "not a duplicate" box each."""
    rows = [{"pk": record.pk, "record": record, "heading": str(record), "lines": describe(record),
             "confirm_field": confirm_field(record.pk),
             "seen": four_eyes.token(four_eyes.shown(record))} for record in queryset.order_by("pk")]
    context = {**modeladmin.admin_site.each_context(request), "title": title, "intro": intro, "button": button,
               "check_duplicates": check_duplicates,
               "rows": rows, "action": action, "opts": modeladmin.model._meta,
               "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME}
    return TemplateResponse(request, "admin/incidents/confirm_decision.html", context)
