"""Random query strings at every public endpoint (hypothesis): never a server error, always either a
result or a 400 that names the parameter — in JSON for feeds and exports, on the page for HTML."""

import html
import json
import math
import os
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import pytest
from django.conf import settings as django_settings
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from incidents.common.typology import EventType, SubEventType
from incidents.public.filters import IncidentFilter
from incidents.tests import urlwalk
from incidents.tests.factories import make_incident, make_unpublished_trio

pytestmark = pytest.mark.django_db

# CI: 1,100 across all public endpoints. ops/fuzz_public.py sets FUZZ_EXAMPLES_PER_ENDPOINT=5000 for the
# long run recorded in docs/public-api.md ("Fuzzing").
TOTAL_EXAMPLES = 1100
PER_ENDPOINT = int(os.environ.get("FUZZ_EXAMPLES_PER_ENDPOINT") or 0)
# Endpoints that take arguments get the published incident's id.
# Snapshot pages read no query parameter and their creation is a POST (tests/exports/test_snapshots.py).
ENDPOINTS = [route.template for route in urlwalk.routes()
             if route.is_public and not route.template.startswith("snapshots/")]
# The HTML pages cost several times a feed per request (docs/PERFORMANCE.md, Harness and tests),
# and /healthz reads no parameter at all: they get fewer examples, the feeds and exports share the rest.
FEWER = {"": 40, "incidents/<int:pk>/": 60, "healthz": 30}
EXAMPLES = {template: PER_ENDPOINT or FEWER.get(template) or math.ceil(
    (TOTAL_EXAMPLES - sum(FEWER.values())) / len(set(ENDPOINTS) - set(FEWER))) for template in ENDPOINTS}


def parameter_names():
    """The filter's parameters and every other one the views read, found in the source so new ones are fuzzed."""
    source = "\n".join(path.read_text() for package in ("common", "public", "exports", "operations")
                       for path in Path(django_settings.BASE_DIR, "incidents", package).rglob("*.py"))
    read = re.findall(r'(?:GET|params|query)\.get(?:list)?\(\s*"(\w+)"|(?:number|one_value)\(\s*[\w.]+,\s*"(\w+)"'
                      r'|\(params, name="(\w+)"', source)
    return sorted({*IncidentFilter.base_filters, *(name for pair in read for name in pair if name)})


NAMES = parameter_names()
TRICKY_VALUES = ["", "0", "-1", "1.5", "1e309", "NaN", "inf", "-0", "2016-02-30", "2016-13-01", "0000-00-00",
                 "9999-12-31", "0001-01-01", "\x00", "a\x00b", "' OR 1=1 --", "[]", "{}", "%", "🙂", "٣", "9" * 400,
                 "40,35,41", "40,35,41,36", "180,90,-180,-90", "nan,nan,nan,nan", "1,2,3,4,5", "-", "--", "day",
                 "week", "month", "year", "newest", "-date", "approved", "draft"]
CHOICES = [*EventType.values, *SubEventType.values]

# Numbers as people and programs write them: other scripts' digits, signs, exponents, huge and
# tiny, milliseconds, and dates and times with offsets (issue 15 point 1).
DIGITS = "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹०१२३४५६७८९０１２３４５６７８９²³¹"
unicode_numbers = st.tuples(st.sampled_from(["", "+", "-", "−", " ", "0"]),
                            st.text(alphabet=DIGITS, min_size=1, max_size=25)).map("".join)
huge_or_tiny = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["1796064076000", "253402300800", "9999999999999999999999", "2147483648", "-2147483649",
                     "9223372036854775808", "1e30", "1e-30", "5e-324", "1.7976931348623157e308", "0x10", "1_000"]),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
offsets = st.sampled_from(["+00:00", "-01:00", "+14:00", "Z", "+0530", " 02:00", "-23:59", "+24:00", ""])
moments = st.one_of(
    st.tuples(st.datetimes(), offsets).map(lambda pair: pair[0].isoformat() + pair[1]),
    st.sampled_from(["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "0025-03-01", "1989-12-31",
                     "2016-03-31", "2016-3-1", "31/03/2016", "03/31/2016", "2016-03-31T25:00", "٢٠١٦-٠٣-٣١",
                     "2016-W10", "2016-060", "March 31 2016", "@1458000000", "1458000000.5"]),
)
bboxes = st.tuples(*[st.floats(min_value=-1e4, max_value=1e4, allow_nan=False)] * 4).map(
    lambda box: ",".join(repr(v) for v in box))

values = st.one_of(
    st.sampled_from(TRICKY_VALUES + CHOICES),
    unicode_numbers, huge_or_tiny, moments, bboxes,
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.dates().map(lambda day: day.isoformat()),
    st.text(max_size=40),
)
names = st.one_of(st.sampled_from(NAMES), st.text(min_size=1, max_size=12))
encoded_queries = st.lists(st.tuples(names, values), max_size=6).map(lambda pairs: urlencode(pairs))
# Raw strings are sent as they are: broken %-escapes, invalid UTF-8, stray & and =.
raw_queries = st.text(alphabet=st.characters(codec="ascii", exclude_characters="#"), max_size=60) | st.sampled_from(
    ["%ZZ", "%ff%fe=1", "date_from=%00", "&&&==&", "page=%F0%9F%99%82", "bbox=" + "1," * 500, "a=" + "%41" * 300])
queries = st.one_of(encoded_queries, raw_queries)


def named_parameters(query):
    return {name for name, _ in parse_qsl(query, keep_blank_values=True)}


def check_answer(response, query):
    """A result, or a 400 naming at least one parameter that was sent."""
    assert response.status_code in (200, 400), (query, response.status_code)
    if response.status_code == 200:
        if response.streaming:  # an export fails while streaming, not before: read it all
            b"".join(response.streaming_content)
        return
    sent = named_parameters(query)
    if response["Content-Type"].startswith("text/html"):
        page = response.content.decode()
        assert any(f"<code>{html.escape(name)}</code>" in page for name in sent), (query, "no parameter named")
    else:
        named = set(json.loads(response.content)["parameters"])
        assert named and named <= sent | set(NAMES), (query, named)


@pytest.fixture
def published(boundaries):
    incident = make_incident(notes="Clashes near the airbase.")
    make_unpublished_trio()
    return incident


@pytest.mark.parametrize("template", ENDPOINTS)
def test_random_query_strings_get_a_result_or_a_400_naming_the_parameter(client, published, template):
    path = "/" + re.sub(r"<(?:\w+:)?\w+>", str(published.pk), template)
    sent = []

    @settings(max_examples=EXAMPLES[template], deadline=None, database=None, derandomize=False,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(query=queries)
    @example(query="min_fatalities=2147483648")  # found by this test: beyond PostgreSQL's integer
    @example(query="event_type=Battles&sub_event_type=Attack")  # a valid filter that matches nothing
    def answer_is_a_result_or_names_the_parameter(query):
        sent.append(query)
        response = client.get(path, QUERY_STRING=query, secure=True)
        check_answer(response, query)

    answer_is_a_result_or_names_the_parameter()
    assert len(sent) >= EXAMPLES[template]


def test_the_fuzzing_reaches_every_parameter_the_public_views_read():
    # Before issue 15 the names were read from incidents/*.py only, so updated_since, bbox, zoom,
    # page_size, interval and order were never fuzzed after the move into packages.
    assert {"updated_since", "bbox", "zoom", "page", "page_size", "interval", "order", "bom"} <= set(NAMES)


def test_the_fuzzing_reaches_a_thousand_queries_over_every_public_endpoint():
    assert len(ENDPOINTS) >= 8, ENDPOINTS  # dashboard, detail, map, list, timeline, exports, healthz…
    assert sum(EXAMPLES.values()) >= 1000
