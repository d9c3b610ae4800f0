"""Checking an ACLED CSV before anything is written: each bad row and column is reported.

Reads both ACLED spellings (dates "02 June 2023" / "2023-06-02", actor types as numbers or
text), splits semicolon lists, and undoes our own exports' formula guard, so an export of
this database imports back unchanged.
"""

import re
from collections import Counter
from dataclasses import dataclass

from incidents.common.acled_format import (
    ACLED_COLUMNS,
    CIVILIAN_TARGETING,
    FORMULA_STARTS,
    SYRIA,
    interaction_pair,
    parse_event_date,
    parse_inter,
    parse_interaction,
    split_list,
)
from incidents.common.lookalikes import invisible_character, look_alike_problem
from incidents.common.names import name_key
from incidents.common.numerals import parse_decimal
from incidents.common.plausible_dates import implausible
from incidents.common.typology import SUB_EVENT_TYPES, sub_event_type_problem

REQUIRED_COLUMNS = ["event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
                    "inter1", "actor2", "inter2", "admin1", "location", "latitude", "longitude", "geo_precision",
                    "source", "notes", "fatalities"]
# Read when present (our own exports carry them); other unknown columns are ignored and reported.
OUR_COLUMNS = ["fatalities_low", "fatalities_high", "injured"]
# Our export's last day of a date window: with it, the row is our time precision 4 (exports/incidents.py).
WINDOW_END_COLUMN = "event_date_end"
KNOWN_COLUMNS = set(ACLED_COLUMNS) | set(OUR_COLUMNS) | {WINDOW_END_COLUMN}
# PostgreSQL's integer: a larger count ("1e30", "99999999999") is a cell error, not "integer out of range".
MAX_WHOLE = 2_147_483_647


# Prose, where a zero-width non-joiner is ordinary Persian or Arabic typography.
FREE_TEXT_COLUMNS = {"notes", "source", "tags"}


# ACLED's ids are ASCII (SYR12345); so are ours (DZI12, DEMO3). Anything else can imitate one: a Cyrillic
# О, a full-width ９, a combining mark, a no-break space (found by a second attacker session).
ID_FORM = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


@dataclass
class Problem:
    row: int | None  # 1 is the first row after the header; None is the header itself
    line: int | None
    column: str
    message: str

    def __str__(self):
        where = "header" if self.row is None else f"row {self.row}" + (f" (line {self.line})" if self.line else "")
        return f"{where}, column {self.column}: {self.message}"


class ImportRefused(Exception):
    """The file cannot be imported; `problems` says where and why. Nothing was written."""

    def __init__(self, problems):
        self.problems = problems
        rows = {problem.row for problem in problems if problem.row is not None}
        super().__init__(f"File refused, nothing was imported: {len(problems)} problem(s)"
                         + (f" in {len(rows)} row(s)." if rows else "."))

    def report(self):
        return "\n".join([str(self), *map(str, self.problems)])


@dataclass
class AcledRow:
    """One checked row, in our types."""

    number: int
    event_id_cnty: str
    date: object
    time_precision: int
    event_type: str
    sub_event_type: str
    actor1: str
    inter1: int
    assoc_1: list
    actor2: str
    inter2: int | None
    assoc_2: list
    civilian_targeting: bool
    admin1: str
    admin2: str
    admin3: str
    location: str
    longitude: float
    latitude: float
    geo_precision: int
    source_text: str
    source_scale: str
    notes: str
    fatalities: int
    tags: list
    ours: dict  # fatalities_low / fatalities_high / injured / date_end, only for columns the file has
    line: int | None = None  # the file's line where the row starts, for problems found against the database


class _Cells:
    """Reads the cells of one row, recording a Problem for each bad one."""

    def __init__(self, number, line, values, problems):
        self.number, self.line, self.values, self.problems = number, line, values, problems

    def problem(self, column, message):
        self.problems.append(Problem(self.number, self.line, column, message))

    def identifier(self, column, max_length):
        value = self.text(column, max_length, required=True)
        if value and not ID_FORM.fullmatch(value):
            self.problem(column, f"“{value[:60]}” is not an id: ids are ASCII letters and digits (with - _ .), "
                                 "as ACLED's are (SYR12345).")
            return ""
        return value

    def text(self, column, max_length=None, required=False):
        value = (self.values.get(column) or "").strip()
        # Undo our exports' formula guard: "'=x" was written for "=x".
        if value.startswith("'") and value[1:2] and value[1] in FORMULA_STARTS:
            value = value[1:]
        if column not in FREE_TEXT_COLUMNS and (hidden := invisible_character(value)):
            self.problem(column, f"holds an invisible character ({hidden}): ids and names must read as they "
                                 "are stored, or “DEMO5” plus a zero-width space passes for DEMO5.")
            return ""
        if column not in FREE_TEXT_COLUMNS and (problem := look_alike_problem(value)):
            self.problem(column, f"“{value[:60]}” {problem}.")
            return ""
        if required and not value:
            self.problem(column, "is empty.")
        elif max_length and len(value) > max_length:
            self.problem(column, f"is {len(value)} characters long; at most {max_length} fit.")
        return value

    def whole(self, column, minimum=0, maximum=MAX_WHOLE, required=True):
        raw = self.text(column, required=required)
        if not raw:
            return None
        try:
            number = float(raw)
            if not number.is_integer():
                raise ValueError
        except (ValueError, OverflowError):
            self.problem(column, f"“{raw[:40]}” is not a whole number.")
            return None
        if number < minimum or (maximum is not None and number > maximum):
            bounds = f"from {minimum} to {maximum}" if maximum is not None else f"{minimum} or more"
            self.problem(column, f"{raw} is out of range: it must be {bounds}.")
            return None
        return int(number)

    def decimal(self, column, limit):
        raw = self.text(column, required=True)
        try:
            # Decimal notation only (common.numerals.parse_decimal): float() read "35_2854" as 352854
            # and "-nan" as a number (found by an attacker session).
            number = parse_decimal(raw)
        except ValueError as error:
            if raw:
                self.problem(column, str(error))
            return None
        if not -limit <= number <= limit:
            self.problem(column, f"{raw} is out of range: it must be between -{limit} and {limit}.")
            return None
        return number

    def parsed(self, column, parse, required=False):
        raw = self.text(column, required=required)
        if not raw:
            return None
        try:
            return parse(raw)
        except ValueError as error:
            self.problem(column, str(error))
            return None

    def names(self, column):
        names = split_list(self.text(column))
        for name in names:
            if len(name) > 300:
                self.problem(column, f"“{name[:40]}…” is longer than 300 characters.")
        return names


def _check_row(cells):
    """An AcledRow, or None when the row has problems (recorded in cells.problems)."""
    before = len(cells.problems)
    day = cells.parsed("event_date", parse_event_date, required=True)
    if problem := implausible(day):
        cells.problem("event_date", problem)
    year = cells.whole("year", required=False)
    if day and year is not None and year != day.year:
        cells.problem("year", f"{year} is not the year of event_date ({day.year}).")
    event_type = cells.text("event_type", required=True)
    sub_event_type = cells.text("sub_event_type", required=True)
    if event_type and event_type not in SUB_EVENT_TYPES:
        cells.problem("event_type", f"“{event_type}” is not an ACLED event type; use one of: "
                                    f"{', '.join(SUB_EVENT_TYPES)}.")
    elif problem := sub_event_type_problem(event_type, sub_event_type):
        cells.problem("sub_event_type", problem)
    actor1, actor2 = cells.text("actor1", 300, required=True), cells.text("actor2", 300)
    inter1 = cells.parsed("inter1", parse_inter, required=True)
    inter2_written, inter2 = cells.text("inter2"), cells.parsed("inter2", parse_inter)
    if actor2 and inter2 is None and inter2_written in ("", "0"):
        cells.problem("inter2", "is empty, but actor 2 needs an actor type.")
    elif inter2 is not None and not actor2:
        cells.problem("inter2", "gives an actor type, but actor2 is empty.")
    interaction = cells.parsed("interaction", parse_interaction)
    if interaction and inter1 and (not actor2 or inter2) and interaction != interaction_pair(inter1, inter2):
        cells.problem("interaction", f"“{cells.text('interaction')}” does not match inter1 and inter2.")
    assoc_1, assoc_2 = cells.names("assoc_actor_1"), cells.names("assoc_actor_2")
    if assoc_2 and not actor2:
        cells.problem("assoc_actor_2", "names associated actors of actor 2, but actor2 is empty.")
    targeting = cells.text("civilian_targeting")
    if targeting and name_key(targeting) != name_key(CIVILIAN_TARGETING):
        cells.problem("civilian_targeting", f"“{targeting}” is neither empty nor “{CIVILIAN_TARGETING}”.")
    for column in ("country", "iso"):
        value = cells.text(column)
        if value and value != str(SYRIA[column]):
            cells.problem(column, f"“{value}”: this database holds {SYRIA['country']} only ({SYRIA[column]}).")
    ours = {column: cells.whole(column, required=False) for column in OUR_COLUMNS if column in cells.values}
    time_precision = cells.whole("time_precision", 1, 3)
    if window_end := cells.parsed(WINDOW_END_COLUMN, parse_event_date):
        if problem := implausible(window_end):
            cells.problem(WINDOW_END_COLUMN, problem)
        elif day and window_end < day:
            cells.problem(WINDOW_END_COLUMN, f"{window_end.isoformat()} is before event_date ({day.isoformat()}).")
        elif time_precision is not None and time_precision != 3:
            cells.problem(WINDOW_END_COLUMN, "needs time_precision 3: a window says only that the day is unknown.")
        else:
            ours.update(date_end=window_end)
            time_precision = 4
    elif WINDOW_END_COLUMN in cells.values:
        ours.update(date_end=None)  # our own export, no window: a window stored earlier is gone
    row = AcledRow(
        number=cells.number, event_id_cnty=cells.identifier("event_id_cnty", 40), date=day,
        time_precision=time_precision, event_type=event_type, sub_event_type=sub_event_type,
        actor1=actor1, inter1=inter1, assoc_1=assoc_1, actor2=actor2, inter2=inter2, assoc_2=assoc_2,
        civilian_targeting=bool(targeting), admin1=cells.text("admin1", 200), admin2=cells.text("admin2", 200),
        admin3=cells.text("admin3", 200), location=cells.text("location", 200, required=True),
        latitude=cells.decimal("latitude", 90), longitude=cells.decimal("longitude", 180),
        geo_precision=cells.whole("geo_precision", 1, 3), source_text=cells.text("source"),
        source_scale=cells.text("source_scale", 100), notes=cells.text("notes"),
        fatalities=cells.whole("fatalities"), tags=cells.names("tags"), ours=ours, line=cells.line,
    )
    if row.fatalities is not None:
        if (ours.get("fatalities_low") or 0) > row.fatalities:
            cells.problem("fatalities_low", "is more than fatalities (the best estimate).")
        if ours.get("fatalities_high") is not None and ours["fatalities_high"] < row.fatalities:
            cells.problem("fatalities_high", "is less than fatalities (the best estimate).")
    return row if len(cells.problems) == before else None


def check_header(header):
    problems = []
    counts = Counter(header)
    missing = [column for column in REQUIRED_COLUMNS if column not in counts]
    problems += [Problem(None, 1, column, "is missing.") for column in missing]
    if missing:
        problems.append(Problem(None, 1, "(all)", f"An ACLED file needs {', '.join(REQUIRED_COLUMNS)}; "
                                                  f"this one has {', '.join(header) or 'no columns'}."))
    for column, count in counts.items():
        if count > 1:
            problems.append(Problem(None, 1, column, f"appears {count} times."))
    return problems


def check_rows(header, records, progress=None):
    """Checked AcledRows from (line, [values]) records, or ImportRefused naming every problem."""
    header = [name.strip().lstrip("\ufeff") for name in header]
    problems = check_header(header)
    if problems:
        raise ImportRefused(problems)
    rows, first_row_of = [], {}
    for number, (line, values) in enumerate(progress(records) if progress else records, start=1):
        if len(values) != len(header):
            problems.append(Problem(number, line, "(whole row)",
                                    f"has {len(values)} fields; the header has {len(header)}."))
            continue
        row = _check_row(_Cells(number, line, dict(zip(header, values)), problems))
        if row is None:
            continue
        key = row.event_id_cnty.casefold()  # ZQX2 and zqx2 are one event's id written twice
        if key in first_row_of:
            first, written = first_row_of[key]
            also = "" if written == row.event_id_cnty else f" (as “{written}”: ids differ only in case)"
            problems.append(Problem(number, line, "event_id_cnty", f"“{row.event_id_cnty}” is already in row "
                                                                   f"{first}{also}."))
        first_row_of.setdefault(key, (number, row.event_id_cnty))
        rows.append(row)
    if not rows and not problems:
        problems.append(Problem(None, 1, "(file)", "has a header but no rows."))
    if problems:
        raise ImportRefused(problems)
    return rows
