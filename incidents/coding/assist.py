"""Assisted coding for one article: its suggestions, which are already coded, and accepting one.

Suggestions are recomputed from the text and the dictionaries each time (they are cheap and
deterministic), so nothing half-accepted is ever stored. An accepted suggestion becomes a
DRAFT incident coded by the analyst who accepted it, with the suggestion's sentences as
evidence, and then goes through the normal review workflow like any other draft.
"""

from django import forms
from django.db import transaction

from incidents.coding.suggest.extraction import suggest_incidents
from incidents.coding.suggest.learned import current_model
from incidents.common.dates import DayField, DayInput
from incidents.common.typology import sub_event_type_problem
from incidents.models import Evidence, Incident
from incidents.models.double_coding import visible_evidence, visible_to, without_hidden_records
from incidents.review import workflow

SESSION_KEY = "assist-discarded"


def coded_incidents(article, user):
    """Incidents coded from `article` that `user` may see (a double-coded article: only their own)."""
    return visible_to(Incident.objects.filter(evidence__article=article, merged_into__isnull=True), user).distinct()


# The suggestions read at most this many characters of an article: their time grows with the length
# (~0.5 ms a word), and an attacker session's 120 kB article held a worker past its timeout. A news report
# is a few thousand characters; the rest of a longer text is coded by hand (the page says so).
READ_CHARACTERS = 40_000


def read_part(text):
    """The part of `text` (str) the suggestions read: all of it, or its first READ_CHARACTERS characters cut
    at the last paragraph or sentence end before them (so evidence offsets stay those of the article)."""
    if len(text) <= READ_CHARACTERS:
        return text
    head = text[:READ_CHARACTERS]
    cut = max(head.rfind("\n"), head.rfind(". "), head.rfind("۔"), head.rfind("؟"))
    return head[:cut + 1] if cut > READ_CHARACTERS // 2 else head


def suggestions_for(article, user, lexicon=None):
    """Suggested incidents of the part of `article` the suggestions read (read_part)."""
    known = [(i.date, i.date_end, i.time_precision) for i in coded_incidents(article, user)]
    return suggest_incidents(read_part(article.text), lexicon, article.published_on, known, model=current_model())


def find(suggestions, key):
    return next((s for s in suggestions if s.key == key), None)


def already_coded(article, suggestions, user):
    """Suggestion key -> an incident `user` may see coded from the same sentences with the same sub-event type."""
    spans = {}
    for evidence in visible_evidence(Evidence.objects.filter(article=article, incident__merged_into__isnull=True),
                                     user).select_related("incident"):
        spans.setdefault(evidence.incident_id, (evidence.incident, []))[1].append((evidence.start, evidence.end))
    found = {}
    for suggestion in suggestions:
        for incident, ranges in spans.values():
            if incident.sub_event_type != suggestion.event_type.value[1]:
                continue
            if any(s is not None and s < end and start < e for s, e in ranges for start, end, _ in
                   suggestion.evidence):
                found[suggestion.key] = incident
                break
    return found


def discarded(session, article):
    return set(session.get(SESSION_KEY, {}).get(str(article.pk), []))


def discard(session, article, key):
    store = session.get(SESSION_KEY, {})
    store[str(article.pk)] = sorted(set(store.get(str(article.pk), [])) | {key})
    session[SESSION_KEY] = store


def restore(session, article):
    store = session.get(SESSION_KEY, {})
    store.pop(str(article.pk), None)
    session[SESSION_KEY] = store


class SuggestionForm(forms.ModelForm):
    """The analyst's corrections to a suggestion before it becomes a draft incident."""

    class Meta:
        model = Incident
        fields = ["event_type", "sub_event_type", "actor1", "assoc_actors_1", "actor2", "assoc_actors_2", "place",
                  "geo_precision", "date", "date_end", "time_precision", "fatalities", "fatalities_low",
                  "fatalities_high", "injured", "civilian_targeting", "notes"]
        # The one day input of every form (common.dates): a date picker, ISO, any digits.
        field_classes = {"date": DayField, "date_end": DayField}
        widgets = {"date": DayInput, "date_end": DayInput,
                   "notes": forms.Textarea(attrs={"rows": 3}),
                   "assoc_actors_1": forms.SelectMultiple(attrs={"size": 3}),
                   "assoc_actors_2": forms.SelectMultiple(attrs={"size": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Another coder's new actors and places stay out of the lists until both codings are in.
        for name in ("actor1", "assoc_actors_1", "actor2", "assoc_actors_2", "place"):
            field = self.fields[name]
            field.queryset = without_hidden_records(field.queryset, user)
        self.fields["place"].required = True
        self.fields["place"].queryset = self.fields["place"].queryset.select_related("admin1")
        self.fields["place"].label_from_instance = lambda p: f"{p.name} ({p.admin1 or 'no governorate'})"
        self.fields["sub_event_type"].help_text = "Must belong to the event type."

    def clean(self):
        cleaned = super().clean()
        place = cleaned.get("place")
        if place is not None:
            # The incident is placed at the gazetteer point, with its governorate and district.
            self.instance.point, self.instance.location = place.point, place.name
            self.instance.admin1, self.instance.admin2 = place.admin1, place.admin2
        event_type, sub_event_type = cleaned.get("event_type"), cleaned.get("sub_event_type")
        if problem := sub_event_type_problem(event_type, sub_event_type):
            self.add_error("sub_event_type", problem)
        return cleaned


def _saved(value):
    """A learned actor or place not in the dictionaries yet is shown in the reasons, not preselected."""
    return value if value is None or value.pk is not None else None


def initial_values(suggestion):
    numbers = suggestion.casualties.value
    date = suggestion.date.value or (None, None, None)
    event_type, sub_event_type = suggestion.event_type.value
    return {
        "event_type": event_type, "sub_event_type": sub_event_type,
        "actor1": _saved(suggestion.actor1.value), "actor2": _saved(suggestion.actor2.value),
        "assoc_actors_1": suggestion.assoc_actors_1, "assoc_actors_2": suggestion.assoc_actors_2,
        "place": _saved(suggestion.place.value), "geo_precision": suggestion.geo_precision,
        "date": date[0], "date_end": date[1], "time_precision": date[2] or Incident._meta.get_field(
            "time_precision").default,
        "fatalities": numbers.fatalities, "fatalities_low": numbers.fatalities_low,
        "fatalities_high": numbers.fatalities_high, "injured": numbers.injured,
        "civilian_targeting": suggestion.civilian_targeting,
        "notes": summary(suggestion),
    }


def summary(suggestion):
    """A first draft of the incident summary, for the analyst to rewrite."""
    _, sub_event_type = suggestion.event_type.value
    who = " against ".join(str(f.value) for f in (suggestion.actor1, suggestion.actor2) if f.value)
    where = f" at {suggestion.place.value}" if suggestion.place.value else ""
    numbers = suggestion.casualties.value
    toll = f"; {numbers.fatalities} killed" if numbers.fatalities else ""
    if numbers.fatalities_high and numbers.fatalities_high != numbers.fatalities:
        toll += f" (up to {numbers.fatalities_high} killed or wounded)"
    if numbers.injured:
        toll += f"; {numbers.injured} wounded"
    return f"{sub_event_type}{where}: {who or 'actors to be coded'}{toll}."


def form_for(suggestion, user, data=None):
    """The correction form of `suggestion` for `user` (whose view of actors and places it lists)."""
    return SuggestionForm(data, prefix=suggestion.key, initial=initial_values(suggestion),
                          instance=Incident(status=Incident.Status.DRAFT), user=user)


def accept(article, suggestion, form, user):
    """Create the draft incident and its evidence from a valid form. Returns the incident."""
    with transaction.atomic():
        incident = form.save(commit=False)
        workflow.start_coding(incident, user)
        incident.source_text = article.source.name
        incident._change_reason = f"Accepted a suggestion from article #{article.pk}"
        incident.save()
        form.save_m2m()
        for start, end, quote in suggestion.evidence:
            evidence = Evidence(incident=incident, article=article, quote=quote, start=start, end=end)
            evidence.full_clean()
            evidence._history_user = user
            evidence._change_reason = "Evidence of an accepted suggestion"
            evidence.save()
    return incident
