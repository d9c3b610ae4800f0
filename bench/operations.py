"""The operations the benchmark times, each beside the raw PostgreSQL query that is its physical limit.

"Raw" is the least work PostgreSQL must do to produce the same information for the same
incidents (published: approved and not merged), read by a Python client over the same
loopback: no ORM, no HTTP, no Django. ours / raw says how far from that limit we are.
"""

from dataclasses import dataclass, field

PUBLISHED = "i.status = 'approved' AND i.merged_into_id IS NULL"
# The dashboard's date filter: a window overlaps the range (filters.IncidentFilter).
IN_WINDOW = "COALESCE(i.date_end, i.date) >= %(date_from)s AND i.date <= %(date_to)s"
SYRIA_BBOX = (35.5, 32.0, 42.5, 37.5)
# What the map shows on first load: Leaflet's default view (Deir ez-Zor city, zoom 10) on a
# 1,280 x 720 px map.
DEFAULT_VIEW_BBOX, DEFAULT_VIEW_ZOOM = (39.26, 34.99, 41.02, 35.67), 10
MAP_FILTER_SIZE = 100_000


@dataclass
class Operation:
    key: str
    label: str
    path: str
    params: dict = field(default_factory=dict)
    raw: list = field(default_factory=list)  # SQL statements run one after another; "COPY ..." streams
    target: str = ""
    limit_ms: float = None  # target on our median time
    max_ratio: float = None  # target on ours / raw
    login: bool = False
    kind: str = "time"  # time | export | load | shared_cache
    note: str = ""


BARE_EXPORT = f"SELECT i.* FROM incidents_incident i WHERE {PUBLISHED}"
# The export's smaller sizes: a date window (the dashboard's overlap rule) selecting about this many.
EXPORT_SIZES = {"10k": 10_000, "100k": 100_000}


def bare_copy(where):
    """The raw limit of an export: COPY of the incident table's own rows for the same incidents."""
    return f"COPY (SELECT i.* FROM incidents_incident i WHERE {where}) TO STDOUT WITH CSV HEADER"


def features_sql(where):
    """json_agg of ST_AsGeoJSON features: the issue's raw limit for map data."""
    return (f"SELECT json_agg(ST_AsGeoJSON(t.*)::json)::text FROM (SELECT i.id, i.date, i.event_type, "
            f"i.sub_event_type, i.fatalities, i.location, i.point FROM incidents_incident i WHERE {where}) t")


def clusters_sql(where, cell):
    return (f"SELECT json_agg(json_build_object('n', n, 'x', x, 'y', y, 'types', types))::text FROM ("
            f"SELECT count(*) AS n, avg(ST_X(i.point)) AS x, avg(ST_Y(i.point)) AS y, "
            f"array_agg(DISTINCT i.event_type) AS types FROM incidents_incident i WHERE {where} "
            f"GROUP BY ST_SnapToGrid(i.point, {cell})) c")


def cell_size(zoom, px=60):
    return 360.0 / (256 * 2 ** zoom) * px


def in_bbox(bbox):
    return "i.point && ST_MakeEnvelope({}, {}, {}, {}, 4326)".format(*bbox)


def page_sql(where, size, columns="i.id, i.date, i.event_type, i.sub_event_type, i.location, i.fatalities, "
                                  "a1.name, a2.name, g1.name"):
    return (f"SELECT {columns} FROM incidents_incident i JOIN incidents_actor a1 ON a1.id = i.actor1_id "
            f"LEFT JOIN incidents_actor a2 ON a2.id = i.actor2_id "
            f"LEFT JOIN incidents_adminarea g1 ON g1.id = i.admin1_id "
            f"WHERE {where} ORDER BY i.date DESC, i.id DESC LIMIT {size}")


def weekly_sql(where):
    return ("SELECT date_trunc('week', i.date)::date AS week, i.event_type, count(*), sum(i.fatalities), "
            "count(*) FILTER (WHERE i.time_precision <> 1) "
            f"FROM incidents_incident i WHERE {where} GROUP BY 1, 2")


def operations():
    window = {"date_from": "%(date_from)s", "date_to": "%(date_to)s"}
    syria_bbox = ",".join(map(str, SYRIA_BBOX))
    view_bbox = ",".join(map(str, DEFAULT_VIEW_BBOX))
    map_where = f"{PUBLISHED} AND {IN_WINDOW}"
    return [
        *(Operation(f"csv_export_{size}", f"1{letter}. CSV export, date window of ~{size} incidents",
                    "/export/incidents.csv", params={"date_from": f"%(export_{size}_from)s",
                                                     "date_to": f"%(export_{size}_to)s"},
                    raw=[bare_copy(f"{PUBLISHED} AND COALESCE(i.date_end, i.date) >= %(export_{size}_from)s "
                                   f"AND i.date <= %(export_{size}_to)s")],
                    kind="export", max_ratio=2.0, target="≥ 0.5× bare COPY rows/s, flat memory",
                    note="raw = COPY of the incident table's own rows for the same incidents")
          for letter, size in zip("ab", EXPORT_SIZES)),
        Operation("csv_export", "1c. CSV export, all published", "/export/incidents.csv",
                  raw=[bare_copy(PUBLISHED)], kind="export", max_ratio=2.0,
                  target="≥ 0.5× bare COPY rows/s, flat memory",
                  note="raw = COPY of the incident table's own rows: no joins, no formatting"),
        Operation("map_clusters", "2. map data, ~100k match, Syria (zoom 6)", "/api/incidents.geojson",
                  params={**window, "bbox": syria_bbox, "zoom": 6}, limit_ms=300, target="≤ 300 ms",
                  raw=[features_sql(f"{map_where} AND {in_bbox(SYRIA_BBOX)}")],
                  note="raw = json_agg(ST_AsGeoJSON) of all matching features"),
        Operation("map_clusters_grid", "2b. same, raw = grid GROUP BY", "/api/incidents.geojson",
                  params={**window, "bbox": syria_bbox, "zoom": 6}, limit_ms=300, target="≤ 300 ms",
                  raw=[clusters_sql(f"{map_where} AND {in_bbox(SYRIA_BBOX)}", cell_size(6))],
                  note="raw = ST_SnapToGrid clusters of the same incidents"),
        Operation("map_default_view", "2c. map data, first load (all dates, zoom 10)", "/api/incidents.geojson",
                  params={"bbox": view_bbox, "zoom": DEFAULT_VIEW_ZOOM}, limit_ms=300, target="≤ 300 ms",
                  raw=[clusters_sql(f"{PUBLISHED} AND {in_bbox(DEFAULT_VIEW_BBOX)}", cell_size(DEFAULT_VIEW_ZOOM))],
                  note="raw = grid GROUP BY of the incidents in view"),
        Operation("timeline", "3. timeline, weekly by event type, all", "/api/timeline.json",
                  params={"interval": "week"}, raw=[weekly_sql(PUBLISHED)], limit_ms=150, target="≤ 150 ms"),
        Operation("admin_changelist", "4. admin changelist, in review, page 1", "/admin/incidents/incident/",
                  params={"status__exact": "in_review"}, login=True, limit_ms=500, target="≤ 500 ms",
                  raw=[page_sql("i.status = 'in_review'", 100)], note="raw = the 100-row page query alone"),
        Operation("admin_changelist_all", "4e. admin changelist, no filter, page 1", "/admin/incidents/incident/",
                  login=True, limit_ms=500, target="≤ 500 ms", raw=[page_sql("TRUE", 100)],
                  note="raw = the 100-row page query alone"),
        Operation("admin_search", "4f. admin search for a word", "/admin/incidents/incident/",
                  params={"q": "airbase"}, login=True, limit_ms=500, target="≤ 500 ms",
                  raw=["SELECT count(*) FROM incidents_incident i WHERE upper(i.notes) LIKE '%%AIRBASE%%' "
                       "OR upper(i.location) LIKE '%%AIRBASE%%'"],
                  note="raw = count of the incidents whose summary or place holds the word"),
        Operation("table_page", "4b. public dashboard page (table), Battles", "/",
                  params={"event_type": "Battles"}, limit_ms=500, target="≤ 500 ms",
                  raw=[page_sql(f"{PUBLISHED} AND i.event_type = 'Battles'", 50)],
                  note="raw = the 50-row page query alone"),
        Operation("dashboard_page", "4d. public dashboard page, no filter", "/", limit_ms=500, target="≤ 500 ms",
                  raw=[page_sql(PUBLISHED, 50), weekly_sql(PUBLISHED)],
                  note="raw = the 50-row page query and the weekly GROUP BY"),
        Operation("table_json", "4c. table JSON, Battles, page 1", "/api/incidents.json",
                  params={"event_type": "Battles"}, limit_ms=500, target="≤ 500 ms",
                  raw=[page_sql(f"{PUBLISHED} AND i.event_type = 'Battles'", 50)]),
        Operation("map_page_load", "5. public map page under wrk", "/", kind="load",
                  target="≥ 200 req/s, 0 errors"),
        Operation("map_data_load", "5b. first-load map data under wrk", "/api/incidents.geojson",
                  params={"bbox": view_bbox, "zoom": DEFAULT_VIEW_ZOOM}, kind="load",
                  target="≥ 200 req/s, 0 errors"),
        Operation("shared_cache", "6. two processes on one Redis: dashboard questions computed", "/",
                  kind="shared_cache", target="each question computed once for both processes",
                  note="N distinct dashboard questions asked of process A, then of B, right after a data change; "
                       "raw = LocMem, where B computes each again"),
    ]


def data_window(cursor, size=MAP_FILTER_SIZE):
    """date_from/date_to such that about `size` published incidents (at most half of them) match."""
    cursor.execute(f"SELECT count(*), min(i.date) FROM incidents_incident i WHERE {PUBLISHED}")
    total, first = cursor.fetchone()
    if not total:
        raise SystemExit("The benchmark database has no published incidents: run bench/generate.py first.")
    wanted = max(1, min(size, total // 2))
    start_offset = total // 4
    cursor.execute(f"SELECT i.date FROM incidents_incident i WHERE {PUBLISHED} ORDER BY i.date "
                   f"OFFSET %s LIMIT 1", [start_offset])
    date_from = cursor.fetchone()[0]
    cursor.execute(f"SELECT i.date FROM incidents_incident i WHERE {PUBLISHED} AND i.date >= %s ORDER BY i.date "
                   f"OFFSET %s LIMIT 1", [date_from, wanted - 1])
    row = cursor.fetchone()
    date_to = row[0] if row else date_from
    cursor.execute(f"SELECT count(*) FROM incidents_incident i WHERE {PUBLISHED} AND {IN_WINDOW}",
                   {"date_from": date_from, "date_to": date_to})
    return {"date_from": date_from.isoformat(), "date_to": date_to.isoformat(), "published": total,
            "matching": cursor.fetchone()[0]}


def export_windows(cursor):
    """export_<size>_from/_to: date windows for the smaller export rows (data_window of that size)."""
    context = {}
    for name, size in EXPORT_SIZES.items():
        window = data_window(cursor, size)
        context[f"export_{name}_from"], context[f"export_{name}_to"] = window["date_from"], window["date_to"]
        context[f"export_{name}_matching"] = window["matching"]
    return context
