"""The History pages in words: field labels, human values (names, labels, "—" for nothing), and full
text with what changed marked (incidents.review.differences), for every model with history."""

from django.contrib.gis.geos import GEOSGeometry
from django.db.models import ManyToManyField
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import get_m2m_reverse_field_name

from incidents.review.differences import marked

NOTHING = "—"


def human(field, value):
    """A stored value as people read it: a related object's name, a choice's label, yes/no, a point in
    degrees (lat N, lon E), a list joined by commas, and "—" for nothing (never "None")."""
    if value is None or value == "" or value == []:
        return NOTHING
    if isinstance(field, ManyToManyField):
        ids = [row[get_m2m_reverse_field_name(field)] for row in value]
        return ", ".join(sorted(str(obj) for obj in field.related_model.objects.filter(pk__in=ids))) or NOTHING
    if field.is_relation:
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value} (since deleted)"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, GEOSGeometry):
        return f"{value.y:.5f} N, {value.x:.5f} E" if value.geom_type == "Point" else f"{value.geom_type} changed"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)


class HumanHistoryContextHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.is_relation and not field.many_to_many and hasattr(value, "pk"):
            value = value.pk
        return human(field, value)

    def stringify_delta_change_values(self, change, old, new):
        return marked(old, new)


class HumanHistoryMixin:
    """For SimpleHistoryAdmins: the History list in words (templates/admin/incidents/object_history_list.html)."""

    object_history_list_template = "admin/incidents/object_history_list.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return HumanHistoryContextHelper(self.model, historical_record)
