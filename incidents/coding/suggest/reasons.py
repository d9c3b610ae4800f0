"""Why a suggestion (or a likely duplicate) says what it says, in the reader's language (issue 17).

A reason is written once, as an English message with named placeholders marked for translation
(``gettext_lazy``), and the values that fill it::

    Reason(_("“%(words)s” matched the rule “%(rule)s” → %(event)s"), words="shelled", rule="shell*",
           event=reader_term("Explosions/Remote violence"))

It *is* its English text (a ``str``): the evaluation, the management commands, logs and tests read
and join it as before. A page shows it through ``__html__`` (what Django's templates call), which
translates the message in the page's language and fills it with the values as the reader writes
them: numbers and dates in the reader's digits (incidents/common/numerals.py), lists with the
language's separator, ACLED terms passed as ``reader_term`` and places in the reader's language.
Quoted words from the article, rule entries and actor names are data and stay as written.
"""

import datetime

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import get_language_bidi, override

from incidents.common import numerals, reader_text
from incidents.common.arabic_names import name_in_reader_language


def _shown(value):
    """One placeholder's value as the reader reads it (see the module's docstring)."""
    if isinstance(value, Reason):
        return value.translated()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return numerals.reader_number(value)
    if isinstance(value, datetime.date):
        return numerals.reader_digits(date_format(value, "j F Y"))
    if isinstance(value, Sum):
        return " + ".join(_shown(item) for item in value)
    if isinstance(value, (list, tuple)):
        return reader_text.reader_list(_shown(item) for item in value)
    if hasattr(value, "name_ar"):  # a place or area: its Arabic name on Arabic pages, as the rest of the screen
        value = name_in_reader_language(value)
    # Data (article words, names) inside right-to-left text: isolated (FSI…PDI), so a Latin phrase with
    # its own punctuation keeps its order instead of mixing with the Arabic around it.
    return f"\u2068{value}\u2069" if get_language_bidi() else str(value)


class Sum(tuple):
    """Numbers added up, shown as "3 + 4" in the reader's digits."""


class Reason(str):
    """A reason: its English text as a ``str``, translated only where a page shows it."""

    def __new__(cls, message, **values):
        with override("en"):
            english = str(message) % {name: _shown(value) for name, value in values.items()}
        reason = super().__new__(cls, english)
        reason.message, reason.values = message, values
        return reason

    def translated(self):
        """The reason in the active language: the message's translation filled with the values."""
        return str(self.message) % {name: _shown(value) for name, value in self.values.items()}

    def __html__(self):
        return escape(self.translated())

    def __reduce__(self):  # pickling keeps the message and values, not just the English text
        return (_rebuild, (self.message, self.values))


def _rebuild(message, values):
    return Reason(message, **values)
