"""Query-string parsing shared by every public endpoint: bad input is a 400 naming the parameter."""

import datetime
import re
from functools import wraps

from django.http import JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from incidents.common.plausible_dates import last_day


class BadParameters(Exception):
    """Raised with {parameter: [messages]} when a query string cannot be used."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = {name: [str(m) for m in messages] for name, messages in errors.items()}


def one_value(params, name):
    """The value of the single-valued parameter `name` in `params` (a QueryDict or a dict), or None.

    Raises BadParameters naming `name` when the query string gives it twice with different values
    (a link extended by appending, …&date_from=2016-01-01&date_from=2017-01-01, would otherwise mean
    its last value without a word). Repeats of one value, and empty repeats, are accepted.
    """
    if not hasattr(params, "getlist"):
        return params.get(name)
    values = [value for value in dict.fromkeys(str(raw).strip() for raw in params.getlist(name)) if value]
    if len(values) > 1:
        shown = ", ".join(f"“{value[:40]}”" for value in values[:3])
        raise BadParameters({name: [f"Given {len(values)} different values ({shown}); give it once."]})
    return values[0] if values else params.get(name)


def whole_number(params, name, default, minimum=0, maximum=None):
    raw = one_value(params, name)
    raw = "" if raw is None else str(raw).strip()
    if raw == "":
        return default
    try:
        if not _ASCII_INTEGER.fullmatch(raw):
            raise ValueError(raw)
        value = int(raw)
    except ValueError:
        raise BadParameters({name: [f"“{raw}” is not a whole number."]}) from None
    if value < minimum or (maximum is not None and value > maximum):
        bounds = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
        raise BadParameters({name: [f"Must be {bounds}."]})
    return value


_ASCII_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")
_UNIX_SECONDS = re.compile(r"[0-9]{1,18}")
_SINCE_HELP = ("use e.g. 2024-05-16T08:30:00Z, 2024-05-16 or Unix seconds "
               "(the timestamp column of an earlier export)")


def parse_since(params, name="updated_since"):
    """An aware UTC datetime from ISO 8601 (date or date-time, UTC when no offset) or Unix
    seconds (ASCII digits), or None when absent or empty.

    Raises BadParameters naming `name` for anything else, including instants outside
    1970-01-01 .. tomorrow UTC (milliseconds, year 58885, year 1 with an offset): the plausible
    range of incidents.common.plausible_dates, widened back to the Unix epoch because 0 means
    "everything" to incremental clients (docs/public-api.md, "updated_since").
    """
    raw = (one_value(params, name) or "").strip()
    if not raw:
        return None
    moment = None
    try:
        if _UNIX_SECONDS.fullmatch(raw):
            moment = datetime.datetime.fromtimestamp(int(raw), tz=datetime.UTC)
        elif raw.isascii():
            moment = parse_datetime(raw.replace(" ", "+"))  # "+02:00" arrives as " 02:00" when not URL-encoded
            if moment is None and (day := parse_date(raw)):
                moment = datetime.datetime.combine(day, datetime.time())
            if moment is not None:
                moment = moment if timezone.is_aware(moment) else moment.replace(tzinfo=datetime.UTC)
                moment = moment.astimezone(datetime.UTC)
    except (ValueError, OverflowError, OSError):
        if _UNIX_SECONDS.fullmatch(raw):
            raise BadParameters({name: [f"“{raw[:40]}” is too large for Unix seconds (milliseconds?); {_SINCE_HELP}."]}) from None
        moment = None
    if moment is None:
        raise BadParameters({name: [f"“{raw[:40]}” is not a timestamp; {_SINCE_HELP}."]})
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
    if moment < epoch or moment.date() > last_day():
        hint = " (milliseconds? use seconds)" if _UNIX_SECONDS.fullmatch(raw) else ""
        raise BadParameters({name: [f"“{raw[:40]}” is outside 1970-01-01 .. tomorrow (UTC){hint}; {_SINCE_HELP}."]})
    return moment


def bad_parameters_response(errors):
    return JsonResponse({"error": "bad query parameters", "parameters": errors}, status=400)


def json_400_on_bad_parameters(view):
    """For JSON and CSV endpoints: turn BadParameters into a 400 JSON body naming each parameter."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadParameters as bad:
            return bad_parameters_response(bad.errors)

    return wrapper
