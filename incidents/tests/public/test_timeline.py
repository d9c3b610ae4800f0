"""Timeline buckets: counted in SQL, stacked by event type, honest about approximate dates."""

import datetime
import re

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.common.params import BadParameters
from incidents.common.typology import EVENT_TYPE_COLOURS, TimePrecision
from incidents.models import Incident
from incidents.public.timeline import parse_interval, timeline
from incidents.public.timeline_chart import HEIGHTS, chart
from incidents.tests.factories import make_actor, make_incident, make_unpublished_trio

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def actor(boundaries):
    return make_actor()


def incident(actor, day, **fields):
    return make_incident(actor1=actor, date=day, **fields)


def counted(result):
    return {b["start"]: b["incidents"] for b in result["buckets"] if b["incidents"]}


def test_days_weeks_and_months_count_incidents_and_fatalities(actor):
    incident(actor, D(2016, 1, 4), fatalities=2)   # Monday
    incident(actor, D(2016, 1, 10), fatalities=3)  # Sunday of the same ISO week
    incident(actor, D(2016, 2, 1))
    assert counted(timeline(Incident.objects.published(), "day")) == {"2016-01-04": 1, "2016-01-10": 1, "2016-02-01": 1}
    weeks = timeline(Incident.objects.published(), "week")
    assert counted(weeks) == {"2016-01-04": 2, "2016-02-01": 1}
    assert weeks["buckets"][0] == {**weeks["buckets"][0], "end": "2016-01-10", "fatalities": 5}
    assert counted(timeline(Incident.objects.published(), "month")) == {"2016-01-01": 2, "2016-02-01": 1}


def test_empty_buckets_between_incidents_are_zero_not_missing(actor):
    incident(actor, D(2016, 1, 15))
    incident(actor, D(2016, 4, 15))
    buckets = timeline(Incident.objects.published(), "month")["buckets"]
    assert [(b["start"], b["incidents"]) for b in buckets] == [
        ("2016-01-01", 1), ("2016-02-01", 0), ("2016-03-01", 0), ("2016-04-01", 1)]


def test_bars_are_stacked_by_event_type(actor):
    incident(actor, D(2016, 1, 5), fatalities=4)
    incident(actor, D(2016, 1, 6), event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
             fatalities=1)
    bucket = timeline(Incident.objects.published(), "month")["buckets"][0]
    assert bucket["by_event_type"]["Battles"]["incidents"] == 1
    assert bucket["by_event_type"]["Battles"]["fatalities"] == 4
    assert bucket["by_event_type"]["Explosions/Remote violence"]["fatalities"] == 1


def test_unpublished_incidents_are_not_counted(actor):
    incident(actor, D(2016, 1, 5), fatalities=1)
    make_unpublished_trio(date=D(2016, 1, 5), fatalities=50)
    assert timeline(Incident.objects.published(), "month")["totals"]["fatalities"] == 1


def test_approximate_date_counts_at_its_first_day_and_its_window_is_reported(actor):
    incident(actor, D(2016, 1, 1), date_end=D(2016, 6, 30), time_precision=TimePrecision.UNKNOWN, fatalities=2)
    result = timeline(Incident.objects.published(), "month")
    assert counted(result) == {"2016-01-01": 1}
    assert result["buckets"][0]["approximate"] == 1 and result["totals"]["approximate_fatalities"] == 2
    # The axis runs to the window's last day, and the window is listed.
    assert result["buckets"][-1]["start"] == "2016-06-01"
    assert result["windows"] == [{"start": "2016-01-01", "end": "2016-06-30", "incidents": 1, "fatalities": 2}]


def test_window_inside_one_bucket_is_not_listed_as_a_window(actor):
    incident(actor, D(2016, 3, 2), date_end=D(2016, 3, 8), time_precision=TimePrecision.WEEK)
    assert timeline(Incident.objects.published(), "month")["windows"] == []
    assert len(timeline(Incident.objects.published(), "day")["windows"]) == 1


def test_date_filter_counts_a_window_at_the_first_day_inside_the_filter(actor):
    incident(actor, D(2015, 9, 30), date_end=D(2017, 9, 9), time_precision=TimePrecision.UNKNOWN)
    result = timeline(Incident.objects.published(), "month", date_from=D(2016, 5, 10), date_to=D(2016, 8, 31))
    assert counted(result) == {"2016-05-10": 1}  # the first bar counts from the filter's first day, and says so
    assert result["windows"][0]["start"] == "2016-05-10" and result["windows"][0]["end"] == "2016-08-31"
    assert result["buckets"][-1]["start"] == "2016-08-01"


@pytest.mark.parametrize("last_day, expected", [(D(2016, 3, 1), "day"), (D(2017, 6, 1), "week"),
                                                (D(2020, 1, 1), "month")])
def test_auto_interval_keeps_the_number_of_bars_readable(actor, last_day, expected):
    incident(actor, D(2016, 1, 1))
    incident(actor, last_day)
    result = timeline(Incident.objects.published(), "auto")
    assert result["interval"] == expected
    assert len(result["buckets"]) <= 160


def test_counting_is_one_scan_in_the_database_not_a_loop_over_incidents(actor):
    for day in range(1, 29):
        incident(actor, D(2016, 2, day), point=Point(40.1 + day / 1000, 35.3, srid=4326))
    with CaptureQueriesContext(connection) as captured:
        result = timeline(Incident.objects.published(), "week")
    assert result["totals"]["incidents"] == 28
    reads = [q["sql"] for q in captured if "incidents_incident" in q["sql"]]
    assert len(reads) == 1 and "GROUP BY" in reads[0]


def test_auto_interval_over_a_long_span_needs_one_scan(actor):
    incident(actor, D(2012, 1, 1))
    incident(actor, D(2020, 1, 1))
    with CaptureQueriesContext(connection) as captured:
        assert timeline(Incident.objects.published(), "auto")["interval"] == "month"
    assert len([q for q in captured if "incidents_incident" in q["sql"]]) == 1


@pytest.mark.parametrize("raw", ["year", "DAY", "1"])
def test_unknown_interval_is_a_bad_parameter(raw):
    with pytest.raises(BadParameters) as error:
        parse_interval({"interval": raw})
    assert "interval" in error.value.errors


# -- the SVG chart drawn from the buckets --

def test_tallest_bar_fits_the_chart_and_approximate_part_is_hatched(actor):
    for _ in range(3):
        incident(actor, D(2016, 1, 5))
    incident(actor, D(2016, 2, 5), date_end=D(2016, 2, 20), time_precision=TimePrecision.MONTH)
    drawn = chart(timeline(Incident.objects.published(), "month"), {})
    january, february = drawn["bars"]
    assert sum(s["h"] for s in january["segments"]["incidents"]) <= HEIGHTS["incidents"]
    assert [s["part"] for s in january["segments"]["incidents"]] == ["exact"]
    assert [s["part"] for s in february["segments"]["incidents"]] == ["approximate"]
    assert january["href"] == "?date_from=2016-01-01&date_to=2016-01-31"


def test_bar_links_keep_the_other_filters_and_drop_the_page(actor, rf):
    incident(actor, D(2016, 1, 5))
    request = rf.get("/", {"actor": actor.id, "page": 3})
    href = chart(timeline(Incident.objects.published(), "month"), request.GET)["bars"][0]["href"]
    assert href == f"?actor={actor.id}&date_from=2016-01-01&date_to=2016-01-31"


def drawn_heights(markup):
    """{bar centre x: [(stroke, drawn height), ...]} from a panel's SVG paths, in drawing order."""
    found = {}
    for stroke, path in re.findall(r'<path stroke="([^"]+)" d="([^"]+)"', str(markup)):
        for x, _bottom, height in re.findall(r"M(\d+) (\d+)v-(\d+)", path):
            found.setdefault(int(x), []).append((stroke, int(height)))
    return found


def test_each_bar_is_drawn_as_tall_as_its_count_with_a_path_per_event_type(actor):
    for _ in range(3):
        incident(actor, D(2016, 1, 5))
    incident(actor, D(2016, 1, 6), event_type="Explosions/Remote violence", sub_event_type="Air/drone strike")
    incident(actor, D(2016, 2, 5), date_end=D(2016, 2, 20), time_precision=TimePrecision.MONTH)
    drawn = chart(timeline(Incident.objects.published(), "month"), {})
    assert drawn["maxima"]["incidents"] == 5  # 4 incidents in January: the axis reads up to 5
    heights = drawn_heights(drawn["markup"]["incidents"])
    january, february = (heights[round(bar["x"] + bar["w"] / 2)] for bar in drawn["bars"])
    # Stacked bottom up, 20 units an incident (100 units for 5): battles solid, then explosions.
    assert january == [(EVENT_TYPE_COLOURS["Battles"], 60), (EVENT_TYPE_COLOURS["Explosions/Remote violence"], 20)]
    assert february == [("url(#hatch-incidents-1)", 20)]  # a window: the battles' hatch


def test_the_table_has_a_row_per_bar_with_counts_by_event_type_and_a_link_to_its_dates(client, actor):
    incident(actor, D(2016, 1, 5), fatalities=2)
    incident(actor, D(2016, 3, 6), event_type="Explosions/Remote violence", sub_event_type="Air/drone strike")
    page = client.get("/?interval=month").content.decode()
    table = re.search(r'<details class="chart-data">.*?</details>', page, flags=re.S).group(0)
    rows = [re.sub(r"<[^>]+>", "|", row) for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)[1:]]
    assert [re.findall(r"[^|]+", row) for row in rows] == [
        # from, to, incidents, six event types, of which approximate, fatalities
        ["2016-01-01", "2016-01-31", "1", "1", "0", "0", "0", "0", "0", "0", "2"],
        ["2016-02-01", "2016-02-29", "0", "0", "0", "0", "0", "0", "0", "0", "0"],
        ["2016-03-01", "2016-03-31", "1", "0", "1", "0", "0", "0", "0", "0", "0"]]
    assert 'href="?interval=month&amp;date_from=2016-03-01&amp;date_to=2016-03-31"' in table


@pytest.mark.parametrize("interval, first, last", [
    ("month", ("2016-01-18", "2016-01-31"), ("2016-05-01", "2016-05-10")),
    ("week", ("2016-01-18", "2016-01-24"), ("2016-05-09", "2016-05-10")),  # a Monday to a Tuesday
    ("week", None, None),
    ("day", ("2016-01-18", "2016-01-18"), ("2016-05-10", "2016-05-10")),
])
def test_the_bars_at_a_date_filters_edges_say_and_link_only_the_filters_days(client, actor, interval, first, last):
    """The first bar of ?date_from=2016-01-18 counts 18–31 January: its table row, tooltip and link
    said the whole month, and the link widened the filter (a fresh test session saw 32 incidents)."""
    date_from, date_to = ("2016-01-20", "2016-05-12") if first is None else ("2016-01-18", "2016-05-10")
    for day in (D(2016, 1, 5), D(2016, 1, 18), D(2016, 1, 25), D(2016, 5, 10), D(2016, 5, 20)):
        incident(actor, day)
    incident(actor, D(2016, 1, 2), date_end=D(2016, 1, 30), time_precision=TimePrecision.MONTH)  # a window across the edge
    page = client.get("/", {"date_from": date_from, "date_to": date_to, "interval": interval}).context
    bars = page["chart"]["bars"]
    if first is None:  # the filter's first day mid-week (a Wednesday) to a Thursday
        first, last = ("2016-01-20", "2016-01-24"), ("2016-05-09", "2016-05-12")
    assert (bars[0]["start"], bars[0]["end"]) == first and (bars[-1]["start"], bars[-1]["end"]) == last
    for bar in (bars[0], bars[-1]):
        assert f"date_from={bar['start']}" in bar["href"] and f"date_to={bar['end']}" in bar["href"]
        # Following a bar's link shows exactly the incidents that bar counted.
        narrowed = client.get(bar["href"]).context["chart"]["totals"]["incidents"]
        assert narrowed == bar["incidents"]
    html = client.get("/", {"date_from": date_from, "date_to": date_to, "interval": interval}).content.decode()
    assert re.search(f'>{first[0]}</a></th><td data-label="[^"]+">{first[1]}</td>', html)
    api = client.get("/api/timeline.json", {"date_from": date_from, "date_to": date_to, "interval": interval}).json()
    assert (api["buckets"][0]["start"], api["buckets"][-1]["end"]) == (first[0], last[1])
