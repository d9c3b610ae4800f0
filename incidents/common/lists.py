"""The one way an analyst types a list (actor aliases, place name variants, area aliases, tags, rule
keywords): items separated by a comma, Latin "," or Arabic "،" (U+060C), spaces around them ignored.

Found by a newcomer analyst: `Souq al-Mayadin، سوق الميادين، Mayadeen market` was saved as ONE variant,
because Django's SimpleArrayField splits on "," only, and an Arabic keyboard types "،". ACLED's own
lists (associated actors, sources, tags in its files) are separated by ";", so `split_acled_list`
also takes the Arabic semicolon "؛" (U+061B). Used by every form through `ListArrayField` (the models'
array fields typed by people) and by the imports (common.acled_format.split_list).
"""

import re

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.forms import SimpleArrayField

LIST_SEPARATORS = ",\u060c"  # "," and Arabic comma "،"
ACLED_SEPARATORS = ";\u061b"  # ";" and Arabic semicolon "؛" (ACLED's files)
_LIST_SPLIT = re.compile(f"\\s*[{LIST_SEPARATORS}]\\s*")
_ACLED_SPLIT = re.compile(f"\\s*[{ACLED_SEPARATORS}]\\s*")


def _split(pattern, text):
    return [part for part in (p.strip() for p in pattern.split(str(text or ""))) if part]


def split_typed_list(text):
    """["a", "b"] from "a، b ,a2": the items of a list typed in a form (str; None and "" give []),
    split on "," and "،", each trimmed, empty items dropped, order and repeats kept."""
    return _split(_LIST_SPLIT, text)


def split_acled_list(text):
    """The items of an ACLED list cell ("Rebel group; Civilians (Syria)"), split on ";" and "؛", trimmed."""
    return _split(_ACLED_SPLIT, text)


class ListFormField(SimpleArrayField):
    """A SimpleArrayField that splits with `split_typed_list` and shows the stored list as "a, b"."""

    def __init__(self, base_field, **kwargs):
        kwargs.pop("delimiter", None)
        super().__init__(base_field, delimiter=", ", **kwargs)

    def to_python(self, value):
        return super().to_python(value if isinstance(value, list) else split_typed_list(value))


class ListArrayField(ArrayField):
    """An ArrayField people type in forms: its form field is ListFormField. Deconstructs as Django's
    ArrayField (same column, same migrations), since only the form differs."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ListFormField, **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.contrib.postgres.fields.ArrayField", args, kwargs
