"""Inter-coder agreement of double-coded articles, per field, by coder pair and by month.

Method: Krippendorff's alpha, α = 1 − D_o / D_e (observed over expected disagreement), computed by
the `krippendorff` package (Castro, https://github.com/pln-fing-udelar/fast-krippendorff) from the
coincidence matrix as in Krippendorff, K. (2011), "Computing Krippendorff's Alpha-Reliability",
Annenberg School for Communication, University of Pennsylvania, https://repository.upenn.edu/asc_papers/43.
With two coders and no missing values, α equals Scott's pi corrected for small samples; it is chosen
over Cohen's kappa (Cohen 1960, "A coefficient of agreement for nominal scales") because it takes
any distance (the tolerances below) and any number of units. docs/AGREEMENT.md works an example.

The units: within an article, the two coders' incidents are paired (incidents.review.double_coding.pair);
a pair is one unit, an incident only one coder coded is one unit, and an article where neither coded
any incident is one unit. Fields and their distance δ between the two values of a unit:
- found: incident coded (1) or not (0) by each coder, over every unit; nominal;
- event type, sub-event type: over paired units; nominal;
- actors: the set {actor 1, actor 2} (which side is actor 1 is not judged); nominal;
- place: δ = 0 if the two points are within `km` kilometres (great circle), else 1;
- date: δ = 0 if the two dates are within `days` days, else 1;
- fatalities: the best estimates, ratio metric δ = ((c − k)/(c + k))² (counts with a true zero).
"""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass

import krippendorff
import numpy as np
from django.utils.translation import gettext_noop

from incidents.models import CodedUnit

PLACE_WITHIN_KM = 5.0  # default tolerance for "same place", km
DATE_WITHIN_DAYS = 1  # default tolerance for "same date", days
EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)

FIELDS = {
    "found": gettext_noop("Incident found or not"),
    "event_type": gettext_noop("Event type"),
    "sub_event_type": gettext_noop("Sub-event type"),
    "actors": gettext_noop("Actors"),
    "place": gettext_noop("Place"),
    "date": gettext_noop("Date"),
    "fatalities": gettext_noop("Fatalities"),
}


def distance_km(lon1, lat1, lon2, lat2):
    """Great-circle distance in km between points in degrees WGS84 (haversine; numpy arrays or floats)."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(v, dtype=float)) for v in (lon1, lat1, lon2, lat2))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(h))


def _day(coded):
    return datetime.date.fromisoformat(coded["date"]).toordinal()


def _actors(coded):
    return " + ".join(sorted(coded["actors"]))


def differs(field, a, b, km=PLACE_WITHIN_KM, days=DATE_WITHIN_DAYS):
    """Whether two submitted incidents (dicts from frozen_coding) disagree on `field` (a key of FIELDS)."""
    if field == "found":
        return (a is None) != (b is None)
    if a is None or b is None:
        return False  # not comparable: counted under "found" only
    if field == "place":
        return float(distance_km(a["lon"], a["lat"], b["lon"], b["lat"])) > km
    if field == "date":
        return abs(_day(a) - _day(b)) > days
    if field == "actors":
        return _actors(a) != _actors(b)
    return a[field] != b[field]


def differences(a, b, km=PLACE_WITHIN_KM, days=DATE_WITHIN_DAYS):
    """The keys of FIELDS on which two submitted incidents (either may be None) disagree."""
    return [field for field in FIELDS if differs(field, a, b, km, days)]


def _tolerance_metric(limit):
    """A distance for krippendorff.alpha: 0 when two numbers are within `limit`, else 1."""
    def metric(v1, v2, i1, i2, n_v, dtype=np.float64):
        return (np.abs(v1 - v2) > limit).astype(dtype)
    return metric


def _place_metric(points, km):
    """0 when the points with these indices in `points` [(lon, lat)] are within `km`, else 1."""
    lons, lats = np.array([p[0] for p in points]), np.array([p[1] for p in points])

    def metric(v1, v2, i1, i2, n_v, dtype=np.float64):
        a, b = np.broadcast_arrays(v1.astype(int), v2.astype(int))
        return (distance_km(lons[a], lats[a], lons[b], lats[b]) > km).astype(dtype)
    return metric


def reliability_data(field, units, km=PLACE_WITHIN_KM, days=DATE_WITHIN_DAYS):
    """(2 × N values, level of measurement) for krippendorff.alpha; units are (coded_a, coded_b) pairs."""
    if field == "found":
        return [[int(a is not None) for a, _ in units], [int(b is not None) for _, b in units]], "nominal"
    both = [(a, b) for a, b in units if a is not None and b is not None]
    if field == "place":
        points = [(c["lon"], c["lat"]) for pair in both for c in pair]
        return ([list(range(0, len(points), 2)), list(range(1, len(points), 2))],
                _place_metric(points, km))
    if field == "date":
        return [[_day(a) for a, _ in both], [_day(b) for _, b in both]], _tolerance_metric(days)
    if field == "fatalities":
        return [[a["fatalities"] for a, _ in both], [b["fatalities"] for _, b in both]], "ratio"
    value = _actors if field == "actors" else (lambda coded: coded[field])
    return [[value(a) for a, _ in both], [value(b) for _, b in both]], "nominal"


@dataclass
class Figure:
    """One cell of the table: alpha (None when undefined), share of units agreeing, number of units."""

    field: str
    label: str
    alpha: float | None
    agreement: float | None
    units: int


def figure(field, units, km=PLACE_WITHIN_KM, days=DATE_WITHIN_DAYS):
    """Krippendorff's alpha and the share of agreeing units for one field over `units` [(coded_a, coded_b)].

    Alpha is None when it is undefined: no unit, or every value the same (no expected disagreement).
    """
    data, level = reliability_data(field, units, km, days)
    n = len(data[0])
    agreeing = sum(not differs(field, a, b, km, days) for a, b in units
                   if field == "found" or (a is not None and b is not None))
    alpha = None
    if n:
        values = np.array(data, dtype=object if level == "nominal" and field != "found" else float)
        if values.dtype == object:
            # Nominal labels become numbers (the metric only asks equal or not).
            labels = {label: i for i, label in enumerate(sorted(set(values.ravel())))}
            values = np.vectorize(labels.get)(values).astype(float)
        try:
            with np.errstate(divide="ignore", invalid="ignore"):
                alpha = float(krippendorff.alpha(reliability_data=values, level_of_measurement=level))
        except ValueError:  # one value only in the domain
            alpha = None
        if alpha is not None and not math.isfinite(alpha):
            alpha = None
    return Figure(field, FIELDS[field], alpha, agreeing / n if n else None, n)


def figures(units, km=PLACE_WITHIN_KM, days=DATE_WITHIN_DAYS):
    return [figure(field, units, km, days) for field in FIELDS]


def compared_units():
    """Every unit of every compared double coding: (coder pair label, month "YYYY-MM" of comparison, UTC,
    coded_a, coded_b)."""
    rows = []
    for unit in CodedUnit.objects.filter(double_coding__compared_at__isnull=False).select_related(
            "double_coding__coder_a", "double_coding__coder_b").order_by("double_coding_id", "id"):
        coding = unit.double_coding
        pair = " & ".join(sorted(u.get_username() for u in coding.coders))
        month = coding.compared_at.astimezone(datetime.UTC).strftime("%Y-%m")
        rows.append((pair, month, unit.coded_a, unit.coded_b))
    return rows


def agreement_table(rows=None, km=PLACE_WITHIN_KM, days=DATE_WITHIN_DAYS):
    """The agreement page's and command's table, computed once:
    {"overall": [Figure], "pairs": [(label, [Figure])], "months": [(label, [Figure])], "articles": int,
    "km": km, "days": days}. `rows` defaults to compared_units()."""
    rows = compared_units() if rows is None else rows
    by_pair, by_month = defaultdict(list), defaultdict(list)
    for pair, month, a, b in rows:
        by_pair[pair].append((a, b))
        by_month[month].append((a, b))
    return {
        "overall": figures([(a, b) for _, _, a, b in rows], km, days),
        "pairs": [(label, figures(units, km, days)) for label, units in sorted(by_pair.items())],
        "months": [(label, figures(units, km, days)) for label, units in sorted(by_month.items())],
        "km": km, "days": days,
    }


def as_text(table):
    """The table as plain text lines (for manage.py agreement): alpha, % agreeing and units per field."""
    width = max(len(label) for label in FIELDS.values())
    lines = [f"Krippendorff's alpha by field (place within {table['km']:g} km, date within {table['days']} days);"
             " α — = undefined (no unit, or one value only)."]
    for title, groups in [("All double-coded articles", [("", table["overall"])]),
                          ("By coder pair", table["pairs"]), ("By month compared (UTC)", table["months"])]:
        lines += ["", title]
        if not groups:
            lines.append("  (none yet)")
        for label, row in groups:
            if label:
                lines.append(f"  {label}")
            for f in row:
                alpha = "—" if f.alpha is None else f"{f.alpha:.3f}"
                agree = "—" if f.agreement is None else f"{100 * f.agreement:.0f}%"
                lines.append(f"    {f.label:<{width}}  α {alpha:>6}  agree {agree:>4}  units {f.units}")
    return lines
