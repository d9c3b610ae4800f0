"""What the public sees of an incident, as one SQL projection.

The map popup (GeoJSON built in SQL), the JSON list and the server-rendered table
all select these same columns, so a date or a precision reads the same everywhere.
Labels are SQL expressions (not Python formatting) because the map builds its
GeoJSON inside PostgreSQL without loading rows into Python.
"""

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.db.models import BooleanField, Case, CharField, Exists, ExpressionWrapper, F, Func, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce, Concat, JSONObject, NullIf
from django.utils.translation import get_language, pgettext

from incidents.common.params import BadParameters, one_value
from incidents.common.arabic_names import ARABIC_MONTHS
from incidents.common.typology import GeoPrecision, TimePrecision, arabic_term
from incidents.models import Actor, Article, Evidence
from incidents.models.incident import DEMO, public_id_expression


def _to_char(field, pattern):
    return Func(F(field), Value(pattern), function="to_char", output_field=CharField())


class _ArabicMonth(Func):
    """The Arabic name of a date column's month: (ARRAY[names])[month]. A CASE of twelve branches per
    day, eight days in date_label, took ~14 ms of every Arabic page to build in the ORM (issue 18
    target 2); the array is one parameter."""

    template = "(%(expressions)s]"
    arg_joiner = ")["
    output_field = CharField()

    def __init__(self, field):
        super().__init__(Value(list(ARABIC_MONTHS), output_field=ArrayField(CharField())),
                         Func(F(field), function="EXTRACT", template="EXTRACT(MONTH FROM %(expressions)s)::int"))


def _day(field):
    if get_language() != "ar":
        return _to_char(field, "FMDD Mon YYYY")
    # Arabic pages: the month's Arabic name (PostgreSQL's TMMon depends on the server's locales).
    month = _ArabicMonth(field)
    return Concat(_to_char(field, "FMDD"), Value(" "), month, Value(" "), _to_char(field, "YYYY"),
                  output_field=CharField())


def date_label():
    """“18 Jan 2016”, or the window an approximate date lies in: never a falsely exact day."""
    exact = Q(time_precision=TimePrecision.DAY)
    has_end = Q(date_end__isnull=False) & ~Q(date_end=F("date"))
    return Case(
        When(exact & has_end, then=Concat(_day("date"), Value(" – "), _day("date_end"))),
        When(exact, then=_day("date")),
        When(has_end, then=Concat(Value(pgettext("date label", "between ")), _day("date"),
                                  Value(pgettext("date label", " and ")), _day("date_end"))),
        When(time_precision=TimePrecision.WEEK,
             then=Concat(Value(pgettext("date label", "in the week from ")), _day("date"))),
        When(time_precision=TimePrecision.MONTH,
             then=Concat(Value(pgettext("date label", "in the month from ")), _day("date"))),
        default=Concat(Value(pgettext("date label", "unknown day, recorded as ")), _day("date")),
        output_field=CharField(),
    )


def choice_label(field, choices):
    """The label of a choice field in SQL; on Arabic pages the typology's Arabic rendering."""
    arabic = get_language() == "ar"
    return Case(*[When(**{field: value}, then=Value(arabic_term(label) if arabic else str(label)))
                  for value, label in choices], default=Value(""), output_field=CharField())


def area_name(relation):
    """A governorate's or district's name: its Arabic name on Arabic pages where it has one."""
    if get_language() != "ar":
        return F(f"{relation}__name")
    return Coalesce(NullIf(F(f"{relation}__name_ar"), Value("")), F(f"{relation}__name"), output_field=CharField())


def _actor_names(relation):
    return ArraySubquery(Actor.objects.filter(**{relation: OuterRef("pk")}).order_by("name").values("name"))


def _sources():
    """The articles an incident's evidence quotes, oldest first, each once."""
    cited = Evidence.objects.filter(incident=OuterRef(OuterRef("pk")), article=OuterRef("pk"))
    return ArraySubquery(
        Article.objects.filter(Exists(cited)).order_by("published_on", "id").values(
            json=JSONObject(title="title", url="url", source="source__name", published_on="published_on")))


PUBLIC_COLUMNS = ("id", "date", "date_end", "time_precision", "event_type", "sub_event_type", "location",
                  "geo_precision", "fatalities", "fatalities_low", "fatalities_high", "injured",
                  "civilian_targeting", "source_text")


def public_annotations():
    return {
        "public_id": public_id_expression(),
        # Synthetic demonstration data says so in every answer (issue 20).
        "demo": ExpressionWrapper(DEMO, output_field=BooleanField()),
        "date_label": date_label(),
        "time_precision_label": choice_label("time_precision", TimePrecision.choices),
        "geo_precision_label": choice_label("geo_precision", GeoPrecision.choices),
        "actor1_name": F("actor1__name"),
        "actor1_associates": _actor_names("incidents_assoc_1"),
        "actor2_name": F("actor2__name"),
        "actor2_associates": _actor_names("incidents_assoc_2"),
        "governorate": area_name("admin1"),
        "governorate_id": F("admin1"),
        "district": area_name("admin2"),
        "summary": F("notes"),
        "sources": _sources(),
    }


def public_rows(queryset):
    """The queryset as dicts of exactly what the public may see (no status, coder or reviewer)."""
    return queryset.values(*PUBLIC_COLUMNS, **public_annotations())



def public_page(queryset, order, first, size):
    """public_rows of one page of the queryset in `order`. The page's ids are found first (an index
    scan), so the per-incident lookups (associates, sources) run for its rows only, not for every row
    skipped on the way to a deep page (docs/PERFORMANCE.md, Admin and the public table)."""
    ids = queryset.order_by(*order).values("id")[first:first + size]
    return public_rows(queryset.filter(id__in=ids).order_by(*order))


# The table's orders (issue 16), each by one column and then the incident id, so rows that tie
# (same day, same place…) keep one order from page to page. `?sort=place` ascending, `?sort=-place`
# descending (every column reversed, so one index serves both directions: docs/PERFORMANCE.md, Table sort).
SORTS = {
    "date": ("date", "id"),
    "place": ("location", "id"),
    "event_type": ("event_type", "date", "id"),
    "actors": ("actor1__name", "id"),
    "fatalities": ("fatalities", "date", "id"),
}
DEFAULT_SORT = "-date"
# Links written before `sort` existed: ?order=newest|oldest|fatalities.
LEGACY_ORDERS = {"newest": "-date", "oldest": "date", "fatalities": "-fatalities"}


def parse_sort(params):
    """The table's sort from `sort` (or the older `order`): (name such as "-date", order_by fields).

    Raises BadParameters naming `sort` (or `order`) for a value not in SORTS, and naming `order` when
    both are given (one would be ignored silently)."""
    raw = (one_value(params, "sort") or "").strip()
    legacy = (one_value(params, "order") or "").strip()
    if raw and legacy:
        raise BadParameters({"order": ["Give sort or the older order, not both."]})
    if legacy:
        if legacy not in LEGACY_ORDERS:
            raise BadParameters({"order": [f"“{legacy[:40]}” is not one of {', '.join(LEGACY_ORDERS)}."]})
        raw = LEGACY_ORDERS[legacy]
    raw = raw or DEFAULT_SORT
    key = raw.removeprefix("-")
    if key not in SORTS:
        choices = ", ".join(f"{name}, -{name}" for name in SORTS)
        raise BadParameters({"sort": [f"“{raw[:40]}” is not a sort order; use one of {choices}."]})
    fields = SORTS[key]
    return raw, tuple(f"-{field}" for field in fields) if raw.startswith("-") else fields
