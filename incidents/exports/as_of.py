"""`?as_of=<ISO time>` on every export: what the public could download at that moment, rebuilt from history.

How: inside one transaction, temporary tables named like the live ones (incidents_incident,
incidents_actor, ...) are filled with each row's latest version at or before the moment, read from
the history django-simple-history keeps (a version whose type is "-" was a deletion: the row is
absent). PostgreSQL looks up temporary tables first, so the very same code then runs unchanged on
the past: the dashboard's FilterSet (incidents/public/filters.py), the one definition of published
(`Incident.objects.published()`, applied to the incident's row *as it was then*: approved and not
merged at that moment) and the export's SQL (incidents/exports/incidents.py). The transaction is
rolled back, or the tables dropped, at the end: nothing of the past is left visible to anything else.

What is rebuilt exactly: every column of the incident as it was (status, merge, fields, actors,
associated actors, governorate/district and their names, evidence, articles' URLs and outlets'
names, `timestamp`). What is not: data without history (the counts kept on write, which the export
does not read; the actor list that validates `?actor=` is rebuilt from the rebuilt incidents), and
the export's code and the SITE_URL setting, which are today's (`incident_url`, column set). That
is why a snapshot keeps its bytes instead of rebuilding them (incidents/exports/snapshots.py).
"""

import datetime
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from incidents.common.params import BadParameters, parse_since
from incidents.common.sqljson import sql_with_params
from incidents.exports.incidents import (
    WITHDRAWN_COLUMNS,
    PublicExport,
    csv_lines,
    export_filename,
    utc_stamp,
    withdrawn_rows,
)
from incidents.models import Actor, ActorCount, AdminArea, Article, Evidence, Incident, Place, Source

PARAMETER = "as_of"
# Live tables rebuilt from their history, in an order where each rebuilt table only refers to earlier ones.
HISTORY_MODELS = (Incident, Actor, AdminArea, Place, Evidence, Article, Source)
M2M_FIELDS = ("assoc_actors_1", "assoc_actors_2")


def parse_as_of(params, now=None):
    """The moment `?as_of=` names, as an aware UTC datetime, or None when absent or empty.

    Accepts what `updated_since` accepts (incidents.common.params.parse_since: ISO 8601 date or
    date-time, UTC when no offset is given, "+02:00" or "Z" otherwise; or Unix seconds). A moment
    later than now is refused rather than clamped: a URL with as_of must mean the same download
    forever, and a future moment would change its answer until it passes.
    Raises BadParameters naming `as_of` (HTTP 400) for anything else.
    """
    moment = parse_since(params, name="as_of")  # written out: the fuzz test finds parameters in the source
    if moment is not None and moment > (now or timezone.now()):
        raise BadParameters({PARAMETER: [f"{moment.isoformat()} is in the future; as_of must be a past moment "
                                         "(UTC unless an offset is given)."]})
    return moment


# A save stamps its history in Python just before its first statement may start the transaction.
STAMP_MARGIN = datetime.timedelta(seconds=1)


def settled_moment():
    """The latest moment whose history is complete (aware UTC datetime): now, or, while another
    transaction that has written is still open, just before it began. A version stamped before a moment
    but committed after it would otherwise change that moment's answer once it commits (found by an
    attacker session: a snapshot then disagreed with `?as_of=` at its own moment). Sees the sessions of
    this database user (pg_stat_activity), which is every worker of this site."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(xact_start) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL")
        (oldest,) = cursor.fetchone()
    return now if oldest is None else min(now, oldest - STAMP_MARGIN)


def iso_utc(moment):
    """The moment as as_of takes it back: ISO 8601 in UTC with microseconds and Z (2026-11-30T23:59:01.123456Z)."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _columns(model):
    """SELECT list over h (a history row) giving the live table's columns; NULL for a column without history."""
    live = model._meta.concrete_fields
    kept = {field.column for field in model.history.model._meta.concrete_fields}
    quote = connection.ops.quote_name  # evidence has a column named "end"
    return ", ".join(f"h.{quote(f.column)}" if f.column in kept
                     else f"NULL::{f.db_type(connection)} AS {quote(f.column)}" for f in live)


# Columns the export and the filters look rows up by (besides id): without an index each per-incident
# lookup of the export would read the whole temporary table (docs/PERFORMANCE.md, Snapshots and as_of).
LOOKUP_COLUMNS = {Evidence: ["incident_id"], Incident: ["merged_into_id"]}


def _live_columns(model):
    return ", ".join(f"l.{connection.ops.quote_name(f.column)}" for f in model._meta.concrete_fields)


def _rebuild_sql(model, moment_literal):
    """CREATE TEMP TABLE <live name> of each row's latest version at or before the moment (deleted rows
    left out), plus the live rows that have no history at all (bulk loads: see _without_history)."""
    table, history = model._meta.db_table, model.history.model._meta.db_table
    extra = ", h.history_id AS as_of_history_id" if model is Incident else ""
    # The latest version's key first (narrow rows, the index of migration 0015 for incidents), then the rows.
    return f"""
        CREATE TEMP TABLE {table} ON COMMIT DROP AS
        SELECT {_columns(model)}{extra} FROM {history} h JOIN (
            SELECT DISTINCT ON (id) history_id, history_type FROM {history}
            WHERE history_date <= {moment_literal} ORDER BY id, history_date DESC, history_id DESC
        ) latest ON latest.history_id = h.history_id WHERE latest.history_type <> '-';
        {_without_history(model, moment_literal)};
        CREATE UNIQUE INDEX ON pg_temp.{table} (id);
    """ + "".join(f"CREATE INDEX ON pg_temp.{table} ({column});" for column in LOOKUP_COLUMNS.get(model, []))


def _without_history(model, moment_literal):
    """Rows written without history (bulk_create: ACLED imports' new actors, bench loads) are taken as
    they are now, as if they had always been so; an incident only from its publication (or creation)
    on, and still only if it is published (the published rule is applied to it like to any other)."""
    table, history = model._meta.db_table, model.history.model._meta.db_table
    extra = ", NULL::integer" if model is Incident else ""
    since = f" AND COALESCE(l.published_at, l.created_at) <= {moment_literal}" if model is Incident else ""
    return (f"INSERT INTO pg_temp.{table} SELECT {_live_columns(model)}{extra} FROM public.{table} l "
            f"WHERE NOT EXISTS (SELECT 1 FROM {history} x WHERE x.id = l.id){since}")


def _m2m_sql(field_name):
    """The associated actors each rebuilt incident had in its rebuilt version (the version's own m2m rows);
    for an incident whose associated actors were never recorded in history (an ACLED import adds them in
    bulk), the live ones."""
    through = getattr(Incident, field_name).through._meta.db_table
    history = f"{Incident.history.model._meta.db_table}_{field_name}"
    return f"""
        CREATE TEMP TABLE {through} ON COMMIT DROP AS
        SELECT m.id, m.incident_id, m.actor_id FROM {history} m
        JOIN pg_temp.{Incident._meta.db_table} i ON i.as_of_history_id = m.history_id;
        INSERT INTO pg_temp.{through} SELECT t.id, t.incident_id, t.actor_id FROM public.{through} t
        WHERE t.incident_id IN (SELECT id FROM pg_temp.{Incident._meta.db_table})
        AND NOT EXISTS (SELECT 1 FROM {history} x WHERE x.incident_id = t.incident_id);
        CREATE INDEX ON pg_temp.{through} (incident_id);
    """


def _actor_counts_sql():
    """The published-actor list behind the `actor` filter's choices, from the rebuilt published incidents
    (one pass over them: the published ones first, then their associated actors by index)."""
    published_sql, params = sql_with_params(Incident.objects.published().values("id", "actor1_id", "actor2_id"))
    table = ActorCount._meta.db_table
    assoc = [getattr(Incident, name).through._meta.db_table for name in M2M_FIELDS]
    named = ("SELECT actor1_id AS actor_id FROM p UNION ALL SELECT actor2_id FROM p WHERE actor2_id IS NOT NULL "
             + " ".join(f"UNION ALL SELECT t.actor_id FROM p JOIN {t} t ON t.incident_id = p.id" for t in assoc))
    sql = (f"CREATE TEMP TABLE {table} ON COMMIT DROP AS WITH p AS MATERIALIZED ({published_sql}) "
           f"SELECT row_number() OVER () AS id, actor_id, count(*)::int AS incidents FROM ({named}) n GROUP BY actor_id")
    return sql, params


# What ANALYZE samples per rebuilt table (None: every column). The wide text columns (summaries, quotes,
# article texts) are never filtered on in the past, and sampling them cost seconds at 100k incidents.
ANALYZED_COLUMNS = {
    Incident._meta.db_table: ["id", "status", "merged_into_id", "date", "date_end", "event_type", "sub_event_type",
                              "actor1_id", "actor2_id", "admin1_id", "admin2_id", "fatalities", "updated_at"],
    Evidence._meta.db_table: ["id", "incident_id", "article_id"],
    Article._meta.db_table: ["id", "source_id"],
}


def shadowed_tables():
    """Names of the live tables an as_of state replaces, in creation order."""
    names = [model._meta.db_table for model in HISTORY_MODELS]
    names += [getattr(Incident, name).through._meta.db_table for name in M2M_FIELDS]
    return names + [ActorCount._meta.db_table]


class AsOfBusy(Exception):
    """Raised when AS_OF_CONCURRENT rebuilds of the past already run (the site answers 503)."""


# The advisory-lock key of the rebuild slots ("asof"); slot numbers are the second key.
SLOT_KEY = 0x61736F66


def _take_a_slot(cursor):
    """One of settings.AS_OF_CONCURRENT slots for this transaction, or AsOfBusy. A rebuild costs seconds of
    a core per 100k incidents (docs/PERFORMANCE.md), so a client asking for many at once must not take
    every core: the slots bound them site-wide, whoever asks. A session may hold a slot more than once."""
    for slot in range(settings.AS_OF_CONCURRENT):
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [SLOT_KEY, slot])
        if cursor.fetchone()[0]:
            return
    raise AsOfBusy()


@contextmanager
def as_of_state(moment):
    """Within the block, this connection reads the published data as it stood at `moment` (aware datetime).

    Must run on the primary (temporary tables), inside or outside a transaction: a savepoint (or a
    transaction) holds the tables; they are dropped on leaving normally and rolled back with the
    savepoint on an error or a closed generator, so nothing survives the block. Writing to the
    shadowed models inside it is an error of the caller (it would write to the temporary tables).
    """
    with transaction.atomic():
        with connection.cursor() as cursor:
            _take_a_slot(cursor)  # AsOfBusy when all are taken; released with the transaction
            cursor.execute("SET LOCAL jit = off")
            moment_literal = cursor.mogrify("%s::timestamptz", [moment]).decode()
            for model in HISTORY_MODELS:
                cursor.execute(_rebuild_sql(model, moment_literal))
            for name in M2M_FIELDS:
                cursor.execute(_m2m_sql(name))
            cursor.execute(*_actor_counts_sql())
            for table in shadowed_tables():
                columns = ANALYZED_COLUMNS.get(table)
                cursor.execute(f"ANALYZE pg_temp.{table}" + (f" ({', '.join(columns)})" if columns else ""))
        yield moment
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE " + ", ".join(f"pg_temp.{t}" for t in shadowed_tables()))


class AsOfExport:
    """One download of the export as of a moment: `kind` is "csv", "geojson" or "withdrawn".

    `start()` rebuilds the past, checks the filter there (BadParameters names a bad parameter, so
    the view still answers 400) and reads the first rows: a database error up to there still gets
    the view's 503. Then `rest()` streams the remaining chunks; closing it rolls the rebuild back.
    After start(): `rows` (data rows, CSV and GeoJSON) and `filename`.
    """

    EXTENSIONS = {"csv": "csv", "geojson": "geojson", "withdrawn": "csv"}

    def __init__(self, params, moment, kind, bom=False):
        self.params, self.moment, self.kind, self.bom = params, moment, kind, bom
        self.rows, self.filename = None, None
        self._chunks = self._generate()

    def start(self):
        return next(self._chunks)

    def rest(self):
        return self._chunks

    def _chunks_in_the_past(self):
        stamp = f"as-of-{utc_stamp(self.moment)}"
        if self.kind == "withdrawn":
            since = parse_since(self.params)
            self.filename = f"incidents_withdrawn_{stamp}.csv"
            return csv_lines(WITHDRAWN_COLUMNS, withdrawn_rows(since))
        export = PublicExport(self.params)
        extension = self.EXTENSIONS[self.kind]
        name = export_filename(export.filter, extension, export.since, today=self.moment.date())
        self.filename = f"{name[:-len(extension) - 1]}_{stamp}.{extension}"
        self.rows = export.incidents.queryset.count()
        if self.kind == "csv":
            return export.incidents.csv_chunks(bom=self.bom)
        return export.incidents.geojson_chunks()

    def _generate(self):
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if outermost:  # the rebuild and the rows from one snapshot of the database
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            with as_of_state(self.moment):
                chunks = iter(self._chunks_in_the_past())
                first = next(chunks, b"")
                if self.kind == "csv":
                    first += next(chunks, b"")  # the header and the first rows: errors before any byte is sent
                yield first
                yield from chunks


def as_of_bytes(params, moment, kind):
    """The whole as_of download as bytes (tests and the bench; the site streams it)."""
    export = AsOfExport(params, moment, kind)
    return b"".join([export.start(), *export.rest()])
