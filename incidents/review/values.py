"""A record's field values as the four-eyes rule stores and compares them (proposals, and what a
second reviewer's decision page showed): plain JSON, exact for geometries.

- `proposable_fields(model)`: the fields whose change a second reviewer decides.
- `serialize(field, record)`, `serialize_value(field, value)`, `deserialize(field, value)`.
- `field_label(field)`: its label in the reader's language.
- `same_value(field, record, other)`: equality as an edit form means it (geometries within 1e-9°).
"""

import datetime
import decimal

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.geos import GEOSGeometry
from django.db.models import DateField, DateTimeField, DecimalField, ManyToManyField
from django.utils.text import capfirst
from django.utils.translation import gettext as _


# Fields a record keeps for the analysts' own work, never shown to the public: saved directly.
PRIVATE_FIELDS = {"article": {"coding_status", "retrieved_at"}}


def proposable_fields(model):
    """The editable fields (Field objects, concrete then many-to-many) of `model` whose change waits
    for a second reviewer: all but PRIVATE_FIELDS."""
    private = PRIVATE_FIELDS.get(model._meta.model_name, set())
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    return [f for f in fields if f.editable and not f.primary_key and f.name not in private]


def serialize(field, record):
    """`record`'s value of `field` as JSON: None, str, int, float, bool, a list (arrays), sorted ids
    (many-to-many), the related id (foreign keys), ISO text (dates, times), str (decimals) or hex
    EWKB (geometries: exact, so a comparison never differs by a rounding)."""
    if isinstance(field, ManyToManyField):
        if record.pk is None:
            return []
        return sorted(getattr(record, field.name).values_list("pk", flat=True))
    value = getattr(record, field.attname)
    return _plain(value)


def serialize_value(field, value):
    """A form's cleaned value of `field` as `serialize` stores it (a queryset or list of objects for
    many-to-many fields, a model instance for foreign keys)."""
    if isinstance(field, ManyToManyField):
        return sorted(obj.pk for obj in (value or []))
    if field.is_relation:
        return value.pk if value is not None else None
    return _plain(value)


def _plain(value):
    if isinstance(value, GEOSGeometry):
        return value.hexewkb.decode() if isinstance(value.hexewkb, bytes) else value.hexewkb
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def deserialize(field, value):
    """The Python value `serialize` stored (for many-to-many: the list of ids)."""
    if value is None or isinstance(field, ManyToManyField) or field.is_relation:
        return value
    if isinstance(field, GeometryField):
        return GEOSGeometry(value)
    if isinstance(field, DateTimeField):
        return datetime.datetime.fromisoformat(value)
    if isinstance(field, DateField):
        return datetime.date.fromisoformat(value)
    if isinstance(field, DecimalField):
        return decimal.Decimal(value)
    return value


def same_value(field, record, other):
    """Whether two instances hold the same value of concrete `field` (geometries within 1e-9 degrees:
    a map widget's round trip of an unmoved point must not count as a change)."""
    a, b = getattr(record, field.attname), getattr(other, field.attname)
    if isinstance(a, GEOSGeometry) and isinstance(b, GEOSGeometry):
        return a.srid == b.srid and a.equals_exact(b, 1e-9)
    return _plain(a) == _plain(b)


def field_label(field):
    """A field's label in the reader's language (the admin's labels are in the catalogue capitalised)."""
    return _(capfirst(str(field.verbose_name)))
