"""Lay out the timeline buckets as a server-rendered SVG bar chart.

Why SVG from the server rather than a vendored chart library: the chart is then
readable without JavaScript (each bar is a link that narrows the date filter),
it shows exactly the numbers of /api/timeline.json because it is drawn from the
same buckets, it costs no 200 KB library, and a screenshot or a saved page keeps
it. Dragging across bars to pick a range is a small enhancement in dashboard.js.

Bars are stacked by event type; the part of each segment whose dates are only a
window (time precision above “exact day”) is hatched.
"""

import datetime

from django.utils.dateformat import format as format_date
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext, pgettext_lazy

from incidents.common.querystring import link_with
from incidents.common.typology import EVENT_TYPE_COLOURS, EventType, reader_term
from incidents.public.timeline import INTERVALS, bucket_start

WIDTH = 1000  # SVG user units; the SVG is stretched to the page width
HEIGHTS = {"incidents": 100, "fatalities": 50}
BAR_FILL = 0.86  # share of a bucket's width the bar takes, the rest is the gap
MAX_LABELS = 8
# With fewer buckets than this, bars keep this width and leave the rest of the axis empty,
# rather than one bucket stretching across the page.
MIN_SLOTS = 24
WINDOW_ROW = 10  # SVG height of one date-window line
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
    segments, top = [], height
    for index, event_type in enumerate(EventType.values, start=1):
        counts = bucket["by_event_type"].get(event_type)
        if not counts or not counts[measure]:
            continue
        approximate = counts["approximate" if measure == "incidents" else "approximate_fatalities"]
        for part, value in (("exact", counts[measure] - approximate), ("approximate", approximate)):
            if value:
                h = value * scale
                top -= h
                # Solid for exact dates, the type's hatch pattern (defined once per chart) for windows.
                fill = EVENT_TYPE_COLOURS[event_type] if part == "exact" else f"url(#hatch-{measure}-{index})"
                segments.append({"event_type": event_type, "part": part, "fill": fill,
                                 "y": round(top, 2), "h": round(h, 2)})
    return segments


def _label(start, interval):
    # Month names in the page's language (Django's date format reads the translation catalogue).
    return format_date(datetime.date.fromisoformat(start), "M Y") if interval == "month" else _day(start)


def _window_lines(timeline, step):
    """Horizontal ranges under the bars: how far incidents counted at a window's first day may reach."""
    index = {b["start"]: i for i, b in enumerate(timeline["buckets"])}
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
    """The SVG of one panel's bars. Built here rather than in the template: a ten-year chart has
    thousands of rects, too many for the template engine to render quickly (docs/PERFORMANCE.md,
    Timeline and public pages)."""
    parts = []
    for bar in bars:
        parts.append(f'<a href="{escape(bar["href"])}" data-nav class="bucket" data-start="{bar["start"]}" '
                     f'data-end="{bar["end"]}"><title>{escape(bar["title"])}</title>'
                     f'<rect class="hit" x="{bar["hit_x"]}" y="0" width="{bar["hit_w"]}" height="{height}"></rect>')
        parts.extend(f'<rect x="{bar["x"]}" y="{seg["y"]}" width="{bar["w"]}" height="{seg["h"]}" '
                     f'fill="{seg["fill"]}"></rect>' for seg in bar[measure])
        parts.append("</a>")
    return mark_safe("".join(parts))  # numbers, our own colours and escaped text only


def _day(iso):
    return format_date(datetime.date.fromisoformat(iso), "j M Y")


def chart(timeline, params):
    buckets, interval = timeline["buckets"], timeline["interval"]
    n = len(buckets)
    slots = max(n, MIN_SLOTS)
    step = WIDTH / slots
    maxima = {m: _nice_max(max((b[m] for b in buckets), default=0) or 1) for m in HEIGHTS}
    bars = []
    for i, bucket in enumerate(buckets):
        counts = ", ".join(f"{reader_term(name)} {c['incidents']}" for name, c in bucket["by_event_type"].items())
        span = bucket["start"] if bucket["start"] == bucket["end"] else _("%(start)s to %(end)s") % bucket
        approx = _("; %(approximate)s with approximate dates") % bucket if bucket["approximate"] else ""
        bars.append({
            "x": round(i * step + step * (1 - BAR_FILL) / 2, 2), "w": round(step * BAR_FILL, 2),
            "hit_x": round(i * step, 2), "hit_w": round(step, 2),
            "start": bucket["start"], "end": bucket["end"],
            "href": link_with(params, date_from=bucket["start"], date_to=bucket["end"]),
            "title": _("%(span)s: %(incidents)s incidents (%(counts)s), %(fatalities)s fatalities%(approx)s") % {
                "span": span, "incidents": bucket["incidents"], "counts": counts or pgettext("no incidents", "none"),
                "fatalities": bucket["fatalities"], "approx": approx},
            **{m: _segments(bucket, m, HEIGHTS[m] / maxima[m], HEIGHTS[m]) for m in HEIGHTS},
        })
    # One slot per bar, so the labels line up with the stretched SVG without inline styles (CSP).
    # A label every `every` slots on a wide screen, every third of those ("major") on a phone;
    # none so close to the right end that its text would run off the chart.
    every = -(-slots // MAX_LABELS)

    def fits(i, step_slots):
        return i % step_slots == 0 and i + 0.8 * step_slots <= slots

    labels = [{"text": _label(b["start"], interval) if fits(i, every) else "", "major": fits(i, 3 * every)}
              for i, b in enumerate(buckets)]
    labels += [{"text": "", "major": False}] * (slots - n)
    return {
        "interval": interval, "bars": bars, "labels": labels, "slots": slots, "maxima": maxima, "heights": HEIGHTS,
        "markup": {m: _bars_markup(bars, m, HEIGHTS[m]) for m in HEIGHTS},
        "windows": _window_lines(timeline, step), "windows_height": WINDOW_ROW * len(timeline["windows"]),
        "width": WIDTH, "buckets": buckets, "totals": timeline["totals"],
        "event_types": timeline["event_types"],
        "intervals": [{"name": name, "label": INTERVAL_LABELS.get(name, name), "href": link_with(params, interval=None if name == "auto" else name),
                       "current": (params.get("interval") or "auto") == name}
                      for name in ("auto", *INTERVALS)],
        "clear_dates": link_with(params, date_from=None, date_to=None)
        if params.get("date_from") or params.get("date_to") else None,
    }
