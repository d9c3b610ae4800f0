"""The dashboard table's rows written in Python, the same HTML as the template loop they replace.

The 50-row table, each row with its includes (swatch, fatalities) and filters, took ~10 ms of one
core in every uncached dashboard page at a million incidents: the largest part of its template
render (issue 18 target 2; docs/PERFORMANCE.md, Dashboard page in Python). table_rows writes the
same bytes from the same rows (fields.public_rows dicts); incidents/tests/public/test_table_rows.py
compares it with the loop _table.html had, in both languages and digit systems. The fatalities cell
is fatalities_html, which _fatalities.html (the incident page) also uses: one definition.
"""

from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext

from incidents.common.numerals import numbering_system, reader_digits, reader_number
from incidents.common.reader_text import reader_list, term_in_reader_language as in_reader_language
from incidents.common.typology import event_colour


def _text(value):
    # What {{ value }} writes for the values of a row: str, escaped ("None" for None, as Django does).
    return conditional_escape(value)


def swatch(colour):
    """_swatch.html's solid square (not hatched) for an escaped colour, with the file's closing newline."""
    return (f'<svg class="swatch" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">'
            f'<rect width="12" height="12" rx="2" fill="{_text(colour)}"></rect></svg>\n')


def fatalities_html(row, system=None):
    """A row's best estimate of fatalities with what the sources allow around it: "7 (5–10)",
    "7 (at least 7)", "0 (up to 30)" (HTML, numbers in the reader's digits; `system` as for
    numerals.reader_number). Used by the table and, through the `fatalities` filter, the incident page."""
    system = system or numbering_system()
    best, low, high = row["fatalities"], row["fatalities_low"], row["fatalities_high"]
    html = _text(reader_number(best, system=system))
    # Messages outside the f-strings: xgettext does not read inside them (makemessages).
    if low is not None and high is not None:
        if low != best or high != best:
            title = gettext("low–high estimate")
            shown = f"{_text(reader_number(low, system=system))}–{_text(reader_number(high, system=system))}"
            html += f' <span class="range" title="{title}">({shown})</span>'
    elif low is not None:
        title = gettext("low estimate; no high estimate given")
        shown = gettext("at least %(low)s") % {"low": _text(reader_number(low, system=system))}
        html += f' <span class="range" title="{title}">({shown})</span>'
    elif high is not None:
        title = gettext("high estimate; no low estimate given")
        shown = gettext("up to %(high)s") % {"high": _text(reader_number(high, system=system))}
        html += f' <span class="range" title="{title}">({shown})</span>'
    return mark_safe(html)  # values escaped, the rest our own catalogue's text


def _associates(names, with_word):
    if not names:
        return ""
    return f' <span class="muted">{with_word} <bdi>{_text(reader_list(names))}</bdi></span>'


def _sources(row):
    if not row["sources"]:
        return f'<span class="muted"><bdi>{_text(row["source_text"] or "—")}</bdi></span>\n                '
    cells = []
    for source in row["sources"]:
        title = _text(source["title"])
        if source["url"]:
            title = f'<a href="{_text(source["url"])}" rel="noopener">{title}</a>'
        source_name = _text(source["source"])
        cells.append(f'\n                  <div dir="auto">{title}\n'
                     f'                    <span class="muted">(<bdi>{source_name}</bdi>)</span></div>\n                ')
    return "".join(cells)


def table_rows(rows):
    """The <tr> elements of the dashboard table's body for fields.public_rows dicts (SafeString), in
    the active language: exactly what _table.html's loop wrote, whitespace included."""
    system = numbering_system()
    detail = reverse("incident-detail", args=[0]).replace("/0/", "/{}/")
    labels = {"Date": gettext("Date"), "Event": gettext("Event"), "Actors": gettext("Actors"),
              "Place": gettext("Place"), "Fatalities": gettext("Fatalities"), "Sources": gettext("Sources")}
    with_word, versus, comma = pgettext("associated actors", "with"), gettext("vs"), pgettext("list separator", ", ")
    html = []
    for row in rows:
        precision = (f'<div class="precision">{_text(row["time_precision_label"])}</div>'
                     if row["time_precision"] != 1 else "")
        second = ""
        if row["actor2_name"]:
            second = (f'<div><span class="muted">{versus}</span> <bdi>{_text(row["actor2_name"])}</bdi>'
                      f'{_associates(row["actor2_associates"], with_word)}</div>')
        areas = (f'{_text(row["district"] or "")}{comma if row["district"] and row["governorate"] else ""}'
                 f'{_text(row["governorate"] or "")}')
        date_link = f'<a href="{_text(detail.format(row["id"]))}">{_text(reader_digits(row["date_label"], system))}</a>'
        event = f'{swatch(event_colour(row["event_type"]))}{_text(in_reader_language(row["sub_event_type"]))}'
        place_precision = (f'<div class="precision">{_text(row["geo_precision_label"])}</div>'
                           if row["geo_precision"] != 1 else "")
        html.append(
            f'\n            <tr data-incident-id="{_text(row["id"])}">\n'
            f'              <td data-label="{labels["Date"]}">\n'
            f'                {date_link}\n'
            f'                {precision}\n'
            f'                <div class="muted small"><bdi>{_text(row["public_id"])}</bdi></div>\n'
            f'              </td>\n'
            f'              <td data-label="{labels["Event"]}">\n'
            f'                {event}\n'
            f'                <div class="muted small">{_text(in_reader_language(row["event_type"]))}</div>\n'
            f'              </td>\n'
            f'              <td data-label="{labels["Actors"]}">\n'
            f'                <bdi>{_text(row["actor1_name"])}</bdi>{_associates(row["actor1_associates"], with_word)}\n'
            f'                {second}\n'
            f'              </td>\n'
            f'              <td data-label="{labels["Place"]}">\n'
            f'                <bdi>{_text(row["location"])}</bdi>\n'
            f'                <div class="muted small">{areas}</div>\n'
            f'                {place_precision}\n'
            f'              </td>\n'
            f'              <td data-label="{labels["Fatalities"]}" class="num">\n{fatalities_html(row, system)}\n</td>\n'
            f'              <td data-label="{labels["Sources"]}">\n'
            f'                {_sources(row)}\n'
            f'              </td>\n'
            f'            </tr>\n          ')
    return mark_safe("".join(html))  # every value escaped above
