"""The one FilterSet behind the map, timeline, table and exports.

Every public view builds its queryset through `filtered_incidents(request.GET)`,
so the same query string always selects the same incidents everywhere.
"""


import django_filters
from django import forms
from django.forms.models import ModelChoiceIterator
from django.db.models import Q, QuerySet, Sum
from django.http import QueryDict
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from incidents.common.arabic_names import area_labels
from incidents.common.dates import DayInput
from incidents.common.params import BadParameters, one_value
from incidents.common.plausible_dates import implausible
from incidents.common.reader_text import ltr_text
from incidents.common.typology import SUB_EVENT_TYPES, EventType, GeoPrecision, TimePrecision, reader_term
from incidents.models import Actor, ActorCount, AdminArea, Incident
from incidents.models.incident import overlapping_dates
from incidents.public.checkboxes import Checkboxes, checkbox_list
from incidents.public.reader_inputs import ReaderDateFilter
from incidents.public.search import incidents_matching_words  # noqa: F401 (the admin's search box imports it here)


class IncidentFilterForm(forms.Form):
    """The filter's form: both dates within the plausible range (incidents.common.plausible_dates),
    "from" not after "to", and a single-valued filter given once (common.params.one_value), each a
    form error naming its field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "sub_event_type" in self.fields and hasattr(self.data, "getlist"):
            self.fields["sub_event_type"].widget.chosen = [value for value in self.data.getlist("event_type")
                                                           if value in EventType.values]

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            if not getattr(field.widget, "allow_multiple_selected", False):
                try:
                    one_value(self.data, name)
                except BadParameters as bad:
                    self.add_error(name, bad.errors[name])
        for name in ("date_from", "date_to"):
            if problem := implausible(cleaned.get(name)):
                self.add_error(name, problem)
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if first and last and first > last:
            message = gettext("“From” (%(first)s) is after “To” (%(last)s).") % {
                "first": ltr_text(first.isoformat()), "last": ltr_text(last.isoformat())}
            self.add_error("date_from", message)
            self.add_error("date_to", message)
        return cleaned


class SubEventTypeCheckboxes(Checkboxes):
    """Sub-event types grouped under their event type. With event types chosen (`chosen`, values, set by
    the form), the other types' groups are hidden as dashboard.js hides them once it runs, so the list
    comes narrowed before any script (a slow link, no JavaScript); a group with a ticked box stays shown,
    so nothing that filters is out of sight (found by a newcomer session)."""

    chosen = ()

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)["widget"]
        shown = {str(reader_term(event_type)) for event_type in self.chosen}
        hidden = {str(group) for group, options, _index in context["optgroups"]
                  if shown and group and str(group) not in shown and not any(o["selected"] for o in options)}
        return mark_safe(checkbox_list(context, hidden))  # escaped by checkbox_list


class AreaCheckboxes(Checkboxes):
    """Each district names its governorate (data-governorate), so the page can offer only the chosen ones'."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None and instance.parent_id:
            option["attrs"]["data-governorate"] = instance.parent_id
        return option


class ChosenActors(Checkboxes):
    """Only the chosen actors, as ticked boxes (untick to drop one); the dashboard's picker adds more
    by searching names and aliases (api.actors_json) instead of a list of hundreds."""

    def optgroups(self, name, value, attrs=None):
        chosen = {str(v) for v in value}
        self.choices = [(key, label) for key, label in self.choices if str(key) in chosen] if chosen else []
        return super().optgroups(name, value, attrs)


class DistrictsByGovernorate(ModelChoiceIterator):
    """The districts grouped under their governorate's name (as the data spells it, Arabic on Arabic
    pages), governorates and districts in alphabetical order: [(governorate, [(value, label), ...])].
    Rendered like the sub-event types' groups; dashboard.js offers only the chosen governorates' groups."""

    def __iter__(self):
        groups = {}
        for district in self.queryset:
            groups.setdefault(district.parent, []).append(self.choice(district))
        for parent in sorted(groups, key=lambda area: str(area or "")):
            choices = sorted(groups[parent], key=lambda choice: str(choice[1]))
            if parent is None:  # a district without a governorate stands on its own
                yield from choices
            else:
                yield str(parent), choices


class DistrictChoiceField(forms.ModelMultipleChoiceField):
    """Districts by name under their governorate; a name several districts share in the page's language
    ("Name Unknown" three times in the UNHCR file) also carries its governorate (arabic_names.area_labels),
    since a screen reader announces a box's own label and not the group's."""

    iterator = DistrictsByGovernorate

    def label_from_instance(self, district):
        language = get_language()
        if getattr(self, "_labels_language", None) != language:  # names shared in Arabic may differ in English
            self._labels = area_labels(self.queryset.select_related("parent"))
            self._labels_language = language
        return self._labels.get(district) or str(district)


class DistrictFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = DistrictChoiceField


def _ids(values):
    return [getattr(value, "pk", value) for value in values]


SEARCH_MAX_CHARACTERS = 200


class IncidentFilter(django_filters.FilterSet):
    """Each list filter takes several values (`?event_type=Battles&event_type=Riots`): OR within a
    filter, AND across filters, as ACLED's export tool does (issue 16). A single value, as older
    links carry, is a list of one. An unknown value is an error naming the parameter."""

    # Capped: the words become trigram searches and a snapshot stores them (an attacker sent megabytes).
    q = django_filters.CharFilter(method="filter_text", max_length=SEARCH_MAX_CHARACTERS,
                                  label=_("Search (summary, place, area or actor in any spelling, incident id)"))
    date_from = ReaderDateFilter(method="filter_date_from", label=_("From"),
                                 widget=DayInput(attrs={"min": "1990-01-01"}))
    date_to = ReaderDateFilter(method="filter_date_to", label=_("To"),
                               widget=DayInput(attrs={"min": "1990-01-01"}))
    # Only actors of published incidents: a draft's actor must not show up (or validate) in public.
    # The dashboard replaces this list with a picker that searches names and aliases (api.actors_json).
    actor = django_filters.ModelMultipleChoiceFilter(
        queryset=lambda request: Actor.objects.filter(id__in=published_actor_ids()), method="filter_actor",
        widget=ChosenActors, label=_("Actors (either side or associated)"))
    # ACLED's full names as labels (typology.EventType), the same words as the table and legend.
    event_type = django_filters.MultipleChoiceFilter(
        choices=EventType.choices, method="filter_event_type",
        widget=Checkboxes, label=_("Event types"))
    # Grouped under their event type so the list reads like the ACLED codebook.
    sub_event_type = django_filters.MultipleChoiceFilter(
        choices=[(reader_term(event_type), [(sub, reader_term(sub)) for sub in subs])  # Arabic on Arabic pages
                 for event_type, subs in SUB_EVENT_TYPES.items()],
        method="filter_sub_event_type", widget=SubEventTypeCheckboxes, label=_("Sub-event types"))
    governorate = django_filters.ModelMultipleChoiceFilter(
        queryset=AdminArea.objects.filter(level=AdminArea.Level.GOVERNORATE).defer("geom"), method="filter_admin1",
        widget=Checkboxes, label=_("Governorates"))
    district = DistrictFilter(
        queryset=AdminArea.objects.filter(level=AdminArea.Level.DISTRICT).select_related("parent")
        .defer("geom", "parent__geom"), method="filter_admin2",
        widget=AreaCheckboxes, label=_("Districts"))
    min_fatalities = django_filters.NumberFilter(field_name="fatalities", lookup_expr="gte",
                                                 min_value=0, label=_("Minimum fatalities"))
    # distinct=False: these test the incident's own columns (no join, no duplicate rows), and DISTINCT
    # would fold identical (date, type, fatalities) rows together when the timeline counts them.
    time_precision = django_filters.MultipleChoiceFilter(choices=TimePrecision.choices, label=_("Date precision"),
                                                         distinct=False,
                                                         widget=Checkboxes)
    geo_precision = django_filters.MultipleChoiceFilter(choices=GeoPrecision.choices, label=_("Place precision"),
                                                        distinct=False,
                                                        widget=Checkboxes)

    class Meta:
        model = Incident
        fields = []
        form = IncidentFilterForm

    # A list filter left empty cleans to an empty queryset, which django-filter does not count as
    # empty: each method lets it through unfiltered.
    def filter_actor(self, queryset, name, actors):
        # Sub-selects rather than joins: no duplicate rows, so no DISTINCT, so the
        # map and timeline can GROUP BY the filtered queryset directly.
        ids = _ids(actors)
        if not ids:
            return queryset
        associated = [through.objects.filter(actor__in=ids).values("incident")
                      for through in (Incident.assoc_actors_1.through, Incident.assoc_actors_2.through)]
        return queryset.filter(
            Q(actor1__in=ids) | Q(actor2__in=ids) | Q(id__in=associated[0]) | Q(id__in=associated[1]))

    def filter_admin1(self, queryset, name, areas):
        return queryset.filter(admin1__in=_ids(areas)) if areas else queryset

    def filter_admin2(self, queryset, name, areas):
        return queryset.filter(admin2__in=_ids(areas)) if areas else queryset

    def filter_event_type(self, queryset, name, values):
        return queryset.filter(event_type__in=values) if values else queryset

    def filter_sub_event_type(self, queryset, name, values):
        return queryset.filter(sub_event_type__in=values) if values else queryset

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(overlapping_dates(date_from=value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(overlapping_dates(date_to=value))

    def filter_text(self, queryset, name, value):
        return incidents_matching_words(queryset, value)


def published_actor_counts():
    """{actor id: published incidents naming it (either side or associated)}, as a queryset of
    (actor_id, named) over the counts kept on write (incidents/models/counts.py): finding them from
    the incidents reads every one, this reads a few hundred rows (docs/PERFORMANCE.md, Timeline and
    public pages)."""
    return (ActorCount.objects.order_by().values("actor_id").annotate(named=Sum("incidents"))
            .filter(named__gt=0))


def published_actor_ids():
    """Ids of the actors named in at least one published incident, as a subquery (published_actor_counts)."""
    return published_actor_counts().values("actor_id")


def filters_in_use(cleaned_data):
    """The names of the filters a valid filter's cleaned data uses. An empty list filter cleans to an
    empty list or queryset, which filters nothing, like None and ""."""
    def empty(value):
        if isinstance(value, (list, tuple, QuerySet)):
            return len(value) == 0
        return value is None or value == ""
    return {name for name, value in cleaned_data.items() if not empty(value)}


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
