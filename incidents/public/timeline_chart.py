"""Lay out the timeline buckets as a server-rendered SVG bar chart and its table.

Why SVG from the server rather than a vendored chart library: the chart is then
readable without JavaScript, it shows exactly the numbers of /api/timeline.json
because it is drawn from the same buckets, it costs no 200 KB library, and a
screenshot or a saved page keeps it.

Bars are stacked by event type; the part of each segment whose dates are only a
window (time precision above “exact day”) is hatched. Each event type is one
<path> (bytes: issue 16 point 10); the numbers are stated once, in the table
under the chart (one row per bar, with a link that narrows the dates to it),
which screen readers reach and which timeline.js shows beside the bar under the
pointer. Clicking a bar or dragging across several is that script's too.
"""

import datetime

from django.utils.dateformat import format as format_date
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext, pgettext_lazy

from incidents.common.numerals import numbering_system, reader_digits, reader_number
from incidents.common.querystring import link_with, links_with
from incidents.common.typology import EVENT_TYPE_COLOURS, EventType
from incidents.public.timeline import INTERVALS, bucket_start

SLOT = 10  # SVG user units per bucket, so bar centres are whole numbers; the SVG is stretched to the page width
HEIGHTS = {"incidents": 100, "fatalities": 50}
BAR_FILL = 0.86  # share of a bucket's width the bar takes, the rest is the gap
MAX_LABELS = 8
# With fewer buckets than this, bars keep this width and leave the rest of the axis empty,
# rather than one bucket stretching across the page.
MIN_SLOTS = 24
WINDOW_ROW = 10  # SVG height of one date-window line
EVENT_TYPES = EventType.values  # a list built anew at each access: once here, not per bar
INTERVAL_LABELS = {"auto": pgettext_lazy("timeline interval", "auto"), "day": pgettext_lazy("timeline interval", "day"),
                   "week": pgettext_lazy("timeline interval", "week"),
                   "month": pgettext_lazy("timeline interval", "month")}


def _nice_max(value):
    """The smallest of 1, 2, 5 × 10^k at or above value, so the axis reads in round numbers."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def _segments(bucket, measure, scale, height):
    """Stacked rects, bottom up: per event type a solid (exact date) and a hatched (window) part."""
    segments, top, by_type = [], height, bucket["by_event_type"]
    approximate_key = "approximate" if measure == "incidents" else "approximate_fatalities"
    for index, event_type in enumerate(EVENT_TYPES, start=1):
        counts = by_type.get(event_type)
        if not counts or not counts[measure]:
            continue
        approximate = counts[approximate_key]
        exact = counts[measure] - approximate
        if exact:  # solid for exact dates
            h = exact * scale
            top -= h
            segments.append({"event_type": event_type, "part": "exact", "fill": EVENT_TYPE_COLOURS[event_type],
                             "y": round(top, 2), "h": round(h, 2)})
        if approximate:  # the type's hatch pattern (defined once per chart) for windows
            h = approximate * scale
            top -= h
            segments.append({"event_type": event_type, "part": "approximate", "fill": f"url(#hatch-{measure}-{index})",
                             "y": round(top, 2), "h": round(h, 2)})
    return segments


def _label(start, interval):
    """(month or day and month, year) of a bar's first day, in the page's language (Django's date
    format reads the translation catalogue). Two lines on the axis: an Arabic month name is long
    ("كانون الثاني 2016" is twice "Jan 2016"), and on one line neighbouring labels overlapped on a phone."""
    day = datetime.date.fromisoformat(start)
    return format_date(day, "M" if interval == "month" else "j M"), format_date(day, "Y")


def _window_lines(timeline, step):
    """Horizontal ranges under the bars: how far incidents counted at a window's first day may reach."""
    # Keyed by the bucket's own first day: an edge bucket's "start" is held inside the date filter.
    interval = timeline["interval"]
    index = {bucket_start(datetime.date.fromisoformat(b["start"]), interval).isoformat(): i
             for i, b in enumerate(timeline["buckets"])}
    last = len(timeline["buckets"]) - 1
    lines = []
    for row, window in enumerate(timeline["windows"]):
        first = index.get(bucket_start(datetime.date.fromisoformat(window["start"]), timeline["interval"]).isoformat(), 0)
        end = index.get(bucket_start(datetime.date.fromisoformat(window["end"]), timeline["interval"]).isoformat(), last)
        lines.append({**window, "x1": round(first * step + 1, 2), "x2": round((end + 1) * step - 1, 2),
                      "y": WINDOW_ROW * row + WINDOW_ROW / 2,
                      "label": ngettext("%(count)s incident on an unknown day between %(start)s and %(end)s",
                                        "%(count)s incidents on an unknown day between %(start)s and %(end)s",
                                        window["incidents"]) % {"count": window["incidents"],
                                                                "start": _day(window["start"]), "end": _day(window["end"])}})
    return lines


def _bars_markup(bars, measure, height):
    """The SVG of one panel's bars (str, SVG user units): one <path> per event type and part (exact,
    approximate), each segment a vertical stroke one bar wide ("M x bottom v -height").

    A <rect> per segment and a <title> per bar made the chart 38 KB of a 51 KB page at a million
    incidents (issue 16 point 10). Coordinates are whole units (a unit is about 1.1 screen pixels:
    HEIGHTS against the CSS heights), rounded where segments meet so that they still tile exactly;
    whole numbers compress to 60 % of one-decimal ones. Built here rather than in the template:
    thousands of segments are too many for the template engine to render quickly
    (docs/PERFORMANCE.md, Timeline and public pages)."""
    strokes = {}
    for bar in bars:
        centre = round(bar["x"] + bar["w"] / 2)
        bottom = height
        for seg in bar["segments"][measure]:  # bottom up
            top = round(seg["y"])
            if top < bottom:  # thinner than half a unit draws nothing
                strokes.setdefault(seg["fill"], []).append(f"M{centre} {bottom}v-{bottom - top}")
                bottom = top
    width = f"{bars[0]['w']:g}" if bars else "0"
    paths = "".join(f'<path stroke="{fill}" d="{"".join(d)}"></path>' for fill, d in strokes.items())
    return mark_safe(f'<g fill="none" stroke-width="{width}">{paths}</g>')  # numbers and our own colours only


def _table_rows(bars):
    """The rows of the timeline's table (_timeline.html), one per bar, written here rather than by a
    template loop: 120 rows of 11 cells took ~15 ms of every uncached dashboard page (issue 18 target
    2). The same bytes the loop wrote, whitespace included (incidents/tests/public/test_timeline_table.py)."""
    system = numbering_system()

    def number(count):
        return reader_number(count, system=system)

    def digits(text):
        return conditional_escape(reader_digits(text, system))

    def cell(count):
        return f"<td>{number(count)}</td>" if count else f'<td class="zero">{number(count)}</td>'

    return mark_safe("".join(  # every value escaped or a number in the reader's digits
        f'\n            <tr><th scope="row" data-label="{digits(bar["start_label"])}">'
        f'<a href="{conditional_escape(bar["href"])}" data-nav>{digits(bar["start"])}</a></th>'
        f'<td data-label="{digits(bar["end_label"])}">'
        f'{digits(bar["end"])}</td><td>{number(bar["incidents"])}</td>'
        f'{"".join(cell(count) for count in bar["by_type"])}'
        f'<td>{number(bar["approximate"])}</td><td>{number(bar["fatalities"])}</td></tr>\n          '
        for bar in bars))


def _day_labeller():
    """A function ISO day -> "j M Y" in the active language ("18 Jan 2016"), as format_date writes it,
    with the month names looked up once: format_date per bar was ~10% of an uncached dashboard."""
    months = {month: format_date(datetime.date(2000, month, 1), "M") for month in range(1, 13)}

    def day(iso):
        value = datetime.date.fromisoformat(iso)
        return f"{value.day} {months[value.month]} {value.year:04d}"

    return day


def _day(iso):
    """One ISO day as "j M Y" in the active language (for many, _day_labeller)."""
    return format_date(datetime.date.fromisoformat(iso), "j M Y")


def chart(timeline, params):
    """What _timeline.html draws, from timeline.timeline()'s answer and the page's parameters:
    {"bars": [one per bucket: "start", "end" (ISO days), "start_label", "end_label" (the reader's dates), "href" (the page narrowed to that bucket),
    "incidents", "approximate", "fatalities", "by_type" (incidents per event type, in the order of
    "event_types"), "segments": {measure: stacked segments, "y" and "h" in SVG units, bottom up}],
    "markup" (each measure's SVG paths), "labels" (one per slot), "slots", "width" (SVG units), ...}."""
    buckets, interval = timeline["buckets"], timeline["interval"]
    n = len(buckets)
    slots = max(n, MIN_SLOTS)
    step = SLOT
    maxima = {m: _nice_max(max((b[m] for b in buckets), default=0) or 1) for m in HEIGHTS}
    day_label = _day_labeller()
    bar_link = links_with(params, "date_from", "date_to")
    bars = [{
        "x": round(i * step + step * (1 - BAR_FILL) / 2, 2), "w": round(step * BAR_FILL, 2),
        "start": bucket["start"], "end": bucket["end"],
        # The tooltip's dates, as the reader writes them (the table keeps the ISO days it links with).
        "start_label": day_label(bucket["start"]), "end_label": day_label(bucket["end"]),
        "href": bar_link(date_from=bucket["start"], date_to=bucket["end"]),
        "incidents": bucket["incidents"], "approximate": bucket["approximate"], "fatalities": bucket["fatalities"],
        "by_type": [bucket["by_event_type"].get(name, {}).get("incidents", 0) for name in EVENT_TYPES],
        "segments": {m: _segments(bucket, m, HEIGHTS[m] / maxima[m], HEIGHTS[m]) for m in HEIGHTS},
    } for i, bucket in enumerate(buckets)]
    # One slot per bar, so the labels line up with the stretched SVG without inline styles (CSP).
    # A label every `every` slots on a wide screen, every third of those ("major") on a phone;
    # none so close to the right end that its text would run off the chart.
    every = -(-slots // MAX_LABELS)

    def fits(i, step_slots):
        return i % step_slots == 0 and i + 0.8 * step_slots <= slots

    labels = [{"lines": _label(b["start"], interval) if fits(i, every) else (), "major": fits(i, 3 * every)}
              for i, b in enumerate(buckets)]
    labels += [{"lines": (), "major": False}] * (slots - n)
    return {
        "interval": interval, "bars": bars, "labels": labels, "slots": slots, "maxima": maxima, "heights": HEIGHTS,
        "markup": {m: _bars_markup(bars, m, HEIGHTS[m]) for m in HEIGHTS}, "table_rows": _table_rows(bars),
        "windows": _window_lines(timeline, step), "windows_height": WINDOW_ROW * len(timeline["windows"]),
        "width": SLOT * slots, "totals": timeline["totals"],
        "event_types": timeline["event_types"],
        "intervals": [{"name": name, "label": INTERVAL_LABELS.get(name, name), "href": link_with(params, interval=None if name == "auto" else name),
                       "current": (params.get("interval") or "auto") == name}
                      for name in ("auto", *INTERVALS)],
        "clear_dates": link_with(params, date_from=None, date_to=None)
        if params.get("date_from") or params.get("date_to") else None,
    }
