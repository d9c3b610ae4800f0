"""Incidents out: ACLED-compatible CSV and GeoJSON, streamed in constant memory.

Every cell is built inside PostgreSQL by one SELECT, read through a server-side
cursor a few thousand rows at a time; Python only joins ready-made lines, so
memory does not grow with the number of rows (docs/PERFORMANCE.md, Export memory).
This SELECT is the definition of a CSV line: the public CSV download streams the
same lines stored ahead by the read model (incidents/exports/lines.py), which is
checked against it.

CSV rules (RFC 4180): comma separated, CRLF line ends, every non-empty text
cell in double quotes with inner quotes doubled, numbers bare. Text cells that
start with = + - @ (or tab / carriage return) get a leading apostrophe, so a
spreadsheet shows them instead of running them as formulas. Numeric columns
(latitude, longitude, counts...) are data and never touched: -0.5 stays -0.5.
"""

import csv
import datetime
import io

from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify

from incidents.common.acled_format import (
    ACLED_COLUMNS,
    ACLED_GOVERNORATE_NAMES,
    CIVILIAN_TARGETING,
    FORMULA_STARTS,
    LIST_SEPARATOR,
    SYRIA,
)
from incidents.common.params import parse_since  # noqa: F401 (views import it from here)
from incidents.common.read_database import streamed_transaction
from incidents.common.sqljson import sql_with_params
from incidents.common.typology import DISORDER_TYPES, ActorCategory
from incidents.models import Incident
from incidents.models.incident import public_id_sql
from incidents.public.filters import filtered_incidents, filters_in_use

# Ours, after ACLED's 31 columns, so a report built for ACLED data finds every column where it expects.
# event_date_end: the last day of a date window (our time precision 4, which ACLED's 3 cannot say),
# written like event_date; empty otherwise. The import reads it back (issue 15 point 6).
EXTRA_COLUMNS = ["fatalities_low", "fatalities_high", "injured", "event_date_end", "status", "article_urls",
                 "incident_url"]
EXPORT_COLUMNS = ACLED_COLUMNS + EXTRA_COLUMNS
NUMERIC_COLUMNS = {"year", "time_precision", "iso", "latitude", "longitude", "geo_precision", "fatalities",
                   "timestamp", "fatalities_low", "fatalities_high", "injured"}
CHUNK_ROWS = 2000  # rows per round trip of the server-side cursor


def neutralise(value):
    """The Python twin of the SQL rule, for the few cells written outside SQL."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _text(value):
    """A constant of ours as an SQL literal (quotes doubled; % doubled for the driver's formatting)."""
    return "'" + str(value).replace("'", "''").replace("%", "%%") + "'"


def _case(column, mapping):
    whens = " ".join(f"WHEN {_text(key)} THEN {_text(value)}" for key, value in mapping.items())
    return f"CASE {column} {whens} END"


def incident_url_parts():
    """(text before, text after) the incident id in its public URL, from settings.SITE_URL.

    Always the English URL (no /ar/): exports keep ACLED's English columns and values in every language."""
    sentinel = 987654321
    with translation.override(settings.LANGUAGE_CODE):
        url = settings.SITE_URL.rstrip("/") + reverse("incident-detail", args=[sentinel])
    return url.split(str(sentinel))


def _column_sql():
    """(name, SQL expression) for every export column, over the table aliases of _FROM."""
    inter_labels = {category.value: category.label for category in ActorCategory}
    inter1, inter2 = _case("a1.category", inter_labels), _case("a2.category", inter_labels)
    url_prefix, url_suffix = incident_url_parts()
    return [
        ("event_id_cnty", public_id_sql("i")),
        ("event_date", "to_char(i.date, 'DD FMMonth YYYY')"),
        ("year", "extract(year FROM i.date)::int"),
        # Our code 4 (unknown day in a window) is ACLED's widest, 3.
        ("time_precision", "LEAST(i.time_precision, 3)"),
        ("disorder_type", _case("i.event_type", DISORDER_TYPES)),
        ("event_type", "i.event_type"),
        ("sub_event_type", "i.sub_event_type"),
        ("actor1", "a1.name"),
        ("assoc_actor_1", "assoc1.names"),
        ("inter1", inter1),
        ("actor2", "a2.name"),
        ("assoc_actor_2", "assoc2.names"),
        ("inter2", inter2),
        # ACLED writes the lower actor type first: "State forces-Rebel group", or "Rebel group only".
        ("interaction", f"CASE WHEN a2.id IS NULL THEN {inter1} || ' only' "
                        f"WHEN a1.category <= a2.category THEN {inter1} || '-' || {inter2} "
                        f"ELSE {inter2} || '-' || {inter1} END"),
        ("civilian_targeting", f"CASE WHEN i.civilian_targeting THEN {_text(CIVILIAN_TARGETING)} ELSE '' END"),
        ("iso", str(int(SYRIA["iso"]))),
        ("region", f"{_text(SYRIA['region'])}::text"),
        ("country", f"{_text(SYRIA['country'])}::text"),
        # ACLED's spelling: as the imported file gave it, else ACLED's name for the governorate.
        ("admin1", f"COALESCE(NULLIF(i.admin1_name, ''), {_case('g1.pcode', ACLED_GOVERNORATE_NAMES)}, g1.name)"),
        ("admin2", "COALESCE(NULLIF(i.admin2_name, ''), g2.name)"),
        ("admin3", "COALESCE(NULLIF(i.admin3_name, ''), g3.name)"),
        ("location", "i.location"),
        # ACLED writes at most 4 decimals (about 10 m); float8 text drops trailing zeros as ACLED does.
        ("latitude", "round(ST_Y(i.point)::numeric, 4)::float8"),
        ("longitude", "round(ST_X(i.point)::numeric, 4)::float8"),
        ("geo_precision", "i.geo_precision"),
        # An imported row keeps ACLED's source text; a coded incident names the outlets of its evidence.
        ("source", "COALESCE(NULLIF(i.source_text, ''), evidence.sources)"),
        ("source_scale", "i.source_scale"),
        ("notes", "i.notes"),
        ("fatalities", "i.fatalities"),
        ("tags", f"array_to_string(i.tags, {_text(LIST_SEPARATOR)})"),
        ("timestamp", "floor(extract(epoch FROM i.updated_at))::bigint"),  # floor: safe as updated_since
        ("fatalities_low", "i.fatalities_low"),
        ("fatalities_high", "i.fatalities_high"),
        ("injured", "i.injured"),
        ("event_date_end", "CASE WHEN i.time_precision = 4 THEN to_char(i.date_end, 'DD FMMonth YYYY') END"),
        ("status", "i.status"),
        ("article_urls", "evidence.urls"),
        ("incident_url", f"{_text(url_prefix)} || i.id || {_text(url_suffix)}"),
    ]


def _lateral(alias, select):
    # Per incident, through the incident_id indexes, so a small export stays cheap however big the
    # database: grouping whole tables first made it pay for every row (docs/PERFORMANCE.md, Export).
    return f"LEFT JOIN LATERAL ({select}) {alias} ON true"


def _assoc_join(through, alias):
    # Associated actors in the order they were recorded (the through row id), as ACLED listed them.
    return _lateral(alias, f"SELECT string_agg(x.name, {_text(LIST_SEPARATOR)} ORDER BY t.id) AS names "
                           f"FROM {through} t JOIN incidents_actor x ON x.id = t.actor_id WHERE t.incident_id = i.id")


_EVIDENCE = (f"SELECT string_agg(DISTINCT s.name, {_text(LIST_SEPARATOR)}) AS sources, "
             f"string_agg(DISTINCT a.url, {_text(LIST_SEPARATOR)}) AS urls "
             "FROM incidents_evidence e JOIN incidents_article a ON a.id = e.article_id "
             "JOIN incidents_source s ON s.id = a.source_id WHERE e.incident_id = i.id")
_JOINS = f"""
    JOIN incidents_actor a1 ON a1.id = i.actor1_id
    LEFT JOIN incidents_actor a2 ON a2.id = i.actor2_id
    LEFT JOIN incidents_adminarea g1 ON g1.id = i.admin1_id
    LEFT JOIN incidents_adminarea g2 ON g2.id = i.admin2_id
    LEFT JOIN incidents_adminarea g3 ON g3.id = i.admin3_id
    {_assoc_join(Incident.assoc_actors_1.through._meta.db_table, "assoc1")}
    {_assoc_join(Incident.assoc_actors_2.through._meta.db_table, "assoc2")}
    {_lateral("evidence", _EVIDENCE)}
"""
_FROM = f"FROM incidents_incident i {_JOINS}"  # for a plain WHERE on i (bench/operations.py times COPY of it)
_FORMULA_STARTS_SQL = ", ".join(_text(c) if c.isprintable() else f"chr({ord(c)})" for c in FORMULA_STARTS)
_APOSTROPHE = _text("'")
_QUOTE, _TWO_QUOTES = _text('"'), _text('""')


def _neutralised(name):
    """Text column `name` of q, with an apostrophe before a leading formula character."""
    ref = f"q.{name}"
    return (f"CASE WHEN left({ref}, 1) IN ({_FORMULA_STARTS_SQL}) THEN {_APOSTROPHE} || {ref} "
            f"ELSE COALESCE({ref}, '') END")


def _csv_cell(name):
    if name in NUMERIC_COLUMNS:
        return f"COALESCE(q.{name}::text, '')"
    return (f"CASE WHEN COALESCE(q.{name}, '') = '' THEN '' "
            f"ELSE {_QUOTE} || replace({_neutralised(name)}, {_QUOTE}, {_TWO_QUOTES}) || {_QUOTE} END")


class IncidentExport:
    """The export of one queryset of incidents, in each of its shapes."""

    def __init__(self, queryset):
        self.queryset = queryset.order_by()

    def _select(self, outer):
        """`outer` is a SELECT list over the export columns of q (plus q._point)."""
        inner = ", ".join(f"{sql} AS {name}" for name, sql in _column_sql())
        # sqljson's helper also compiles a filter that matches nothing (Django raises EmptyResultSet).
        ids_sql, ids_params = sql_with_params(self.queryset.values("id"))
        # The chosen incidents first, behind a fence (OFFSET 0), so the per-incident lookups run
        # for them only, not for every incident before the filter applies.
        chosen = f"(SELECT * FROM incidents_incident WHERE id IN ({ids_sql}) OFFSET 0) i"
        sql = (f"SELECT {outer} FROM (SELECT {inner}, i.point AS _point, i.date AS _date, i.id AS _id "
               f"FROM {chosen} {_JOINS}) q ORDER BY q._date DESC, q._id DESC")
        return sql, ids_params

    def _stream(self, outer):
        """Lists of rows from a server-side cursor: only one chunk is ever in Python memory."""
        sql, params = self._select(outer)
        # Inside a transaction the named cursor streams; outside, psycopg2 would declare it
        # WITH HOLD and PostgreSQL would materialise the whole result first.
        with streamed_transaction(connection.alias), connection.chunked_cursor() as cursor:
            with connection.cursor() as settings_cursor:
                # JIT-compiling ~40 column expressions costs more than it saves, however many rows
                # (docs/PERFORMANCE.md, JIT).
                settings_cursor.execute("SET LOCAL jit = off")
                # A reader that stops taking the download leaves this transaction idle between fetches:
                # after EXPORT_STALL_SECONDS PostgreSQL ends the session, freeing its connection slot
                # (and an as_of slot), and the stream ends cut (found by an attacker session: a stalled
                # GeoJSON or as_of download held its connection; the CSV's COPY has exports.copy_out).
                settings_cursor.execute("SELECT set_config('idle_in_transaction_session_timeout', %s, true)",
                                        [f"{settings.EXPORT_STALL_SECONDS * 1000}ms"])
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(CHUNK_ROWS):
                yield rows

    def csv_chunks(self, bom=False):
        """UTF-8 CSV: the header, then one bytes chunk per cursor fetch."""
        yield (("\ufeff" if bom else "") + ",".join(EXPORT_COLUMNS) + "\r\n").encode("utf-8")
        line = "concat_ws(',', " + ", ".join(_csv_cell(name) for name in EXPORT_COLUMNS) + ") || chr(13) || chr(10)"
        for rows in self._stream(line):
            yield "".join(row[0] for row in rows).encode("utf-8")

    def geojson_chunks(self):
        """A FeatureCollection; properties are the CSV columns with JSON types (no neutralising: not a sheet)."""
        properties = ", ".join(f"'{name}', q.{name}" for name in EXPORT_COLUMNS)
        feature = (f"json_build_object('type', 'Feature', 'id', q.event_id_cnty, 'geometry', "
                   f"ST_AsGeoJSON(q._point, 6)::json, 'properties', json_build_object({properties}))::text")
        # The opening goes out with the first rows, so a database error before them raises before any byte.
        separator = '{"type": "FeatureCollection", "features": [\n'
        for rows in self._stream(feature):
            yield (separator + ",\n".join(row[0] for row in rows)).encode("utf-8")
            separator = ",\n"
        yield (separator + "\n]}\n").encode("utf-8") if separator.startswith("{") else b"\n]}\n"

    def rows(self, columns=EXPORT_COLUMNS):
        """Tuples of cell values (text cells neutralised), for the admin's spreadsheet export."""
        outer = ", ".join(f"q.{name}" if name in NUMERIC_COLUMNS else _neutralised(name) for name in columns)
        for rows in self._stream(outer):
            yield from rows


# -- the public export: the dashboard's query string, published incidents only --

def utc_stamp(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _slug_number(value):
    return str(int(value)) if value == int(value) else str(value).replace(".", "-")


def export_filename(incident_filter, extension, since=None, today=None):
    """incidents_deir-ez-zor_battles_2016-01-01_2016-12-31.csv: what was filtered, and which dates."""
    data = incident_filter.form.cleaned_data
    parts = ["incidents"]
    for key in ("governorate", "district", "actor", "event_type", "sub_event_type"):
        if data.get(key):  # several values each (issue 16): "battles-riots"
            # The stored (English) name, not str(): on Arabic pages that is Arabic, which slugify drops.
            parts.append("-".join(slugify(getattr(value, "name", value)) for value in data[key]))
    if data.get("min_fatalities") is not None:
        parts.append(f"min-{_slug_number(data['min_fatalities'])}-fatalities")
    for key in ("time_precision", "geo_precision"):
        if data.get(key):
            parts.append(slugify(f"{key} {' '.join(sorted(data[key]))}"))
    if data.get("q"):
        parts.append(slugify(f"text {data['q']}")[:40].strip("-"))
    parts += [str(data.get("date_from") or "start"), str(data.get("date_to") or today or timezone.localdate())]
    if since:
        parts.append("changed-since-" + utc_stamp(since))
    return "_".join(part for part in parts if part)[:200] + "." + extension


class PublicExport:
    """What a public export URL serves: the dashboard's filter over published incidents.

    `updated_since` narrows it to incidents changed or (re)published at or after that
    moment; what left the public set since then is in `withdrawn_rows`.
    """

    def __init__(self, params):
        self.filter = filtered_incidents(params)  # BadParameters names any bad parameter
        self.since = parse_since(params)
        self.started_at = timezone.now()
        queryset = self.filter.qs
        if self.since:
            queryset = queryset.filter(Q(updated_at__gte=self.since) | Q(published_at__gte=self.since))
        self.incidents = IncidentExport(queryset)
        # No filter at all: every published incident (the read model can then be read whole).
        self.everything = not self.since and not filters_in_use(self.filter.form.cleaned_data)

    def filename(self, extension):
        return export_filename(self.filter, extension, self.since)


WITHDRAWN_COLUMNS = ["event_id_cnty", "withdrawn_at", "reason", "merged_into"]


def withdrawn_rows(since=None):
    """Incidents once published and no longer public, withdrawn at or after `since`.

    Deliberately ignores the dashboard filters: matching a withdrawn incident's content
    against a text or actor filter would let anyone probe unpublished work, and a refresh
    only needs to drop the ids it holds. Gives the id, when, why, and the published
    incident it was merged into (if any).
    """
    published = Incident.objects.published()
    withdrawn = (Incident.objects.filter(withdrawn_at__isnull=False, published_at__isnull=False)
                 .exclude(pk__in=published.values("pk"))
                 .annotate(merged_into_public=Exists(published.filter(pk=OuterRef("merged_into"))))
                 .select_related("merged_into").order_by("withdrawn_at", "id"))
    if since:
        withdrawn = withdrawn.filter(withdrawn_at__gte=since)
    for incident in withdrawn.iterator(chunk_size=CHUNK_ROWS):
        target = incident.merged_into
        yield [incident.public_id, incident.withdrawn_at.astimezone(datetime.UTC).isoformat(),
               incident.withdrawal_reason, target.public_id if incident.merged_into_public else ""]


def csv_lines(header, rows):
    """A CSV written in Python (the withdrawn list): RFC 4180, CRLF, cells neutralised as above."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
        if buffer.tell() > 65536:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")
