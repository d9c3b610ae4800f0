"""Filter inputs that read the digits a reader types (issue 17): a date typed ٢٠١٦-٠١-١٨ on an Arabic
page (a browser without a date picker, or a link written by hand) is 2016-01-18. Numbers need nothing:
Django's number fields already read any Unicode digits (int("٥٠") is 50). The day itself is the one
typed-day rule of every form (common.dates.DayField: YYYY-MM-DD in any digits, as docs/public-api.md
documents `date_from`/`date_to`). The query string itself is never rewritten: links keep what was typed.
"""

import django_filters

from incidents.common.dates import DayField


class ReaderDateFilter(django_filters.DateFilter):
    """django-filter's DateFilter on the one typed-day field (common.dates.DayField)."""

    field_class = DayField
