"""Turn a Django queryset into JSON text inside PostgreSQL.

The ORM builds the filtered rows (so every public view shares one FilterSet);
PostgreSQL builds the JSON around them (json_agg), and the text goes to the
client untouched: no row is ever loaded into a Python object.
"""

from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.db.models.sql.where import WhereNode

from incidents.common.read_database import public_read_alias

INNER = "{inner}"


def json_text(outer_sql, queryset, params_before=(), params_after=()):
    """Run `outer_sql` with "{inner}" replaced by the queryset's SQL; return its single text value.

    `outer_sql` must select one value cast to ::text (psycopg2 would otherwise parse json).
    Placeholders before "{inner}" take params_before, those after it params_after.
    """
    inner_sql, inner_params = sql_with_params(queryset)
    head, tail = outer_sql.split(INNER)
    alias = public_read_alias()  # the replica for a public read (incidents/operations/replica.py)
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        tune_for_one_scan(cursor)
        cursor.execute(head + inner_sql + tail, [*params_before, *inner_params, *params_after])
        return cursor.fetchone()[0]


def tune_for_one_scan(cursor):
    """Settings for this transaction only, for one aggregate over up to a million rows:
    no JIT (compiling cost more than it saved there: docs/PERFORMANCE.md, JIT), and enough work_mem
    for a hash aggregate instead of sorting every row to disk."""
    cursor.execute("SET LOCAL jit = off")
    cursor.execute("SET LOCAL work_mem = '32MB'")


def sql_with_params(queryset):
    """The queryset's SQL, also for one known to match nothing (e.g. .none(), or a sub-event type
    of another event type), which Django refuses to compile: the same columns, WHERE FALSE. An
    (sql, params) pair, already compiled, is returned as it is."""
    if isinstance(queryset, tuple):
        return queryset
    try:
        return queryset.query.sql_with_params()
    except EmptyResultSet:
        nothing = queryset.query.clone()  # works on a sliced queryset too, unlike .filter()
        nothing.where = WhereNode()
        nothing.add_q(Q(RawSQL("FALSE", [], output_field=BooleanField())))
        return nothing.sql_with_params()
