"""Issue 15 point 5: one plausible date range (1990-01-01 to tomorrow, UTC) for every way a date
enters: the incident's own validation (every form and the admin use it), the ACLED import, article
ingest (both in test_bad_files' corpus) and the public filters (tests/public/test_bad_params.py)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from incidents.common.plausible_dates import FIRST_DAY, implausible, last_day
from incidents.common.typology import TimePrecision
from incidents.tests.factories import make_incident

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("field, day", [("date", datetime.date(25, 3, 1)), ("date", datetime.date(1989, 12, 31)),
                                        ("date", datetime.date(2999, 1, 1)),
                                        ("date_end", datetime.date(2999, 1, 1))])
def test_an_incident_outside_the_plausible_range_is_an_error_on_that_field(boundaries, field, day):
    incident = make_incident(date=datetime.date(2016, 1, 18), time_precision=TimePrecision.UNKNOWN,
                             date_end=datetime.date(2016, 2, 1))
    setattr(incident, field, day)
    with pytest.raises(ValidationError) as refused:
        incident.full_clean()
    assert field in refused.value.message_dict
    assert "1990-01-01" in refused.value.message_dict[field][0] or "future" in refused.value.message_dict[field][0]


def test_the_range_is_first_day_to_tomorrow():
    today = datetime.date(2026, 11, 30)
    assert implausible(FIRST_DAY, today) is None and implausible(datetime.date(2026, 12, 1), today) is None
    assert "before 1990-01-01" in implausible(datetime.date(1989, 12, 31), today)
    assert "future" in implausible(datetime.date(2026, 12, 2), today)
    assert last_day(today) == datetime.date(2026, 12, 1)
