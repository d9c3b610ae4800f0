"""The export's read model: one ready-made CSV line per published incident, kept current on write.

Computing the ~40 cells of an export line (joins to actors, areas, associated actors and evidence,
then CSV quoting) costs far more than reading the finished line (docs/PERFORMANCE.md, Export). So
PostgreSQL keeps `incidents_exportline` (incident_id, date, body): `body` is the incident's CSV line
up to and including the comma before `incident_url`, which is added when streaming because it
depends on the SITE_URL setting, not on the data.

Triggers (migration 0013) call `incidents_export_refresh(ids)` inside the writing statement, for
every incident whose line a change may alter: the incident itself, its associated actors and
evidence, and a rename of an actor, area, article URL or outlet. The function body is generated here
from the very SQL the export used to run per row (incidents/exports/incidents.py `_column_sql` and
`_csv_cell`), so the line stored is byte for byte the line that would be computed now;
`stale_lines()` checks exactly that, and `install()` must be run again (in a migration) whenever
that SQL changes.

Why the refresh deletes and then inserts in two statements: under READ COMMITTED each statement of
the (volatile SQL) function sees a fresh snapshot, so a writer that had to wait for another's lock on
the same line recomputes it with the other's committed change. The one window left: two
transactions both making a not-yet-exported incident public at the same moment through different
tables; `manage.py` code or ops can repair any stale line with `rebuild()`.
"""

from django.db import connection, connections
from django.db.models.expressions import RawSQL

from incidents.common.read_database import public_read_alias, streamed_transaction
from incidents.common.sqljson import sql_with_params
from incidents.exports.copy_out import CopyOut
from incidents.exports.incidents import EXPORT_COLUMNS, IncidentExport, _csv_cell, incident_url_parts, neutralise
from incidents.models import Incident

TABLE = "incidents_exportline"
SMALL_SHARE = 0.25  # of the read model's rows: below it, lines are looked up one by one (CsvStream)
REFRESH_FUNCTION = "incidents_export_refresh"
# incident_url is the last column and is added at read time (it depends on settings.SITE_URL).
assert EXPORT_COLUMNS[-1] == "incident_url"
BODY_COLUMNS = EXPORT_COLUMNS[:-1]


def body_sql():
    """SQL over q (IncidentExport's column subquery): the CSV cells before incident_url, each
    followed by a comma, exactly as the per-row export wrote them."""
    return "concat_ws(',', " + ", ".join(_csv_cell(name) for name in BODY_COLUMNS) + ") || ','"


def computed_lines_sql(queryset):
    """(sql, params) selecting (id, date, body) computed from the live tables for a queryset of incidents."""
    return IncidentExport(queryset)._select(f"q._id, q._date, {body_sql()}")


def _literal_sql(sql, params):
    """SQL with its parameters inlined, for a function body (psycopg2's own quoting)."""
    with connection.cursor() as cursor:
        return cursor.mogrify(sql, params).decode("utf-8")


def function_sql():
    """CREATE OR REPLACE of the refresh function: lines of the given incident ids recomputed, for the
    published ones only (Incident.objects.published(), the one definition)."""
    chosen = Incident.objects.published().filter(id__in=RawSQL("SELECT unnest($1)", []))
    select = _literal_sql(*computed_lines_sql(chosen))
    return f"""
CREATE OR REPLACE FUNCTION {REFRESH_FUNCTION}(bigint[]) RETURNS void LANGUAGE sql VOLATILE
SET jit = off AS $fn$
    DELETE FROM {TABLE} WHERE incident_id = ANY($1);
    INSERT INTO {TABLE} (incident_id, date, body) {select}
    ON CONFLICT (incident_id) DO UPDATE SET date = EXCLUDED.date, body = EXCLUDED.body;
$fn$;
"""


def install(schema_editor=None):
    """(Re)create the refresh function from the current export SQL and rebuild every line."""
    with connection.cursor() as cursor:
        cursor.execute(function_sql())
    rebuild()


def rebuild_sql():
    """(sql, params): the statements that recompute every line from the live tables."""
    sql, params = computed_lines_sql(Incident.objects.published())
    # Two statements in one transaction: readers keep the old lines until it commits.
    return f"DELETE FROM {TABLE}; INSERT INTO {TABLE} (incident_id, date, body) {sql}", params


def rebuild():
    """Recompute every line (after a bulk load with triggers off, or a repair)."""
    with connection.cursor() as cursor:
        cursor.execute(*rebuild_sql())


def stale_lines(limit=20):
    """Ids of published incidents whose stored line differs from the line computed now, or is
    missing, plus ids of lines kept for incidents no longer published: [] when the read model is right."""
    sql, params = computed_lines_sql(Incident.objects.published())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(c.id, e.incident_id) FROM ({sql}) c(id, date, body) "
                       f"FULL JOIN {TABLE} e ON e.incident_id = c.id "
                       f"WHERE c.body IS DISTINCT FROM e.body OR c.date IS DISTINCT FROM e.date "
                       f"ORDER BY 1 LIMIT %s", [*params, limit])
        return [row[0] for row in cursor.fetchall()]


def url_cell_parts():
    """The quoted incident_url cell around the incident id, as _csv_cell writes it: ('"https://…/incidents/', '/"')."""
    prefix, suffix = incident_url_parts()
    return '"' + neutralise(prefix).replace('"', '""'), suffix.replace('"', '""') + '"'


def stored_lines_sql(queryset, everything=False):
    """(sql, params) selecting finished CSV lines (text, without the line end: CopyOut adds CRLF) of
    a queryset of incidents from the read model, newest first as ACLED orders its exports.
    `everything`: the queryset is all published incidents, which are exactly the read model's rows:
    no join, read in index order."""
    prefix, suffix = url_cell_parts()
    line = f"SELECT e.body || %s || e.incident_id || %s FROM {TABLE} e"
    order = "ORDER BY e.date DESC, e.incident_id DESC"
    if everything:
        return f"{line} {order}", [prefix, suffix]
    # Ordered by the chosen incidents' own (date, id), which PostgreSQL can read in order from the
    # date index while it looks each line up: rows flow at once, with no sort of the lines (for 100k
    # lines, 68 MB sorted on disk before the first row; docs/PERFORMANCE.md, Export).
    ids_sql, ids_params = sql_with_params(queryset.order_by().values("id", "date"))
    return (f"{line} JOIN ({ids_sql}) o(id, date) ON e.incident_id = o.id ORDER BY o.date DESC, o.id DESC",
            [prefix, suffix, *ids_params])


class CsvStream:
    """One public CSV download from the read model, in one snapshot.

    `start()` opens a REPEATABLE READ transaction, counts the rows (`self.rows`, sent as the
    X-Export-Rows header), starts the COPY of the lines (CopyOut) and reads its first block: a
    database error up to there raises before any byte is sent, so the view can answer 503. After
    that, `rest()` streams the remaining blocks; an error there propagates out of the response
    iterator, and the server aborts the transfer (no final empty chunk), so no client can take a cut
    file for a whole one (docs/public-api.md). Closing `rest()` early (the client went away) cancels
    the COPY and rolls the transaction back.
    """

    def __init__(self, queryset, bom=False, everything=False):
        self.queryset, self.bom, self.everything, self.rows = queryset, bom, everything, None
        # Chosen now, in the request: the rows are read after the view (and its middleware) returned.
        self.alias = public_read_alias()
        self._chunks = self._generate()

    def start(self):
        """bytes: the header line and the first rows."""
        return next(self._chunks)

    def rest(self):
        """The remaining bytes chunks (after start())."""
        return self._chunks

    def _plan_for(self, cursor):
        """Settings for this transaction, from the exact row count just taken. PostgreSQL misjudges how
        many incidents a date window selects (the COALESCE of the window end), and then hashes the whole
        read model for a few thousand rows (docs/PERFORMANCE.md, Export): for a small share, look each
        line up by its key instead. For a large share, sort in memory rather than on disk."""
        if self.everything:
            return
        cursor.execute("SELECT greatest(reltuples, 1) FROM pg_class WHERE oid = %s::regclass", [TABLE])
        if self.rows < SMALL_SHARE * cursor.fetchone()[0]:
            cursor.execute("SET LOCAL enable_hashjoin = off")
            cursor.execute("SET LOCAL enable_mergejoin = off")
        else:
            cursor.execute("SET LOCAL work_mem = '256MB'")

    def _generate(self):
        header = ("\ufeff" if self.bom else "") + ",".join(EXPORT_COLUMNS) + "\r\n"
        sql, params = stored_lines_sql(self.queryset, self.everything)
        database = connections[self.alias]
        outermost = not database.in_atomic_block
        with streamed_transaction(self.alias):
            with database.cursor() as cursor:
                if outermost:  # the count and the rows from one snapshot
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            self.rows = self.queryset.using(self.alias).count()
            with database.cursor() as cursor:
                self._plan_for(cursor)
            copy = CopyOut(self.alias, sql, params)
            try:
                blocks = iter(copy)
                yield header.encode("utf-8") + next(blocks, b"")
                yield from blocks
            finally:
                copy.close()
