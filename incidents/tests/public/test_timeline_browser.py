"""The timeline in Chromium (issue 16 point 10 drew it as one path per event type, its numbers in the
table under it): pointing at a bar shows that bar's row of the table, clicking a bar narrows the dates
to it, the Arabic chart runs right to left under the pointer too, and without JavaScript the chart and
its table (with a link per bar) are still there.

The public data (incidents.tests.public_data) by month: Jan 2016 one battle (7 fatalities, exact day),
Mar 2016 one air strike (3 fatalities, a week's window), Jun 2017 one attack (a month's window).
"""

import re

import pytest

from incidents.tests.browser import BROWSER, open_page, wait_for_map
from incidents.tests.public_data import make_public_data

pytestmark = [*BROWSER, pytest.mark.usefixtures("boundaries")]

MONTHS = "/?interval=month"


@pytest.fixture
def data():
    return make_public_data()


def bar_point(page, index, panel=0):
    """(x, y) on screen inside bar `index` (0: the first month) of a panel (0: incidents, 1: fatalities),
    measured from the right on a right-to-left page."""
    svg = page.locator("#timeline svg.bars").nth(panel)
    svg.scroll_into_view_if_needed()
    box = svg.bounding_box()
    width = box["width"] / int(svg.get_attribute("data-slots"))
    offset = (index + 0.5) * width
    rtl = page.evaluate("document.documentElement.dir") == "rtl"
    return (box["x"] + box["width"] - offset if rtl else box["x"] + offset), box["y"] + box["height"] - 2


def tip_lines(page):
    tip = page.locator("#timeline .chart-tip")
    tip.wait_for()
    return tip.inner_text().splitlines()


def table_row(page, index):
    """Row `index` of the timeline's table as the lines a tip shows: dates, then "heading: value" for
    each count that is not an event type with none."""
    return page.evaluate("""index => {
      const table = document.querySelector('#timeline .chart-data table');
      const headings = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
      const cells = [...table.querySelectorAll('tbody tr')[index].children];
      const [from, to] = cells.map(cell => cell.dataset.label || cell.textContent.trim());
      return [from === to ? from : from + ' – ' + to, ...cells.slice(2).flatMap((cell, i) =>
        cell.classList.contains('zero') ? [] : [headings[i + 2] + ': ' + cell.textContent.trim()])];
    }""", index)


def test_pointing_at_a_bar_shows_its_counts_which_are_the_tables(browser, live_server, data):
    page = open_page(browser, live_server, MONTHS)
    page.mouse.move(*bar_point(page, 0))
    assert tip_lines(page) == ["1 Jan 2016 – 31 Jan 2016", "Incidents: 1", "Battles: 1",
                               "of which approximate date: 0", "Fatalities: 7"]
    assert tip_lines(page) == table_row(page, 0)
    page.mouse.move(*bar_point(page, 2, panel=1))  # March, on the fatalities chart
    assert tip_lines(page) == ["1 Mar 2016 – 31 Mar 2016", "Incidents: 1", "Explosions/Remote violence: 1",
                               "of which approximate date: 1", "Fatalities: 3"]
    assert tip_lines(page) == table_row(page, 2)
    page.mouse.move(*bar_point(page, 1))  # February: no incidents
    assert tip_lines(page) == ["1 Feb 2016 – 29 Feb 2016", "Incidents: 0", "of which approximate date: 0",
                               "Fatalities: 0"]
    page.mouse.move(5, 5)  # away from the chart
    page.locator("#timeline .chart-tip").wait_for(state="hidden")
    assert page.errors == []


def test_clicking_a_bar_narrows_the_dates_to_it(browser, live_server, data):
    page = open_page(browser, live_server, MONTHS)
    page.mouse.click(*bar_point(page, 2))
    page.wait_for_url(re.compile(r"date_to=2016-03-31"))
    assert "date_from=2016-03-01" in page.url and "interval=month" in page.url
    wait_for_map(page, count=1)
    page.wait_for_selector("#timeline[data-total='1']")
    assert page.locator("#id_date_from").input_value() == "2016-03-01"
    assert page.errors == []


def test_the_arabic_timeline_runs_right_to_left_under_the_pointer(browser, live_server, data):
    page = open_page(browser, live_server, "/ar" + MONTHS)
    page.mouse.move(*bar_point(page, 0))  # the right end: January 2016
    # The Arabic page writes the dates as a reader does: Levantine month names, Arabic-Indic digits
    # (ARABIC_DIGITS' default), never an ISO day.
    assert tip_lines(page)[0] == "١ كانون الثاني ٢٠١٦ – ٣١ كانون الثاني ٢٠١٦" and tip_lines(page) == table_row(page, 0)
    page.mouse.move(*bar_point(page, 17))  # June 2017, the last month
    assert tip_lines(page) == table_row(page, 17) and tip_lines(page)[0] == "١ حزيران ٢٠١٧ – ٣٠ حزيران ٢٠١٧"
    page.mouse.move(*bar_point(page, 20))  # left of the last month: no bar there
    page.locator("#timeline .chart-tip").wait_for(state="hidden")
    # Dragging leftwards from January to March 2016 picks those three months.
    start, end = bar_point(page, 0), bar_point(page, 2)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move((start[0] + end[0]) / 2, start[1], steps=3)
    page.mouse.move(*end, steps=3)
    page.mouse.up()
    page.wait_for_url(re.compile(r"date_to=2016-03-31"))
    assert "date_from=2016-01-01" in page.url
    page.wait_for_selector("#timeline[data-total='2']")
    assert page.errors == []


def test_without_javascript_the_chart_and_its_table_are_there_and_the_table_narrows_the_dates(
        browser, live_server, data):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1366, "height": 1000})
    try:
        page = context.new_page()
        page.goto(live_server.url + MONTHS)
        assert page.locator("#timeline svg.bars path").count() >= 3  # bars of three event types
        hint = page.locator("#timeline .hint")
        assert "table under the chart" in hint.inner_text() and "Point at a bar" not in hint.inner_text()
        page.locator("#timeline .chart-data summary").click()
        page.locator("#timeline .chart-data a", has_text="2016-03-01").click()
        page.wait_for_url(re.compile(r"date_to=2016-03-31"))
        assert page.locator("#timeline").get_attribute("data-total") == "1"
    finally:
        context.close()
