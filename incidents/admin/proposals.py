"""The admin's list of proposed changes to public records, and each one's page: before → after of
every field, approve, or reject with a reason (rules in incidents.review.proposals)."""

from django.contrib import admin, messages
from django.contrib.gis.db.models import GeometryField
from django.core.exceptions import PermissionDenied
from django.db.models import ManyToManyField
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incidents.admin.history import NOTHING, human
from incidents.common.lookalikes import visible
from incidents.common.reader_text import reader_list
from incidents.models.proposals import ProposedChange
from incidents.review import proposals, public_records
from incidents.review.differences import marked
from incidents.review.geometry_changes import measured
from incidents.review.workflow import can_review


def shown(field, value):
    """A stored (serialized) value as people read it: names for ids, labels for choices, a point in
    degrees, an outline by its size and extent; characters that hide or imitate others by code point."""
    if isinstance(field, ManyToManyField):
        objects = field.related_model._base_manager.filter(pk__in=value or [])
        return reader_list(sorted(str(obj) for obj in objects)) or NOTHING
    value = proposals.deserialize(field, value)
    if isinstance(field, GeometryField) and value is not None and value.geom_type != "Point":
        x0, y0, x1, y1 = value.extent
        return _("an outline of %(count)d points within %(south).4f–%(north).4f N, %(west).4f–%(east).4f E") % {
            "count": value.num_coords, "south": y0, "north": y1, "west": x0, "east": x1}
    return visible(human(field, value))  # invisible and look-alike characters as [U+0435]


def rows(proposal, record):
    """One row per proposed field: label, before and after (differences marked) and what the record
    holds now when it changed since the proposal."""
    model = proposal.record_model
    result = []
    for name, change in proposal.changes.items():
        field = model._meta.get_field(name)
        before, after = marked(shown(field, change["before"]), shown(field, change["after"]))
        now = None
        if record is not None and name in proposals.stale_fields(proposal, record):
            now = shown(field, proposals.serialize(field, record))
        measures = ""
        if isinstance(field, GeometryField):
            measures = measured(proposals.deserialize(field, change["before"]),
                                proposals.deserialize(field, change["after"]))
        result.append({"label": proposals.field_label(field), "before": before, "after": after, "now": now,
                       "measured": measures})
    return result


class RecordKindFilter(admin.SimpleListFilter):
    """The kinds of records proposals are about (not every content type of the site)."""

    title = gettext_lazy("kind of record")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(model._meta.model_name, capfirst(model._meta.verbose_name_plural))
                for model in public_records.PUBLIC_RECORD_MODELS]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(content_type__app_label="incidents", content_type__model=self.value())
        return queryset


@admin.register(ProposedChange)
class ProposedChangeAdmin(admin.ModelAdmin):
    """Reviewers see every proposal; anyone else on the staff sees their own (and why one was rejected).
    Nothing here is edited as a form: a proposal is decided with the page's two buttons."""

    list_display = ["record_label", "kind", "fields_changed", "proposed_by", "proposed_at", "status",
                    "decided_by"]
    list_filter = ["status", RecordKindFilter]
    list_select_related = ["content_type", "proposed_by", "decided_by"]
    search_fields = ["record_label", "note"]

    @admin.display(description=gettext_lazy("kind of record"))
    def kind(self, obj):
        return capfirst(obj.record_model._meta.verbose_name)

    @admin.display(description=gettext_lazy("fields"))
    def fields_changed(self, obj):
        return reader_list(proposals.field_label(obj.record_model._meta.get_field(name)) for name in obj.changes)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return proposals.visible_to(request.user, queryset)

    def changelist_view(self, request, extra_context=None):
        # Where reviewers look for work: the pending ones first, unless a status was chosen.
        if not request.GET and can_review(request.user):
            return HttpResponseRedirect(f"{request.path}?status__exact=pending")
        return super().changelist_view(request, extra_context)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (
            obj is None or can_review(request.user) or obj.proposed_by_id == request.user.pk)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        proposal = get_object_or_404(self.get_queryset(request), pk=object_id if str(object_id).isdigit() else None)
        if request.method == "POST":
            return self._decide(request, proposal)
        record = proposal.record()
        model = proposal.record_model
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "proposal": proposal,
            "title": _("Proposed change to %(kind)s “%(record)s”") % {"kind": model._meta.verbose_name,
                                                                     "record": proposal.record_label},
            "rows": rows(proposal, record), "record": record,
            "may_decide": proposals.may_decide(request.user, proposal),
            "record_url": record and reverse(f"admin:incidents_{model._meta.model_name}_change", args=[record.pk]),
        }
        if proposal.status == proposal.Status.PENDING and not context["may_decide"]:
            try:
                proposals.check_decider(request.user, proposal)
            except proposals.ProposalRefused as refused:
                context["why_not"] = refused.message
        return TemplateResponse(request, "admin/incidents/proposedchange/decide.html", context)

    def _decide(self, request, proposal):
        try:
            if "_approve" in request.POST:
                proposals.approve(proposal, request.user)
                messages.success(request, _("Approved: the public now sees the change to “%(record)s”.")
                                 % {"record": proposal.record_label})
            elif "_reject" in request.POST:
                proposals.reject(proposal, request.user, request.POST.get("rejection_reason", ""))
                messages.success(request, _("Rejected: “%(record)s” stays as it was.")
                                 % {"record": proposal.record_label})
            else:
                raise PermissionDenied
        except proposals.ProposalRefused as refused:
            messages.error(request, refused.message)
            return HttpResponseRedirect(request.path)
        return HttpResponseRedirect(reverse("admin:incidents_proposedchange_changelist") + "?status__exact=pending")
