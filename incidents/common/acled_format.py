"""ACLED's file format: column order, dates, and 'inter'/'interaction' codes in both spellings.

ACLED files before 2024 write actor types as numbers (inter1 = 2, interaction = 12);
the current codebook writes their labels ("Rebel group", "State forces-Rebel group",
"Rebel group only"). We read both; the export (exports/incidents.py) writes the current text form.
"""

import datetime
import re

from incidents.common.area_names import GOVERNORATE_ALIASES
from incidents.common.lists import split_acled_list
from incidents.common.names import name_key
from incidents.common.numerals import western_digits
from incidents.common.typology import ActorCategory

# The public ACLED export (2023 codebook), in ACLED's order.
ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location",
    "latitude", "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags",
    "timestamp",
]
SYRIA = {"iso": 760, "region": "Middle East", "country": "Syria"}
CIVILIAN_TARGETING = "Civilian targeting"
LIST_SEPARATOR = "; "
# Our CSV files put a ' before text cells starting with these, against formula injection in
# spreadsheets (OWASP, "CSV Injection"); reading our own files takes it off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# common.area_names lists ACLED's spelling of each governorate first ("Deir ez Zor");
# exports write it so that our incidents and imported ACLED rows pivot together.
ACLED_GOVERNORATE_NAMES = {pcode: names[0] for pcode, names in GOVERNORATE_ALIASES.items()}

MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December"]
MONTHS = {name.casefold(): number for number, name in enumerate(MONTH_NAMES, start=1)}
MONTHS.update({name[:3]: number for name, number in list(MONTHS.items())})
# "02 June 2023" (ACLED export tool), "2-Jun-2023" (older spreadsheets).
DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[ -]([A-Za-z]+)\.?[ -](\d{4})$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_event_date(text):
    """'02 June 2023' or '2023-06-02' (any digits: '٢٠٢٣-٠٦-٠٢', as typed dates, common.dates) -> date;
    ValueError naming the accepted forms otherwise."""
    text = western_digits(text or "").strip()
    try:
        if ISO_DATE.match(text):
            return datetime.date.fromisoformat(text)
        if match := DAY_MONTH_YEAR.match(text):
            month = MONTHS.get(match[2].casefold())
            if month:
                return datetime.date(int(match[3]), month, int(match[1]))
    except ValueError:
        pass  # a well-formed but impossible date such as 31 June
    raise ValueError(f"“{text}” is not a date; write it as 2023-06-02 or 02 June 2023.")


def _singular_key(text):
    # Older codebooks write the plural ("Rebel Groups", "External/Other Forces").
    return name_key(text).removesuffix("s")


_CATEGORY_BY_KEY = {_singular_key(category.label): category for category in ActorCategory}


def parse_inter(value):
    """An actor type as ACLED writes it ('2' or 'Rebel group') -> ActorCategory; '' or '0' -> None."""
    text = str(value if value is not None else "").strip()
    if text in ("", "0"):
        return None
    if text.isdigit():
        try:
            return ActorCategory(int(text))
        except ValueError:
            raise ValueError(f"“{text}” is not an ACLED actor type code (1 to 8).") from None
    category = _CATEGORY_BY_KEY.get(_singular_key(text))
    if category is None:
        raise ValueError(f"“{text}” is not an ACLED actor type; use one of: "
                         f"{', '.join(c.label for c in ActorCategory)}.")
    return category


def parse_interaction(value):
    """'12', '20', 'State forces-Rebel group' or 'Rebel group only' -> sorted pair (second may be None)."""
    text = str(value or "").strip()
    if text.isdigit() and len(text) == 2:
        first, second = parse_inter(text[0]), parse_inter(text[1])
    elif text.casefold().endswith(" only"):
        first, second = parse_inter(text[: -len(" only")]), None
    elif "-" in text:
        left, right = text.split("-", 1)
        first, second = parse_inter(left), parse_inter(right)
    else:
        raise ValueError(f"“{text}” is not an ACLED interaction such as 12 or “State forces-Rebel group”.")
    if first is None:
        raise ValueError(f"“{text}” names no actor type.")
    return interaction_pair(first, second)


def interaction_pair(inter1, inter2):
    """ACLED puts the lower code first: rebels against the state are 12, never 21."""
    if inter2 is None:
        return (inter1, None)
    return tuple(sorted((inter1, inter2)))


def split_list(value):
    """ACLED separates associated actors, sources and tags with semicolons (";", or Arabic "؛" as an
    Arabic keyboard types it): the one rule is common.lists.split_acled_list."""
    return split_acled_list(value)
