""""Cite this view" on the dashboard looks like the page's own buttons, in English and Arabic (right to
left), on a phone and a laptop (found by a newcomer session: it was the browser's default grey button,
21 px high, flush against the filter panel's edges). Screenshots in test-artifacts/cite-view-*.png."""

import pytest

from incidents.tests.browser import BROWSER, open_page, screenshot
from incidents.tests.public_data import make_public_data

pytestmark = BROWSER
ACCENT = "rgb(11, 92, 173)"  # --accent in static/incidents/site.css

LOOK = """() => {
  const button = document.querySelector('#cite-form button'), panel = document.querySelector('.filters');
  const style = getComputedStyle(button), b = button.getBoundingClientRect(), p = panel.getBoundingClientRect();
  return {color: style.color, border: style.borderTopColor, weight: parseInt(style.fontWeight),
          font: style.fontFamily, pageFont: getComputedStyle(document.body).fontFamily,
          height: b.height, start: b.left - p.left, end: p.right - b.right};
}"""


@pytest.mark.parametrize("path", ["/", "/ar/"])
@pytest.mark.parametrize("width", [390, 1366])
def test_cite_this_view_is_a_button_of_the_page(browser, live_server, boundaries, path, width):
    make_public_data()
    page = open_page(browser, live_server, path, width=width, height=844, phone=width < 600)
    look = page.evaluate(LOOK)
    screenshot(page, f"cite-view-{'ar' if path == '/ar/' else 'en'}-{width}")
    assert (look["color"], look["border"]) == (ACCENT, ACCENT)
    assert look["weight"] >= 600 and look["font"] == look["pageFont"]
    assert look["height"] >= 40  # a finger's target on a phone
    assert 12 <= look["start"] and 12 <= look["end"] and abs(look["start"] - look["end"]) <= 1  # inset, centred
