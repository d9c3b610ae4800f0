"""Analyst forms: the incident edit form that never loses an update, and the rejection reason."""

import json

from django import forms
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext

from incidents.common.typology import SUB_EVENT_TYPES, TimePrecision, reader_term
from incidents.models import Article, Evidence, Incident
from incidents.review import conflicts, where, workflow
from incidents.review.locking import current_version, save_checked

PUBLISHED_EDIT_WARNING = ("This incident is published. Saving a change takes it off the public site until another "
                          "reviewer approves it again.")


class IncidentForm(forms.ModelForm):
    """Carries the version the analyst opened; a save based on an older version is refused.

    On refusal `conflict` holds what changed (field by field, from history), the form takes
    over the other person's value wherever this analyst had left a field alone, and the hidden
    version moves on, so saving again is a deliberate merge rather than an overwrite.
    """

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1)
    workflow_step = None  # set by the admin when a workflow button posted the form
    workflow_refusal = None  # the workflow's refusal of that step, shown as this form's error
    coordinates = forms.CharField(required=False, max_length=100, help_text=where.COORDINATES_HELP,
                                  label="Coordinates")
    confirm_warnings = forms.BooleanField(required=False, label="Save anyway: I have checked the warnings")

    class Meta:
        model = Incident
        exclude = workflow.WORKFLOW_FIELDS  # changed only through incidents.review.workflow

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        self.warnings = []
        self._offer_what_is_known()
        if self.instance.pk:
            # The stored version, not the instance's: a history revert starts from an old copy.
            self.fields["loaded_version"].initial = current_version(self.instance.pk)
            record = getattr(self.instance, "_history", None)
            if record is not None:
                self._initial_m2m_from(record)

    def _offer_what_is_known(self):
        """Choices that say only what is known: ACLED's sub-event types grouped by event type, no
        precision assumed for a new incident, and a point that may come from a place or typed text."""
        if "sub_event_type" in self.fields:
            self.fields["sub_event_type"].choices = [("", "---------")] + [
                (reader_term(event_type), [(sub, reader_term(sub)) for sub in subs])  # Arabic on Arabic pages
                for event_type, subs in SUB_EVENT_TYPES.items()]
            # By value, for the page script: the group labels are translated (found by a newcomer:
            # on Arabic pages no group matched the event type, so no sub-event type could be chosen).
            self.fields["sub_event_type"].widget.attrs["data-sub-event-types"] = json.dumps(
                {event_type: list(subs) for event_type, subs in SUB_EVENT_TYPES.items()})
        if "time_precision" in self.fields and not self.instance.pk:
            self.fields["time_precision"].choices = [("", gettext("— choose how precisely the date is known —")),
                                                     *TimePrecision.choices]
            self.initial.setdefault("time_precision", None)
        for name in ("point", "location"):
            if name in self.fields:
                self.fields[name].required = False  # a chosen place fills them (clean); else required there
        if self.instance.pk and self.instance.point is not None:
            self.initial.setdefault("coordinates", where.format_coordinates(self.instance.point))

    def _initial_m2m_from(self, record):
        for name in ("assoc_actors_1", "assoc_actors_2"):
            if name in self.fields:
                self.initial[name] = conflicts.value_of(record, Incident._meta.get_field(name))

    def clean(self):
        cleaned = super().clean()
        if self.workflow_refusal:
            raise ValidationError(self.workflow_refusal, code="workflow_refused")
        if self.instance.pk:
            self._check_version(cleaned)
        self._place(cleaned)
        self._warn(cleaned)
        return cleaned

    def _place(self, cleaned):
        """Typed coordinates move the point; a chosen place fills what is still empty, and its point
        too when the place changed but the point did not."""
        if "coordinates" in self.changed_data and cleaned.get("coordinates"):
            try:
                cleaned["point"] = where.parse_coordinates(cleaned["coordinates"])
            except where.BadCoordinates as bad:
                self.add_error("coordinates", str(bad))
        place = cleaned.get("place")
        if place is not None:
            point_moved = {"point", "coordinates"} & set(self.changed_data)
            filled = where.from_place(place)
            if cleaned.get("point") is None or ("place" in self.changed_data and not point_moved):
                cleaned["point"], cleaned["geo_precision"] = filled["point"], filled["geo_precision"]
            for name in ("location", "admin1", "admin2"):
                if name in self.fields and not cleaned.get(name):
                    cleaned[name] = filled[name]
        for name, missing in (("point", "Choose a place, click the map or type coordinates."),
                              ("location", "Name the place as coded, or choose a place.")):
            if name in self.fields and not cleaned.get(name) and name not in self.errors:
                self.add_error(name, missing)

    def _warn(self, cleaned):
        """Warnings the analyst confirms before saving (a far point, a published incident edited)."""
        if self.errors:
            return
        # Only areas chosen in this form: untouched ones are derived again from a moved point (fill_admin_areas).
        chosen_areas = [cleaned.get(name) for name in ("admin1", "admin2") if name in self.changed_data]
        warnings = where.location_warnings(cleaned.get("point"), cleaned.get("place"), chosen_areas)
        if self.instance.pk and Incident.objects.published().filter(pk=self.instance.pk).exists() and \
                set(self.changed_data) - {"confirm_warnings", "loaded_version"}:
            warnings.append(PUBLISHED_EDIT_WARNING)
        if warnings and not cleaned.get("confirm_warnings"):
            self.warnings = warnings
            raise ValidationError(["Not saved yet:", *warnings,
                                   "Correct it, or tick “Save anyway” and save again."], code="warnings")

    def _check_version(self, cleaned):
        opened = cleaned.get("loaded_version")
        if opened is None:
            raise ValidationError("This form lacks the version it was opened at: reload the page and edit again.")
        if current_version(self.instance.pk, lock=True) != opened:
            yours = {name: cleaned.get(name) for name in self.fields if name != "loaded_version"
                     and name in {f.name for f in Incident._meta.get_fields()}}
            self.conflict, current = conflicts.conflict_since(self.instance.pk, opened, yours)
            self._take_their_values(current)
            raise ValidationError(self.conflict.summary(), code="edit_conflict")

    def _take_their_values(self, current):
        data = self.data.copy()
        data[self.add_prefix("loaded_version")] = str(self.conflict.current_version)
        for change in self.conflict.taken:
            field = self.fields[change.name]
            value = field.prepare_value(conflicts.value_of(current, Incident._meta.get_field(change.name)))
            put_form_value(data, self.add_prefix(change.name), field, value)
        self.data = data

    def save_edit(self, user, other_changes=False):
        """Save an edit of an existing incident under the workflow's edit rules and the version check."""
        incident = self.save(commit=False)
        # The stored row, not has_changed(): a page posted back unchanged is not an edit (the point's
        # widget and the form's own fields can differ from their initial values without any change).
        many = [f.name for f in incident._meta.many_to_many if f.name in self.changed_data]
        changed = other_changes or bool(many) or workflow.content_differs(incident)
        with transaction.atomic():
            workflow.prepare_edit(incident, user, content_changed=changed)
            if changed:  # an unchanged save would only invalidate other analysts' open forms
                save_checked(incident, self.cleaned_data["loaded_version"])
        return incident


def put_form_value(data, key, field, value):
    """Write a Python value into POST-like data the way the field's widget would have posted it."""
    if isinstance(field, forms.BooleanField):
        data[key] = "on" if value else ""
    elif isinstance(value, (list, tuple)):  # several choices (array fields prepare a string)
        values = [str(v) for v in value]
        if hasattr(data, "setlist"):  # a QueryDict, as posted
            data.setlist(key, values)
        else:
            data[key] = values
    elif isinstance(value, GEOSGeometry):
        data[key] = value.geojson
    else:
        data[key] = "" if value is None else str(value)


class EvidenceForm(forms.ModelForm):
    # Not stripped: the quote must equal the article text at its offsets, spaces included.
    quote = forms.CharField(strip=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
                            label=capfirst(Evidence._meta.get_field("quote").verbose_name),
                            help_text=Evidence._meta.get_field("quote").help_text)

    class Meta:
        model = Evidence
        fields = "__all__"


class RejectionForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}), strip=True,
        help_text="The coder sees this in “My work”: say what to fix (e.g. “fatalities: the article says at "
                  "least 7, not 30”).")


def evidence_from_selection(params):
    """Initial evidence for an incident coded from selected article text, or None.

    `params` carry evidence_article, evidence_start and evidence_end (character offsets);
    the quote is cut from the stored text, trimmed of surrounding white space.
    """
    try:
        article = Article.objects.get(pk=int(params.get("evidence_article", "")))
        start, end = int(params.get("evidence_start", "")), int(params.get("evidence_end", ""))
    except (ValueError, Article.DoesNotExist):
        return None
    if not 0 <= start < end <= len(article.text):
        return None
    quote = article.text[start:end]
    start += len(quote) - len(quote.lstrip())
    quote = quote.strip()
    if not quote:
        return None
    return {"article": article, "quote": quote, "start": start, "end": start + len(quote)}
