"""Clicking a timeline bar loads the bar the tooltip named, at any position across a long chart
(a fresh test session saw the click load the neighbouring month a quarter of the way across, and
the other neighbour on the mirrored Arabic chart): hover and click find the bar with one function.

Data: one incident in each of 66 months, Jan 2016 to Jun 2021, so the chart has 66 monthly bars.
"""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from incidents.tests.browser import BROWSER, open_page
from incidents.tests.factories import make_actor, make_incident

pytestmark = [*BROWSER, pytest.mark.usefixtures("boundaries")]

MONTHS = 66
ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


@pytest.fixture
def monthly():
    actor = make_actor("Islamic State (Syria)")
    for month in range(MONTHS):
        make_incident(date=datetime.date(2016 + month // 12, month % 12 + 1, 10), actor1=actor)


def tip_dates(page):
    """The days the tooltip names (it shows them as the reader writes them and keeps the ISO days in
    data-from/data-to), in Western digits: (from, to)."""
    tip = page.locator("#timeline .chart-tip")
    tip.wait_for()
    title = tip.locator("strong")
    return tuple(title.get_attribute(f"data-{end}").translate(ARABIC_DIGITS) for end in ("from", "to"))


@pytest.mark.parametrize("language", ["", "/ar"])
def test_a_click_anywhere_on_the_chart_loads_the_bar_the_tooltip_names(browser, live_server, monthly, language):
    page = open_page(browser, live_server, language + "/?interval=month", width=1366, height=900)
    # Exact bar edges (1/3 and 1/2 of 66 bars) as well as inside bars.
    for share in (0.03, 0.25, 1 / 3, 0.5, 0.63, 0.75, 0.97):
        if share != 0.03:
            page.goto(live_server.url + language + "/?interval=month")
        svg = page.locator("#timeline svg.bars").first
        svg.scroll_into_view_if_needed()
        box = svg.bounding_box()
        # Across the whole chart from the reader's start: the right end on the mirrored Arabic one.
        across = box["width"] * share
        x = box["x"] + box["width"] - across if language else box["x"] + across
        y = box["y"] + box["height"] - 2
        page.mouse.move(x, y)
        first, last = tip_dates(page)
        page.mouse.click(x, y)
        page.wait_for_url(re.compile(r"date_to="))
        loaded = parse_qs(urlsplit(page.url).query)
        assert (loaded["date_from"], loaded["date_to"]) == ([first], [last]), f"{share:.0%} across"
        page.wait_for_selector("#timeline[data-total='1']")
    assert page.errors == []
