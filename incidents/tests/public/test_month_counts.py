"""The unfiltered monthly timeline from the month counts kept on write (TimelineMonthCount, migration
0030): the same answer as the day counts and as counting the incidents, whatever was published,
withdrawn, moved, edited or deleted, and after compaction and rebuild."""

import datetime
import random

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from incidents.common.typology import EventType, TimePrecision
from incidents.models import Incident, TimelineMonthCount
from incidents.public.filters import filtered_incidents
from incidents.public.timeline import timeline
from incidents.public.timeline_counts import counted_rows
from incidents.tests.factories import make_actor, make_incident

pytestmark = pytest.mark.django_db

D = datetime.date
TYPES = [{"event_type": EventType.BATTLES, "sub_event_type": "Armed clash"},
         {"event_type": EventType.PROTESTS, "sub_event_type": "Peaceful protest"},
         {"event_type": EventType.EXPLOSIONS, "sub_event_type": "Air/drone strike"}]
QUERIES = ["", "event_type=Battles", "event_type=Battles&event_type=Protests", "time_precision=1",
           "time_precision=2&time_precision=3", "event_type=Protests&time_precision=3"]


def three_ways(query, interval="auto"):
    """(from the month counts, from the day counts, from the incidents), asserting the first read
    the month counts."""
    incident_filter = filtered_incidents(QueryDict(query))
    source = counted_rows(incident_filter)
    assert source.month is not None, query
    with CaptureQueriesContext(connection) as captured:
        by_month = timeline(source, interval)
    assert any("incidents_timelinemonthcount" in q["sql"] for q in captured.captured_queries)
    return by_month, timeline(source.day, interval), timeline(incident_filter.qs, interval)


def assert_all_agree():
    for query in QUERIES:
        for interval in ("auto", "month"):
            by_month, by_day, live = three_ways(query, interval)
            assert by_month == by_day == live, (query, interval)


@pytest.fixture
def many(boundaries):
    """Incidents over five years: exact days, windows within a month and across several, unknown
    days, and drafts that must never count."""
    actor, rng = make_actor(), random.Random(30)
    made = []
    for _ in range(60):
        date = D(2014, 1, 1) + datetime.timedelta(days=rng.randrange(5 * 365))
        precision = rng.choice([TimePrecision.DAY, TimePrecision.DAY, TimePrecision.WEEK, TimePrecision.MONTH])
        end = None if precision == TimePrecision.DAY else date + datetime.timedelta(days=rng.choice([3, 20, 45, 200]))
        made.append(make_incident(actor1=actor, date=date, date_end=end, time_precision=precision,
                                  fatalities=rng.randint(0, 6), **rng.choice(TYPES)))
    made.append(make_incident(actor1=actor, date=D(2015, 5, 5), status=Incident.Status.DRAFT, fatalities=70))
    return made


def test_month_counts_give_the_same_timeline_as_the_day_counts_and_the_incidents(many):
    assert_all_agree()
    assert three_ways("")[0]["interval"] == "month"


def test_publishing_withdrawing_moving_editing_and_deleting_show_at_once(many):
    draft = many[-1]
    draft.status = Incident.Status.APPROVED
    draft.save()
    assert three_ways("")[0]["totals"]["incidents"] == 61
    Incident.objects.filter(pk=many[0].pk).update(status=Incident.Status.IN_REVIEW)
    Incident.objects.filter(pk=many[1].pk).update(date=D(2019, 12, 30), date_end=D(2020, 3, 1),
                                                  time_precision=TimePrecision.MONTH, fatalities=40)
    Incident.objects.filter(pk=many[2].pk).update(notes="reworded")
    Incident.objects.filter(pk=many[3].pk).update(event_type=EventType.PROTESTS, sub_event_type="Peaceful protest")
    Incident.objects.filter(pk__in=[many[4].pk, many[5].pk]).delete()
    Incident.objects.filter(pk=many[6].pk).update(merged_into=many[7])
    assert_all_agree()
    assert three_ways("")[0]["totals"]["incidents"] == 61 - 1 - 2 - 1


def test_withdrawing_the_last_incident_of_a_window_shrinks_the_axis(many):
    actor = many[0].actor1
    late = make_incident(actor1=actor, date=D(2021, 3, 3), date_end=D(2023, 6, 1), time_precision=TimePrecision.MONTH)
    assert three_ways("")[0]["buckets"][-1]["start"] == "2023-06-01"
    late.status = Incident.Status.REJECTED
    late.save()
    assert_all_agree()
    assert three_ways("")[0]["buckets"][-1]["start"] < "2021-01-01"


def test_compacting_or_rebuilding_folds_the_deltas_and_keeps_the_numbers(many):
    for incident in many[:10]:
        incident.fatalities += 1
        incident.save()
    Incident.objects.filter(pk=many[10].pk).update(status=Incident.Status.REJECTED)
    before, rows = three_ways("")[0], TimelineMonthCount.objects.count()
    call_command("compact_counts", stdout=open("/dev/null", "w"))
    assert TimelineMonthCount.objects.count() < rows
    assert three_ways("")[0] == before
    call_command("compact_counts", "--rebuild", stdout=open("/dev/null", "w"))
    assert TimelineMonthCount.objects.filter(incidents__lte=0).count() == 0
    assert_all_agree()
    assert three_ways("")[0] == before


def test_unpublished_incidents_are_never_counted(many):
    Incident.objects.update(status=Incident.Status.DRAFT)
    by_month, by_day, live = three_ways("")
    assert by_month == by_day == live
    assert by_month["buckets"] == [] and by_month["totals"]["incidents"] == 0


@pytest.mark.parametrize("date, date_end, precision, interval", [
    (D(2019, 3, 1), None, TimePrecision.DAY, "week"),  # 2016-03-01 + 1095 days: weeks still
    (D(2019, 3, 2), None, TimePrecision.DAY, "month"),  # its month starts within 1095 days: needs the day
    (D(2019, 2, 20), D(2019, 3, 2), TimePrecision.WEEK, "month"),  # a window into the next month
    (D(2019, 2, 20), D(2019, 2, 28), TimePrecision.WEEK, "week"),
])
def test_a_span_near_the_three_year_limit_picks_the_interval_by_its_exact_last_day(
        boundaries, date, date_end, precision, interval):
    # The month counts know a bar's last day only to the month; around 3 years (auto: weeks up to
    # 1095 days from the first bar's start) the answer must be the one the exact day gives.
    actor = make_actor()
    make_incident(actor1=actor, date=D(2016, 3, 10))
    make_incident(actor1=actor, date=date, date_end=date_end, time_precision=precision)
    by_month, by_day, live = three_ways("")
    assert by_month == by_day == live
    assert by_month["interval"] == interval
