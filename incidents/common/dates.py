"""The one way an analyst types a day: a date picker (<input type="date">) whose value is ISO 8601,
YYYY-MM-DD, on every form (the incident page, the coding screen, the article page), in every language.

Found by a newcomer analyst: the admin showed and read 18/01/2016 on English pages and 2016-01-18 on
Arabic ones (where Django's fallback also read 01/05/2016 as 5 January), the coding screen took
2016-01-18, and the imports 2016-01-18 or 18 January 2016. A browser's date picker shows the day in
the reader's own way and always sends ISO; a day typed by hand (a browser without a picker) is read
as ISO too, with Arabic-Indic digits as well as 0-9 (common.numerals.western_digits), and anything
else is an error that shows the expected form. Imports keep also accepting ACLED's "18 January 2016"
(common.acled_format.parse_event_date), since that is how ACLED's files write it.
"""

from django import forms
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext_lazy as _

from incidents.common.numerals import reader_digits, western_digits

ISO_DAY = "%Y-%m-%d"
SHOWN_DAY = "j M Y"  # how an analyst page shows a day: "18 Jan 2016", "18 كانون الثاني 2016" (month names per language)


def reader_day(day, end=None):
    """A day (datetime.date, or None: "") as analyst pages show it, in the reader's digits; with `end`
    (a later day), the span "18 Jan 2016–20 Jan 2016"."""
    if day is None:
        return ""
    text = date_format(day, SHOWN_DAY)
    if end and end != day:
        text = f"{text}–{date_format(end, SHOWN_DAY)}"
    return reader_digits(text)


class DayInput(forms.DateInput):
    """The browser's date picker; its value is always ISO (what <input type="date"> requires)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"placeholder": "YYYY-MM-DD", **(attrs or {})}, format=ISO_DAY)

    def format_value(self, value):
        # A day typed or linked in Arabic-Indic digits is read (DayField); a date input shows only a
        # 0-9 value, so the box is given that one, not left empty (found by a newcomer session: the
        # range then vanished from the next filter applied).
        return super().format_value(western_digits(value) if isinstance(value, str) else value)


class DayField(forms.DateField):
    """A day typed or picked as YYYY-MM-DD, in any digits; any other form is refused, naming the one
    expected (never guessed: 01/05/2016 is the 1st of May in Damascus, the 5th of January in Django's
    default formats)."""

    widget = DayInput
    input_formats = [ISO_DAY]
    default_error_messages = {"invalid": _("Enter the day as YYYY-MM-DD, e.g. 2016-01-18.")}

    def __init__(self, **kwargs):
        kwargs.pop("input_formats", None)  # one form everywhere, whatever a caller or locale offers
        super().__init__(input_formats=[ISO_DAY], **kwargs)

    def to_python(self, value):
        return super().to_python(western_digits(value).strip() if isinstance(value, str) else value)


# For ModelAdmin.formfield_overrides: every model DateField an analyst types becomes a DayField.
ADMIN_OVERRIDES = {"form_class": DayField, "widget": DayInput}


ISO_MOMENT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends and shows
MOMENT_FORMATS = [ISO_MOMENT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class MomentInput(forms.DateTimeInput):
    """The browser's date-and-time picker; its value is always ISO, YYYY-MM-DDTHH:MM, in UTC (the site's
    time zone, settings.TIME_ZONE)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs={"placeholder": "YYYY-MM-DD HH:MM", **(attrs or {})}, format=ISO_MOMENT)


class MomentField(forms.DateTimeField):
    """A moment (e.g. when an article was retrieved) typed or picked as YYYY-MM-DD HH:MM in UTC, in any
    digits, "T" or a space between day and time; anything else is refused naming the expected form
    (never 01/03/2017, read as 1 March in Django's English formats and as 3 January elsewhere)."""

    widget = MomentInput
    default_error_messages = {"invalid": _("Enter the time as YYYY-MM-DD HH:MM in UTC, e.g. 2017-03-01 14:30.")}

    def __init__(self, **kwargs):
        kwargs.pop("input_formats", None)
        kwargs["help_text"] = kwargs.get("help_text") or _("UTC, as YYYY-MM-DD HH:MM.")
        super().__init__(input_formats=MOMENT_FORMATS, **kwargs)

    def to_python(self, value):
        return super().to_python(western_digits(value).strip() if isinstance(value, str) else value)


# For ModelAdmin.formfield_overrides: every model DateTimeField an analyst types becomes a MomentField.
MOMENT_OVERRIDES = {"form_class": MomentField, "widget": MomentInput}
