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


def confirmation_page(request, modeladmin, queryset, *, action, title, intro, button, describe):
    """The page that shows each selected record (`describe(record)`: [(label, value)]) with its
    snapshot, posting `action` again when confirmed."""
    rows = [{"pk": record.pk, "heading": str(record), "lines": describe(record),
             "seen": four_eyes.token(four_eyes.shown(record))} for record in queryset.order_by("pk")]
    context = {**modeladmin.admin_site.each_context(request), "title": title, "intro": intro, "button": button,
               "rows": rows, "action": action, "opts": modeladmin.model._meta,
               "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME}
    return TemplateResponse(request, "admin/incidents/confirm_decision.html", context)
