"""Admin pages of records the public sees: a save becomes a proposal for a second reviewer
(incidents.review.public_records says which records, incidents.review.proposals how)."""

from django import forms
from django.contrib import admin
from django.contrib import messages
from django.contrib.admin.actions import delete_selected
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from incidents.common.reader_text import incident_ref_text, reader_list
from incidents.review import decision_pages as decisions
from incidents.review import public_records
from incidents.review.workflow import can_review
from incidents.review.proposals import pending_for_record, proposable_fields, propose, same_value, serialize, \
    serialize_value, visible_to, waiting_message

NOTE = "proposal_note"
PROPOSED = "_proposed_change"  # request attribute: the proposal this request stored, or None
HELD = "_public_record_held"  # request attribute: the record the public sees was not saved by this request


def with_note(form_class):
    """The record's form plus an optional note for the reviewer who will decide the proposal."""
    return type(form_class.__name__, (form_class,), {
        NOTE: forms.CharField(label=gettext_lazy("Note for the second reviewer"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=gettext_lazy("Optional: why this change is right (a source, a spelling).")),
        "__module__": form_class.__module__})


class PublicRecordAdminMixin:
    """For the ModelAdmins of actors, articles, outlets, places and admin areas.

    Saving a record the public sees stores the changed fields as a pending proposal and leaves the
    record as it is (its inlines, such as an article's evidence, are saved as usual: editing them
    sends the incident back to review); a second reviewer applies it. A record the public does not
    see is saved directly. A record the public sees is never deleted from the admin (see REFUSAL).
    Restoring an old version from the History page goes through save_model too, so it is a proposal
    as well. (simple_history's restore saves many-to-many values itself; none of these models has one:
    aliases and variants are arrays.)
    """

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None and public_records.shown_publicly(obj):
            kwargs["form"] = with_note(kwargs.get("form", self.form))
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        setattr(request, PROPOSED, None)
        setattr(request, HELD, False)
        if change:
            # Lock the row before asking whether the public sees it: a decision that is publishing it (an
            # approval, a listing) holds this lock, so the answer below is the one after that decision.
            list(type(obj)._base_manager.select_for_update().filter(pk=obj.pk).values_list("pk", flat=True))
        if not (change and public_records.shown_publicly(obj)):
            return super().save_model(request, obj, form, change)
        # Compared with the stored record, not only the form's changed_data: restoring an old version
        # from the history page posts a form whose initial values are that version's.
        model, stored = type(obj), type(obj)._base_manager.get(pk=obj.pk)
        after = {}
        for field in proposable_fields(model):
            if field.many_to_many:
                if field.name in form.changed_data:
                    after[field.name] = serialize_value(field, form.cleaned_data[field.name])
            elif not same_value(field, obj, stored):
                after[field.name] = serialize(field, obj)
        proposal = propose(obj, after, request.user, form.cleaned_data.get(NOTE, ""))
        proposed = {f.name for f in proposable_fields(model)}
        own = [f.name for f in model._meta.concrete_fields
               if f.editable and f.name not in proposed and not same_value(f, obj, stored)]
        if own:  # the analysts' own bookkeeping (an article's coding status): saved directly
            for name in own:
                field = model._meta.get_field(name)
                setattr(stored, field.attname, getattr(obj, field.attname))
            stored.save(update_fields=own)
        setattr(request, PROPOSED, proposal)
        setattr(request, HELD, True)
        if proposal:
            messages.warning(request, waiting_message())

    def save_related(self, request, form, formsets, change):
        if not getattr(request, HELD, False):
            return super().save_related(request, form, formsets, change)
        # The record's many-to-many values are part of the proposal: only the inlines are saved.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def log_change(self, request, obj, message):
        if proposal := getattr(request, PROPOSED, None):
            message = _("Proposed change %(number)s, waiting for a second reviewer") % {
                "number": incident_ref_text(proposal.pk)}
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if getattr(request, PROPOSED, None) is None:
            return super().response_change(request, obj)
        if "_popup" in request.POST:  # the incident form's select shows the name the record still has
            obj.refresh_from_db()
            return super().response_change(request, obj)
        # Not "changed successfully": the record's page again, with the values the public still sees.
        return HttpResponseRedirect(reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change",
                                            args=[obj.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and request.method == "GET" and public_records.shown_publicly(obj):
            waiting = visible_to(request.user, pending_for_record(obj))
            if waiting.exists():
                url = reverse("admin:incidents_proposedchange_changelist") + "?" + urlencode(
                    {"kind": obj._meta.model_name, "object_id": obj.pk, "status__exact": "pending"})
                messages.info(request, format_html('{} <a href="{}">{}</a>', public_records.NOTICE, url,
                                                   ngettext("%(count)d proposed change waits for a second reviewer.",
                                                            "%(count)d proposed changes wait for a second reviewer.",
                                                            waiting.count()) % {"count": waiting.count()}))
            else:
                messages.info(request, public_records.NOTICE)
        return super().change_view(request, object_id, form_url, extra_context)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if obj is None:  # the changelist's bulk deletion: for reviewers, and it refuses public rows itself
            return allowed and public_records.may_delete_any(request.user)
        return allowed and not public_records.shown_publicly(obj)

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        # Those who may not delete such records at all get the usual 403; the others are told why not.
        if obj is not None and super().has_delete_permission(request, obj) and public_records.shown_publicly(obj):
            messages.error(request, f"{public_records.REFUSAL}.")
            return HttpResponseRedirect(reverse(
                f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]))
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _func, name, description = actions["delete_selected"]
            actions["delete_selected"] = (delete_unless_public, name, description)
        return actions


def delete_unless_public(modeladmin, request, queryset):
    """The bulk deletion, refused (nothing deleted) when any selected row is a record the public sees."""
    public = [str(record) for record in queryset if public_records.shown_publicly(record)]
    if public:
        modeladmin.message_user(request, _("Nothing was deleted. %(reason)s: %(names)s.") % {
            "reason": public_records.REFUSAL, "names": reader_list(public[:20]) + (" …" if len(public) > 20 else "")},
            messages.ERROR)
        return None
    return delete_selected(modeladmin, request, queryset)


delete_unless_public.allowed_permissions = ("delete",)


class AddedUnlistedMixin:
    """For places: one added in the admin is not public (map labels, searches, the four-eyes rule) until
    an approved incident uses it (Place.objects.public) or a second reviewer lists it (the action below,
    through a page showing each place: the listing applies only to what that page showed);
    the gazetteer's and the demo's are listed."""

    actions = ["list_selected_publicly"]

    def has_review_permission(self, request):
        """Listing is a reviewer's decision, as approving an incident that names the place is: Reviewers
        may list places although only Administrators add and change them (the demo's one Administrator
        could not have a place listed at all)."""
        return can_review(request.user)

    @admin.action(description=gettext_lazy("List the selected places publicly (a second reviewer)"),
                  permissions=["review"])
    def list_selected_publicly(self, request, queryset):
        # First a page showing each place as it is now; the listing applies only to what it showed.
        if not decisions.confirmed(request):
            return decisions.confirmation_page(
                request, self, queryset, action="list_selected_publicly", title=_("List places publicly"),
                intro=_("The public map and searches will name these places as shown here. If one changes before "
                        "you confirm, it is not listed and you are told what changed."),
                button=_("List these places publicly"), describe=public_records.describe_place)
        seen = decisions.seen_of(request, queryset)
        problems = [problem for place in queryset
                    if (problem := public_records.list_publicly(place, request.user, seen.get(place.pk)))]
        for problem in problems[:20]:
            self.message_user(request, problem, messages.ERROR)
        if len(problems) < queryset.count():
            self.message_user(request, _("The other selected places are listed publicly."), messages.SUCCESS)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.listed = False
            messages.info(request, public_records.ADDED_UNLISTED)
        return super().save_model(request, obj, form, change)


class LoadedOnlyMixin:
    """For admin areas: the public map draws every outline and the district filter lists every area, so
    one is added only by the operator's load_boundaries, never by one person in the admin."""

    def has_add_permission(self, request):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        messages.error(request, public_records.AREAS_ARE_LOADED)
        return HttpResponseRedirect(reverse("admin:incidents_adminarea_changelist"))
