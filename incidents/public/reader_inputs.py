"""Filter inputs that read the digits a reader types (issue 17): a date typed ٢٠١٦-٠١-١٨ on an Arabic
page (a browser without a date picker, or a link written by hand) is 2016-01-18. Numbers need nothing:
Django's number fields already read any Unicode digits (int("٥٠") is 50). Python's strptime does not,
so the date filters use this field. The query string itself is never rewritten: links keep what was typed.
"""

import django_filters
from django import forms

from incidents.common.numerals import western_digits


class ReaderDateField(forms.DateField):
    """A DateField that reads Arabic-Indic (any Unicode) digits as well as 0-9."""

    def to_python(self, value):
        return super().to_python(western_digits(value) if isinstance(value, str) else value)


class ReaderDateFilter(django_filters.DateFilter):
    """django-filter's DateFilter on ReaderDateField."""

    field_class = ReaderDateField
