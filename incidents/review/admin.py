"""The analyst workflow in the incident admin: status buttons, bulk review actions, locked edits.

Every status change goes through incidents.review.workflow; this module only turns its answers
into buttons, per-row messages and redirects.
"""

import re

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incidents.common.dates import reader_day
from incidents.common.reader_text import incident_ref_text, reader_list
from incidents.models import Evidence, Incident
from incidents.models.double_coding import visible_evidence
from incidents.review import decision_pages, four_eyes, workflow
from incidents.review.queues import to_review
from incidents.review.forms import EvidenceForm, IncidentForm, RejectionForm, evidence_from_selection

MAX_NAMED_ROWS = 20  # refused rows named one by one in messages; more are counted
# The change form's workflow buttons post the whole form with one of these: "submit", "approve",
# "approve+next" (then the next incident of the review queue), "reject", "reopen".
WORKFLOW_BUTTON = "_workflow"
WORKFLOW_REASON = "_workflow_reason"
VERSION_PATTERN = re.compile(r"[0-9]{1,9}")  # an incident version as a page posts it
SEEN = "_seen"  # what the page showed (four_eyes.token): an approval applies only to that


class WorkflowRefused(Exception):
    """A workflow button pressed with the form: the step was refused after the form was saved,
    so the whole save is rolled back and the form shown again with `message`."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def pressed_step(request):
    """(step name, then) from a workflow button in the posted form, or (None, "")."""
    if request.method != "POST" or WORKFLOW_BUTTON not in request.POST:
        return None, ""
    name, _, then = request.POST[WORKFLOW_BUTTON].partition("+")
    return name, then


class EvidenceInlineMixin:
    """Evidence rows keep their quotes exactly as cut from the article, and each links back
    to its place in the article, highlighted."""

    form = EvidenceForm

    def get_queryset(self, request):
        # An article being double-coded lists only your own quotes (models.double_coding.hidden_from).
        return visible_evidence(super().get_queryset(request), request.user)

    def get_fields(self, request, obj=None):
        return [*super().get_fields(request, obj), "place_in_article"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "place_in_article"]

    @admin.display(description=gettext_lazy("In the article"))
    def place_in_article(self, evidence):
        if not evidence.pk:
            return "—"
        url = reverse("admin:incidents_article_change", args=[evidence.article_id])
        text = _("Show in the article text (characters %(start)s–%(end)s)") % {"start": evidence.start,
                                                                               "end": evidence.end}
        return format_html('<a class="evidence-link" href="{}#evidence-{}">{}</a>', url, evidence.pk, text)


class EvidenceEditsMixin:
    """Evidence saved or deleted on this page (the evidence list, or the article's evidence rows)
    is an edit of its incident: a published one goes back to review, as on the incident page."""

    # The incident goes back to review *before* its evidence is written, so that its history (and so
    # ?as_of=) never shows the published incident with evidence no reviewer approved.

    def save_model(self, request, obj, form, change):
        if isinstance(obj, Evidence) and differs_from_stored(obj):
            self.evidence_edited(request, [obj])
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        if isinstance(obj, Evidence):
            self.evidence_edited(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        """The list's "Delete selected" action: every incident that loses a quote goes back to review."""
        if queryset.model is Evidence:
            self.evidence_edited(request, list(queryset))
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        if formset.model is Evidence:
            self.evidence_edited(request, really_changed(formset))
        super().save_formset(request, form, formset, change)

    def evidence_edited(self, request, evidence):
        """Each incident the quotes belong to, and the one a moved quote leaves (its stored incident)."""
        ids = {e.incident_id for e in evidence}
        ids |= set(Evidence.objects.filter(pk__in=[e.pk for e in evidence if e.pk]).values_list("incident_id", flat=True))
        for incident in Incident.objects.filter(pk__in=ids):
            workflow.record_related_edit(incident, request.user)


def differs_from_stored(record):
    """Whether saving `record` changes its stored row: a new record, or any editable field differs.
    (A form's has_changed() is not enough: posting a page back unchanged is not an edit.)"""
    if record.pk is None:
        return True
    fields = [f for f in type(record)._meta.concrete_fields if f.editable and not f.primary_key]
    stored = type(record)._base_manager.filter(pk=record.pk).values(*[f.attname for f in fields]).first()
    return stored is None or any(getattr(record, f.attname) != stored[f.attname] for f in fields)


def really_changed(formset):
    """The rows a validated inline formset's save adds, deletes or changes: nothing for a page posted
    back unchanged. Call before the formset is saved."""
    deleted = [form.instance for form in formset.deleted_forms if form.instance.pk]
    changed = [form.instance for form in formset.forms
               if form not in formset.deleted_forms and form.has_changed() and differs_from_stored(form.instance)]
    return deleted + changed


def saved_and_done(step_name):
    """The translated message after "save and <step>" on the incident page, with %(incident)s."""
    return {
        "submit": _("Incident %(incident)s saved and submitted for review."),
        "approve": _("Incident %(incident)s saved and approved."),
        "reject": _("Incident %(incident)s saved and rejected."),
        "reopen": _("Incident %(incident)s saved and returned to draft."),
    }[step_name]


def incident_label(incident):
    return f"{incident_ref_text(incident.pk)} {incident}"


def describe_incident(incident):
    """[(label, value)] of what the bulk approval page shows of `incident` (four_eyes.shown fingerprints
    these and every other content field)."""
    def names(actors):
        return ", ".join(str(actor) for actor in actors) or "—"
    quotes = [f"“{e.quote}” — {e.article} ({e.article.source})"
              for e in incident.evidence.select_related("article__source").order_by("pk")]
    return [(_("Date"), reader_day(incident.date, incident.date_end)),
            (_("Event type"), f"{incident.event_type} / {incident.sub_event_type}"),
            (_("Location"), incident.location),
            (_("Point"), f"{incident.point.y:.5f}, {incident.point.x:.5f}" if incident.point else "—"),
            (_("Place"), str(incident.place or "—")),
            (_("Governorate"), str(incident.admin1 or "—")), (_("District"), str(incident.admin2 or "—")),
            (_("Actor 1"), str(incident.actor1 or "—")),
            (_("Associated actors 1"), names(incident.assoc_actors_1.all())),
            (_("Actor 2"), str(incident.actor2 or "—")),
            (_("Associated actors 2"), names(incident.assoc_actors_2.all())),
            (_("Fatalities"), str(incident.fatalities)), (_("Notes"), incident.notes or "—"),
            (_("Evidence"), "\n".join(quotes) or incident.source_text or "—")]


def next_to_review(user, after):
    """The change page of the next incident in `user`'s review queue (oldest change first), or the queue."""
    following = to_review(user).exclude(pk=after.pk).order_by("updated_at", "pk").first()
    if following is None:
        return reverse("work-review")
    return reverse("admin:incidents_incident_change", args=[following.pk])


class IncidentWorkflowMixin:
    form = IncidentForm
    actions = ["submit_selected", "approve_selected", "reject_selected"]

    # -- the edit form: workflow fields are read-only, the version travels hidden --
    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + [f for f in workflow.WORKFLOW_FIELDS if f not in fields]

    def get_fieldsets(self, request, obj=None):
        return [*super().get_fieldsets(request, obj), (None, {"fields": ["loaded_version"], "classes": ["hidden"]})]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, "_workflow_refusal", None)
        if refusal is None and pressed_step(request)[0] is None:
            return form
        # The step is checked again after saving (inside the same transaction); a refusal from
        # there comes back here as the form's error, with everything the analyst typed.
        return type(form.__name__, (form,), {"workflow_step": pressed_step(request)[0],
                                              "workflow_refusal": refusal})

    def get_changeform_initial_data(self, request):
        # Coding from an article: its publication date is only an upper bound of the event's, so no day
        # is filled in (the page says when the article was published; the analyst picks day and precision).
        return super().get_changeform_initial_data(request)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        # Only on GET: on POST the quote must count as entered, or an untouched pre-filled
        # row would be dropped as "unchanged".
        if request.method == "GET" and inline.model is Evidence and obj.pk is None:
            prefill = evidence_from_selection(request.GET)
            if prefill:
                kwargs["initial"] = [prefill]
        return kwargs

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        seen = self.seen_for(request, pressed_step(request)[0])
        # No snapshot at all is refused by workflow.apply, after its other rules (permission first).
        if change and seen is not None and seen is not four_eyes.NOTHING_SHOWN:
            # Before this request writes anything (it may post back quotes or values changed since the page
            # was read): the approval applies only to what the page showed. The rows stay locked till the end.
            if stale := four_eyes.stale_refusal(seen, obj):
                raise WorkflowRefused(f"Nothing saved, and not approved: {stale} Your changes are still in the "
                                      "form below.")
        if change:
            form.save_edit(request.user)
        else:
            workflow.start_coding(obj, request.user)
            obj.save()

    def save_related(self, request, form, formsets, change):
        # Back to review before the evidence rows are written (EvidenceEditsMixin says why).
        if change and any(really_changed(formset) for formset in formsets):
            workflow.record_related_edit(form.instance, request.user)
        super().save_related(request, form, formsets, change)
        name, _ = pressed_step(request)
        step = workflow.TRANSITIONS.get(name)
        if step and form.instance.status == step.target == workflow.Status.DRAFT:
            return  # editing a rejected incident already returned it to draft, as "Return to draft" asks
        if change and name is not None:
            # Same transaction as the save above (changeform_view is atomic): a refusal undoes both.
            try:
                workflow.apply(name, form.instance, request.user, reason=request.POST.get(WORKFLOW_REASON, ""),
                               expected_version=form.instance.version, seen=self.seen_for(request, name),
                               not_duplicate_of=decision_pages.not_duplicate(request))
            except workflow.WorkflowError as error:
                raise WorkflowRefused(f"Nothing saved, and not {step.done if step else 'changed'}: {error.message} "
                                      "Your changes are still in the form below.") from None

    @staticmethod
    def seen_for(request, name):
        """What the page showed (four_eyes.shown) when the step is an approval (NOTHING_SHOWN: refused)."""
        if name != "approve":
            return None
        try:
            return four_eyes.read_token(request.POST.get(SEEN, ""))
        except four_eyes.BadToken:
            return four_eyes.NOTHING_SHOWN

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except WorkflowRefused as refused:
            # Rolled back: show the posted form again, with the refusal as its error.
            request._workflow_refusal = refused.message
            return super().changeform_view(request, object_id, form_url, extra_context)

    def response_change(self, request, obj):
        name, then = pressed_step(request)
        if name is None:
            return super().response_change(request, obj)
        step = workflow.TRANSITIONS[name]
        messages.success(request, saved_and_done(name) % {"incident": incident_label(obj)})
        if then == "next":
            return HttpResponseRedirect(next_to_review(request.user, after=obj))
        return HttpResponseRedirect(reverse("admin:incidents_incident_change", args=[obj.pk]))

    def response_add(self, request, obj, post_url_continue=None):
        article_id = request.GET.get("evidence_article", "")
        if article_id.isdigit() and not {"_continue", "_addanother", "_popup"} & set(request.POST):
            messages.success(request, f"Incident {incident_label(obj)} saved as a draft. Submit it for review when "
                                      "it is complete.")
            url = reverse("admin:incidents_article_change", args=[article_id])
            return HttpResponseRedirect(f"{url}#incident-{obj.pk}")
        return super().response_add(request, obj, post_url_continue)

    def add_view(self, request, form_url="", extra_context=None):
        prefill = evidence_from_selection(request.GET)
        return super().add_view(request, form_url, {**(extra_context or {}), "coding_from": prefill})

    # -- the review panel on the change page --
    def change_view(self, request, object_id, form_url="", extra_context=None):
        incident = self.get_object(request, unquote(object_id))
        if incident is not None:
            extra_context = {**(extra_context or {}), **self.review_panel_context(request, incident)}
        return super().change_view(request, object_id, form_url, extra_context)

    def review_panel_context(self, request, incident):
        steps, blocked = [], {}  # why: [verbs it blocks]
        for step in workflow.TRANSITIONS.values():
            try:
                workflow.check(step.name, incident, request.user, reason="(asked on the button)")
            except workflow.WorkflowError as error:
                if incident.status in step.sources and request.user.has_perm(step.permission):
                    blocked.setdefault(error.message, []).append(step.verb)
            else:
                steps.append(step)
        # What the approval will apply to: this page's content and the records it shows, as they are now.
        seen = four_eyes.token(four_eyes.shown(incident)) if any(s.name == "approve" for s in steps) else ""
        return {"workflow_steps": steps, "incident": incident, "workflow_seen": seen, "workflow_seen_name": SEEN,
                "duplicates_confirm_name": decision_pages.CONFIRM,  # the template's duplicates_holding tag lists them
                "duplicates_confirmed": decision_pages.not_duplicate(request) if request.method == "POST" else set(),
                "workflow_reason": request.POST.get(WORKFLOW_REASON, "") if request.method == "POST" else "",
                "workflow_blocked": [(" or ".join(verbs), why) for why, verbs in blocked.items()],
                "workflow_url": reverse("admin:incidents_incident_workflow", args=[incident.pk])}

    def get_urls(self):
        return [path("<path:object_id>/workflow/", self.admin_site.admin_view(self.workflow_view),
                     name="incidents_incident_workflow"), *super().get_urls()]

    def workflow_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        incident = self.get_object(request, unquote(object_id))
        if incident is None or not self.has_view_or_change_permission(request, incident):
            raise PermissionDenied
        name, version = request.POST.get("step", ""), request.POST.get("version", "")
        if not VERSION_PATTERN.fullmatch(version):
            # Without the version read, a decision could land on content nobody looked at.
            return HttpResponseBadRequest("version: the incident version the page showed (a whole number) "
                                          "is required.", content_type="text/plain")
        seen = None
        if name == "approve":
            try:
                seen = four_eyes.read_token(request.POST.get(SEEN, ""))
            except four_eyes.BadToken:
                # Without what the page showed, an approval could publish records renamed since.
                return HttpResponseBadRequest(f"{SEEN}: what the incident's page showed (sent with its form) is "
                                              "required to approve it.", content_type="text/plain")
        try:
            step = workflow.transition(name)
            workflow.apply(name, incident, request.user, reason=request.POST.get("reason", ""),
                           expected_version=int(version), seen=seen,
                           not_duplicate_of=decision_pages.not_duplicate(request))
        except workflow.WorkflowError as error:
            messages.error(request, f"Not done: {error.message}")
        else:
            messages.success(request, f"Incident {incident_label(incident)} {step.done}.")
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            back = reverse("admin:incidents_incident_change", args=[incident.pk])
        return HttpResponseRedirect(back)

    # -- bulk actions: the same rules per row, and every refusal named with its reason --
    def has_submit_permission(self, request):
        return workflow.can_submit(request.user)

    def has_review_permission(self, request):
        return workflow.can_review(request.user)

    def apply_to_selected(self, request, name, queryset, reason="", seen_of=None, not_duplicate_of=None):
        step = workflow.TRANSITIONS[name]
        result = workflow.apply_to_many(name, queryset.order_by("pk"), request.user, reason=reason, seen_of=seen_of,
                                        not_duplicate_of=not_duplicate_of)
        if result.done:
            messages.success(request, f"{step.done.capitalize()}: {len(result.done)} incident(s): "
                                      f"{reader_list(incident_ref_text(i.pk) for i in result.done)}.")
        for incident, why in result.refused[:MAX_NAMED_ROWS]:
            messages.error(request, f"Not {step.done}: {incident_label(incident)}: {why}")
        if len(result.refused) > MAX_NAMED_ROWS:
            messages.error(request, f"… and {len(result.refused) - MAX_NAMED_ROWS} more refused for the same "
                                    "kinds of reasons; filter the list by status to see them.")

    @admin.action(description="Submit selected incidents for review", permissions=["submit"])
    def submit_selected(self, request, queryset):
        self.apply_to_selected(request, "submit", queryset)

    @admin.action(description="Approve and publish selected incidents", permissions=["review"])
    def approve_selected(self, request, queryset):
        # First a page showing each incident as it is now; the approval applies only to what it showed.
        if not decision_pages.confirmed(request):
            return decision_pages.confirmation_page(
                request, self, queryset, action="approve_selected", title=_("Approve and publish incidents"),
                intro=_("The public will see these incidents as shown here, with these actors, places and quotes. If "
                        "one changes before you confirm, it is not approved and you are told what changed; one not "
                        "in review, or coded or edited by you, is refused and named afterwards."),
                button=_("Approve and publish these incidents"), describe=describe_incident,
                check_duplicates=True)
        self.apply_to_selected(request, "approve", queryset, seen_of=decision_pages.seen_of(request, queryset),
                               not_duplicate_of=decision_pages.not_duplicate_of(request, queryset))

    @admin.action(description="Reject selected incidents (asks for a reason)", permissions=["review"])
    def reject_selected(self, request, queryset):
        form = RejectionForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self.apply_to_selected(request, "reject", queryset, reason=form.cleaned_data["reason"])
            return None
        context = {**self.admin_site.each_context(request), "title": "Reject incidents", "form": form,
                   "incidents": queryset.order_by("pk"), "opts": self.model._meta,
                   "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME}
        return TemplateResponse(request, "admin/incidents/incident/reject_selected.html", context)
