"""Digits and number symbols in the reader's language: the one place pages format numbers (issue 17).

Arabic pages write numbers with Arabic-Indic digits (٠١٢٣٤٥٦٧٨٩) and the Arabic separators, or with
Western digits when the deployment sets ``ARABIC_DIGITS=latn`` (many Syrian outlets write 0-9);
English pages always use Western digits. The two numbering systems and their symbols are CLDR's
(common/main/ar.xml, ``<symbols numberSystem="arab">``: decimal U+066B ٫, group U+066C ٬; ``latn``:
decimal ".", group ","), the same the browser's ``Intl.NumberFormat("ar-u-nu-arab")`` uses, so the
server's "١٬٢٣٤" and the scripts' are the same (static/incidents/reader.js ``DZMap.number``).
CLDR's default for Syrian Arabic (ar-SY) is ``arab``; that is why it is this site's default.

What never changes: ids (DZI12, ACLED's), URLs and query strings, form values, coordinates, JSON
answers and exports. Only text shown to a reader goes through here.

Django's own ``localize``/``intcomma`` are not used for shown numbers: its Arabic formats group
nothing and write a decimal comma with Western digits ("2742", "0,95"), beside the scripts' "2,742".
"""

import re
import unicodedata

from django.conf import settings
from django.utils.translation import get_language

ARABIC = "arab"
WESTERN = "latn"
# CLDR common/main/ar.xml <symbols numberSystem=...>; English uses the latn ones too.
SYMBOLS = {
    ARABIC: {"decimal": "\u066b", "group": "\u066c"},
    WESTERN: {"decimal": ".", "group": ","},
}
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
TO_ARABIC_INDIC = str.maketrans("0123456789", ARABIC_INDIC_DIGITS)


def numbering_system(language=None):
    """"arab" or "latn": the digits of `language` (default: the active one). Arabic follows the
    ARABIC_DIGITS setting; every other language writes Western digits."""
    language = language or get_language() or settings.LANGUAGE_CODE
    return settings.ARABIC_DIGITS if language.split("-")[0] == "ar" else WESTERN


def browser_locale(language=None):
    """The BCP 47 locale the page's scripts give Intl.NumberFormat: "ar-u-nu-arab", "en-u-nu-latn"."""
    language = language or get_language() or settings.LANGUAGE_CODE
    return f"{language.split('-')[0]}-u-nu-{numbering_system(language)}"


def reader_digits(text, system=None):
    """`text` (str, or anything str() takes) with its ASCII digits in the reader's digits, nothing else
    changed: for text that already holds numbers (a date label "3 آذار 2016", "51–100"). `system`:
    numbering_system()'s answer when the caller already has it (a loop over hundreds of numbers:
    looking up the active language each time was ~5 ms of an uncached dashboard page)."""
    text = str(text)
    return text.translate(TO_ARABIC_INDIC) if (system or numbering_system()) == ARABIC else text


def reader_number(value, decimals=None, system=None):
    """A number as the reader writes it: thousands grouped ("2,742", "٢٬٧٤٢"), `decimals` places
    when given (0.95 -> "٠٫٩٥"), else an int as is and a float as Python writes it. None and ""
    come back as "" (a missing figure shows nothing, not "None"). `system` as for reader_digits."""
    if value in (None, ""):
        return ""
    if decimals is not None:
        text = f"{float(value):,.{decimals}f}"
    elif isinstance(value, float):
        text = f"{value:,}"
    else:
        text = f"{int(value):,}"
    system = system or numbering_system()
    if system == WESTERN:
        return text  # already Python's "," and "."
    symbols = SYMBOLS[system]
    text = text.replace(",", "\0").replace(".", symbols["decimal"]).replace("\0", symbols["group"])
    return reader_digits(text, system)


def western_digits(text):
    """`text` with every Unicode decimal digit (Arabic-Indic ٠-٩, Persian ۰-۹, …) as its ASCII digit, and
    the Arabic decimal separator as ".": what a reader types, as the parsers read it. Separators
    other than digits are left alone, so a value that was wrong stays wrong."""
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else "." if c == SYMBOLS[ARABIC]["decimal"] else c
                   for c in str(text))


# A number as written in decimal notation: no exponent, no digit grouping, no "_", "inf" or "nan" (all
# of which Python's float() accepts, so "35_2854" read as 352854 and "1e400" as infinity).
DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def parse_decimal(text):
    """A float from `text` in decimal notation ("35.2854", "-0.5", "٣٥٫٢٨٥٤"), after western_digits;
    ValueError saying so for anything else (exponents, grouping, "nan", "inf", two numbers)."""
    cleaned = western_digits(str(text).strip())
    if not DECIMAL.fullmatch(cleaned):
        raise ValueError(f"“{str(text)[:40]}” is not a number in decimal notation (such as 35.2854).")
    return float(cleaned)
