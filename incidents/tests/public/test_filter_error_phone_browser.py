"""On a phone the filters start folded, except when a filter field has an error: the message asks the
reader to correct the field there (found by a newcomer analyst on /ar/?date_from=0025-03-01 at 390 px)."""

from incidents.tests.browser import BROWSER, offline_page

pytestmark = [*BROWSER]


def test_a_filter_error_on_a_phone_opens_the_filters_in_arabic(browser, live_server, seed):
    page = offline_page(browser, width=390, height=844, phone=True)
    page.goto(live_server.url + "/ar/?date_from=0025-03-01")
    page.wait_for_selector("#filter-form .has-error", state="attached")
    page.wait_for_timeout(500)  # dashboard.js has run its start
    assert page.evaluate("document.getElementById('filter-details').open")
    assert page.is_visible("#filter-form .field-date_from")
    assert "يسبق" in page.inner_text("body")
    page.screenshot(path="/tmp/hnc_ar_error_390.png")
    page.goto(live_server.url + "/ar/")
    page.wait_for_timeout(500)
    assert not page.evaluate("document.getElementById('filter-details').open")  # no error: folded as before
