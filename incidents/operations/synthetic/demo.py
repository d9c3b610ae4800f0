"""Synthetic demonstration data (issue 20): loaded beside the real data, marked everywhere, removed whole.

What marks it: every incident carries the `demo` tag (incidents.models.incident.DEMO: its public id
is DEMO<pk>, its export rows and JSON say `demo`), and the outlets, articles and actors made for it
have a `demo` flag. `load_demo()` first removes any earlier demonstration data, so loading twice
never doubles the rows. Demonstration incidents are in the counts kept on write and the export lines
like any incident: the load refreshes them with the read models' own functions
(load.load(refresh_read_models=True)); the removal deletes the incidents through the triggers.
`remove_demo()` deletes them and everything attached (evidence, associated actors, history rows,
then the flagged articles, outlets and actors no real row uses), in one transaction.
"""

import time

from django.db import connection, transaction

from incidents.common.shared_cache import cache_delete, cache_get, cache_set
from incidents.models.incident import DEMO, demo_sql
from incidents.operations.synthetic import load

DEFAULT_COUNT = 20_000
DEMO_SEED = 20  # fixed, so every machine shows the same demonstration
# The banner's answer is cached this long (seconds) per process; load and remove clear it at once.
PRESENT_CACHE_KEY, PRESENT_CACHE_SECONDS = "demo-data-present", 10
DEMO_USERNAMES = {"analysts": ["analyst", "analyst2"], "reviewers": ["reviewer"]}  # seed_demo's logins


class DemoDataInUse(Exception):
    """Real records rest on demonstration data (e.g. evidence citing a demonstration article)."""


def demo_data_present():
    """True while any demonstration incident exists: one probe of a partial index, cached briefly."""
    present = cache_get(PRESENT_CACHE_KEY)
    if present is None:
        from incidents.models import Incident

        present = Incident.objects.filter(DEMO).exists()
        cache_set(PRESENT_CACHE_KEY, present, PRESENT_CACHE_SECONDS)
    return present


def _user_ids(cur, names):
    cur.execute("SELECT id FROM auth_user WHERE username = ANY(%s) ORDER BY username", [names])
    return [row[0] for row in cur.fetchall()]


def load_demo(n=DEFAULT_COUNT, seed=DEMO_SEED, population=None, progress=False, say=print):
    """Replace the demonstration data with n synthetic incidents (n >= 1). Real rows are untouched.

    population: {geonameid: people}, weights for the places (optional). Coders and reviewers are
    seed_demo's logins when they exist, else left empty. Returns {what: rows, "seconds": s}.
    Raises ValueError for n < 1 and DemoDataInUse when earlier demonstration data cannot be removed.
    """
    if n < 1:
        raise ValueError(f"The number of demonstration incidents must be at least 1, not {n}.")
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cur:
        removed = _remove(cur)
        if removed:
            say(f"removed the earlier demonstration data ({removed:,} incidents)")
        places = load.gazetteer_places(cur, population)
        counts = load.load(cur, n, seed=seed, places=places, analysts=_user_ids(cur, DEMO_USERNAMES["analysts"]),
                           reviewers=_user_ids(cur, DEMO_USERNAMES["reviewers"]), demo=True,
                           first_ids=load.next_ids(cur), progress=progress, say=say, refresh_read_models=True)
        load.set_sequences(cur)
        load.bump_data_version(cur)
    cache_delete(PRESENT_CACHE_KEY)
    counts["seconds"] = round(time.monotonic() - started, 1)
    return counts


def remove_demo():
    """Delete every demonstration incident and what is attached; returns how many incidents.
    Raises DemoDataInUse (nothing deleted) when a real incident cites a demonstration article."""
    with transaction.atomic(), connection.cursor() as cur:
        removed = _remove(cur)
        load.bump_data_version(cur)
    cache_delete(PRESENT_CACHE_KEY)
    return removed


# History tables of what a demonstration load writes (django-simple-history; m2m history included).
_INCIDENT_HISTORY = ["incidents_historicalincident_assoc_actors_1", "incidents_historicalincident_assoc_actors_2"]


def _remove(cur):
    cur.execute(f"CREATE TEMP TABLE demo_ids ON COMMIT DROP AS SELECT id FROM incidents_incident i "
                f"WHERE {demo_sql('i')}")
    cur.execute("SELECT count(*) FROM demo_ids")
    removed = cur.fetchone()[0]
    # Real coding resting on demonstration rows is refused, never silently changed (issue 20).
    cur.execute("SELECT DISTINCT e.incident_id FROM incidents_evidence e JOIN incidents_article a ON a.id = e.article_id "
                "WHERE a.demo AND e.incident_id NOT IN (SELECT id FROM demo_ids) "
                "UNION SELECT id FROM incidents_incident WHERE merged_into_id IN (SELECT id FROM demo_ids) "
                "AND id NOT IN (SELECT id FROM demo_ids) ORDER BY 1 LIMIT 20")
    if citing := [row[0] for row in cur.fetchall()]:
        raise DemoDataInUse(f"Real incidents (ids {', '.join(map(str, citing))}) cite demonstration articles or were "
                            "merged into demonstration incidents: change them first. Nothing was deleted.")
    # The evidence first without triggers (the incidents' export lines go with the incidents next);
    # then the incidents through the triggers (counts kept on write, counting their associated
    # actors while those rows still exist; export lines; data version); then the rest without
    # per-row foreign-key checks, nothing of it being public any more.
    cur.execute("SET LOCAL session_replication_role = replica")
    cur.execute("DELETE FROM incidents_evidence WHERE incident_id IN (SELECT id FROM demo_ids)")
    cur.execute("SET LOCAL session_replication_role = origin")
    cur.execute("DELETE FROM incidents_incident WHERE id IN (SELECT id FROM demo_ids)")
    cur.execute("SET LOCAL session_replication_role = replica")
    for side in (1, 2):
        cur.execute(f"DELETE FROM incidents_incident_assoc_actors_{side} WHERE incident_id IN (SELECT id FROM demo_ids)")
    _delete_history(cur)
    cur.execute("DELETE FROM incidents_historicalarticle WHERE id IN (SELECT id FROM incidents_article WHERE demo)")
    cur.execute("DELETE FROM incidents_article WHERE demo AND id NOT IN (SELECT article_id FROM incidents_evidence)")
    cur.execute("DELETE FROM incidents_historicalsource WHERE id IN (SELECT id FROM incidents_source WHERE demo "
                "AND id NOT IN (SELECT source_id FROM incidents_article))")
    cur.execute("DELETE FROM incidents_source WHERE demo AND id NOT IN (SELECT source_id FROM incidents_article)")
    # An actor made for the demonstration that a real incident now names has become real: it stays.
    used = " UNION ".join([f"SELECT {c} FROM incidents_incident WHERE {c} IS NOT NULL" for c in ("actor1_id", "actor2_id")]
                          + [f"SELECT actor_id FROM incidents_incident_assoc_actors_{side}" for side in (1, 2)])
    cur.execute(f"UPDATE incidents_actor SET demo = false WHERE demo AND id IN ({used})")
    cur.execute("DELETE FROM incidents_historicalactor WHERE id IN (SELECT id FROM incidents_actor WHERE demo)")
    cur.execute("UPDATE incidents_actor SET parent_id = NULL WHERE parent_id IN (SELECT id FROM incidents_actor WHERE demo)")
    cur.execute("DELETE FROM incidents_actor WHERE demo")
    cur.execute("SET LOCAL session_replication_role = origin")
    cur.execute("DROP TABLE demo_ids")
    return removed


def _delete_history(cur):
    """History rows of demonstration incidents and their evidence (written if anyone edited them)."""
    for table in _INCIDENT_HISTORY:
        cur.execute(f"DELETE FROM {table} WHERE history_id IN (SELECT history_id FROM incidents_historicalincident "
                    "WHERE id IN (SELECT id FROM demo_ids))")
    cur.execute("DELETE FROM incidents_historicalincident WHERE id IN (SELECT id FROM demo_ids)")
    cur.execute("DELETE FROM incidents_historicalevidence WHERE incident_id IN (SELECT id FROM demo_ids)")
