"""What the public sees of an incident, as one SQL projection.

The map popup (GeoJSON built in SQL), the JSON list and the server-rendered table
all select these same columns, so a date or a precision reads the same everywhere.
Labels are SQL expressions (not Python formatting) because the map builds its
GeoJSON inside PostgreSQL without loading rows into Python.
"""

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import BooleanField, Case, CharField, Exists, ExpressionWrapper, F, Func, OuterRef, Q, Value, When
from django.db.models.functions import Concat, JSONObject

from incidents.common.typology import GeoPrecision, TimePrecision
from incidents.models import Actor, Article, Evidence
from incidents.models.incident import DEMO, public_id_expression


def _day(field):
    return Func(F(field), Value("FMDD Mon YYYY"), function="to_char", output_field=CharField())


def date_label():
    """“18 Jan 2016”, or the window an approximate date lies in: never a falsely exact day."""
    exact = Q(time_precision=TimePrecision.DAY)
    has_end = Q(date_end__isnull=False) & ~Q(date_end=F("date"))
    return Case(
        When(exact & has_end, then=Concat(_day("date"), Value(" – "), _day("date_end"))),
        When(exact, then=_day("date")),
        When(has_end, then=Concat(Value("between "), _day("date"), Value(" and "), _day("date_end"))),
        When(time_precision=TimePrecision.WEEK, then=Concat(Value("in the week from "), _day("date"))),
        When(time_precision=TimePrecision.MONTH, then=Concat(Value("in the month from "), _day("date"))),
        default=Concat(Value("unknown day, recorded as "), _day("date")),
        output_field=CharField(),
    )


def choice_label(field, choices):
    return Case(*[When(**{field: value}, then=Value(label)) for value, label in choices],
                default=Value(""), output_field=CharField())


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
        "governorate": F("admin1__name"),
        "governorate_id": F("admin1"),
        "district": F("admin2__name"),
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
