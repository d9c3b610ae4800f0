"""Turn a Django queryset into JSON text inside PostgreSQL.

The ORM builds the filtered rows (so every public view shares one FilterSet);
PostgreSQL builds the JSON around them (json_agg), and the text goes to the
client untouched: no row is ever loaded into a Python object.
"""

from django.db import connection, transaction

INNER = "{inner}"


def json_text(outer_sql, queryset, params_before=(), params_after=()):
    """Run `outer_sql` with "{inner}" replaced by the queryset's SQL; return its single text value.

    `outer_sql` must select one value cast to ::text (psycopg2 would otherwise parse json).
    Placeholders before "{inner}" take params_before, those after it params_after.
    """
    inner_sql, inner_params = queryset.query.sql_with_params()
    head, tail = outer_sql.split(INNER)
    with transaction.atomic(), connection.cursor() as cursor:
        tune_for_one_scan(cursor)
        cursor.execute(head + inner_sql + tail, [*params_before, *inner_params, *params_after])
        return cursor.fetchone()[0]


def tune_for_one_scan(cursor):
    """Settings for this transaction only, for one aggregate over up to a million rows:
    no JIT (compiling cost ~200 ms there and saved less), and enough work_mem for a hash
    aggregate instead of sorting every row to disk."""
    cursor.execute("SET LOCAL jit = off")
    cursor.execute("SET LOCAL work_mem = '32MB'")
