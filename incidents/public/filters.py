"""The one FilterSet behind the map, timeline, table and exports.

Every public view builds its queryset through `filtered_incidents(request.GET)`,
so the same query string always selects the same incidents everywhere.
"""


import django_filters
from django import forms
from django.db.models import Q, Sum
from django.http import QueryDict

from incidents.common.params import BadParameters
from incidents.common.plausible_dates import implausible
from incidents.common.typology import SUB_EVENT_TYPES, EventType, GeoPrecision, TimePrecision, sub_event_type_problem
from incidents.models import Actor, ActorCount, AdminArea, Incident
from incidents.models.incident import overlapping_dates, own_public_id_lookup


class IncidentFilterForm(forms.Form):
    """The filter's form: both dates within the plausible range (incidents.common.plausible_dates)
    and "from" not after "to", each a form error naming its field."""

    def clean(self):
        cleaned = super().clean()
        for name in ("date_from", "date_to"):
            if problem := implausible(cleaned.get(name)):
                self.add_error(name, problem)
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if first and last and first > last:
            message = f"“From” ({first.isoformat()}) is after “To” ({last.isoformat()})."
            self.add_error("date_from", message)
            self.add_error("date_to", message)
        return cleaned


class DistrictSelect(forms.Select):
    """Each district option names its governorate, so the page can offer only the chosen one's."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if getattr(value, "instance", None) is not None:
            option["attrs"]["data-governorate"] = value.instance.parent_id
        return option


class IncidentFilter(django_filters.FilterSet):
    # Only actors of published incidents: a draft's actor must not show up (or validate) in public.
    actor = django_filters.ModelChoiceFilter(
        queryset=lambda request: Actor.objects.filter(id__in=published_actor_ids()), method="filter_actor",
        label="Actor (either side or associated)", empty_label="Any actor")
    governorate = django_filters.ModelChoiceFilter(
        field_name="admin1", queryset=AdminArea.objects.filter(level=AdminArea.Level.GOVERNORATE).defer("geom"),
        label="Governorate", empty_label="All governorates")
    district = django_filters.ModelChoiceFilter(
        field_name="admin2", queryset=AdminArea.objects.filter(level=AdminArea.Level.DISTRICT).defer("geom"),
        widget=DistrictSelect,
        label="District", empty_label="All districts")
    date_from = django_filters.DateFilter(method="filter_date_from", label="From",
                                          widget=forms.DateInput(attrs={"type": "date"}))
    date_to = django_filters.DateFilter(method="filter_date_to", label="To",
                                        widget=forms.DateInput(attrs={"type": "date"}))
    event_type = django_filters.ChoiceFilter(choices=EventType.choices, label="Event type",
                                             empty_label="All event types")
    # Grouped under their event type so the list reads like the ACLED codebook.
    sub_event_type = django_filters.ChoiceFilter(
        choices=[(event_type, [(sub, sub) for sub in subs]) for event_type, subs in SUB_EVENT_TYPES.items()],
        label="Sub-event type", empty_label="All sub-event types")
    min_fatalities = django_filters.NumberFilter(field_name="fatalities", lookup_expr="gte",
                                                 min_value=0, label="Minimum fatalities")
    # distinct=False: these test the incident's own columns (no join, no duplicate rows), and DISTINCT
    # would fold identical (date, type, fatalities) rows together when the timeline counts them.
    time_precision = django_filters.MultipleChoiceFilter(choices=TimePrecision.choices, label="Date precision",
                                                         distinct=False,
                                                         widget=forms.CheckboxSelectMultiple)
    geo_precision = django_filters.MultipleChoiceFilter(choices=GeoPrecision.choices, label="Place precision",
                                                        distinct=False,
                                                        widget=forms.CheckboxSelectMultiple)
    q = django_filters.CharFilter(method="filter_text", label="Text (summary, place, actor, incident id)")

    class Meta:
        model = Incident
        fields = []
        form = IncidentFilterForm

    def filter_actor(self, queryset, name, actor):
        # Sub-selects rather than joins: no duplicate rows, so no DISTINCT, so the
        # map and timeline can GROUP BY the filtered queryset directly.
        associated = [through.objects.filter(actor=actor).values("incident")
                      for through in (Incident.assoc_actors_1.through, Incident.assoc_actors_2.through)]
        return queryset.filter(
            Q(actor1=actor) | Q(actor2=actor) | Q(id__in=associated[0]) | Q(id__in=associated[1]))

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(overlapping_dates(date_from=value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(overlapping_dates(date_to=value))

    def filter_text(self, queryset, name, value):
        return incidents_matching_words(queryset, value)

    @property
    def qs(self):
        queryset = super().qs
        cleaned = getattr(self.form, "cleaned_data", {})
        event_type, sub_event_type = cleaned.get("event_type"), cleaned.get("sub_event_type")
        if sub_event_type_problem(event_type, sub_event_type):
            return queryset.none()
        return queryset


def incidents_matching_words(queryset, text):
    """The incidents in which every word (the first ten) appears in the summary, the place, either
    actor's name or alias, or is the incident's public id (an ACLED id, or DZI<number> for ours).

    Written so that each alternative is an index scan (the trigram indexes of migration 0010; actor
    ids looked up first, in the small actor table) rather than a read of every incident
    (docs/PERFORMANCE.md, Text search). Shared by the dashboard's text filter and the admin's search box.
    """
    for word in text.split()[:10]:
        actors = list(Actor.objects.filter(Q(name__icontains=word) | Q(aliases__icontains=word))
                      .values_list("id", flat=True))
        matches = (Q(notes__icontains=word) | Q(location__icontains=word) | Q(actor1__in=actors)
                   | Q(actor2__in=actors) | Q(event_id_cnty=word.upper()))
        if (own := own_public_id_lookup(word)) is not None:
            matches |= own
        queryset = queryset.filter(matches)
    return queryset


def published_actor_ids():
    """Ids of the actors named (on either side, or associated) in at least one published incident, as
    a subquery over the counts kept on write (incidents/models/counts.py): finding them from the incidents
    reads every one, this reads a few hundred rows (docs/PERFORMANCE.md, Timeline and public pages)."""
    return (ActorCount.objects.order_by().values("actor_id").annotate(named=Sum("incidents"))
            .filter(named__gt=0).values("actor_id"))


def without_empty_values(params):
    """The query string without empty values: `time_precision=1&time_precision=` is
    `time_precision=1`, and `geo_precision=` is no filter, as an empty `actor=` always was."""
    kept = QueryDict(mutable=True)
    for name in params:
        if hasattr(params, "getlist"):
            values = params.getlist(name)
        else:  # a plain dict, as Python callers pass: one value or a list per name
            values = params[name] if isinstance(params[name], (list, tuple)) else [params[name]]
        values = [str(value) for value in values if value is not None and str(value).strip() != ""]
        if values:
            kept.setlist(name, values)
    return kept


def public_incidents(params):
    """A bound filter over published incidents. Check `.is_valid()` and `.errors` before `.qs`."""
    return IncidentFilter(without_empty_values(params), queryset=Incident.objects.published())


def filtered_incidents(params):
    """The valid filter over published incidents that the query string selects.

    Raises BadParameters ({parameter: [messages]}) naming each parameter that cannot be used.
    """
    incident_filter = public_incidents(params)
    if not incident_filter.is_valid():
        raise BadParameters(incident_filter.errors)
    return incident_filter
