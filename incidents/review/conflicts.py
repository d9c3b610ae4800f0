"""What changed in an incident since the version an analyst opened, read from its history.

Used when a save is refused for a lost-update conflict: each field someone else
changed is listed with its value then, now, and in the refused form, and the
form takes over their value wherever the analyst had left the field alone.
"""

from dataclasses import dataclass, field

from django.contrib.gis.geos import GEOSGeometry
from django.db.models import Model, QuerySet
from django.utils.text import capfirst
from simple_history.utils import get_m2m_reverse_field_name

from incidents.models import Incident

TAKEN, SAME, CLASH, INFO = "taken", "same", "clash", "info"


@dataclass
class FieldChange:
    name: str
    label: str
    was: str  # when the analyst opened the form
    now: str  # as saved by the other person
    yours: str  # in the refused form ("" when the field is not on the form)
    outcome: str  # TAKEN: their value put in the form; SAME: you agree; CLASH: you decide; INFO: not editable here


@dataclass
class Conflict:
    opened_version: int
    current_version: int
    saves: list = field(default_factory=list)  # (user, when, reason) of each save since opening
    changes: list = field(default_factory=list)
    history_known: bool = True

    @property
    def clashes(self):
        return [c for c in self.changes if c.outcome == CLASH]

    @property
    def taken(self):
        return [c for c in self.changes if c.outcome == TAKEN]

    def summary(self):
        who = ", ".join(sorted({str(user) for user, _, _ in self.saves if user})) or "someone else"
        return (f"Not saved: {who} saved this incident while you were editing it (version {self.opened_version} "
                f"→ {self.current_version}). Nothing was overwritten. Their changes are listed below and already "
                f"in the form where you had left the field alone; check the fields marked “you decide”, then "
                f"save again.")


def model_field(name):
    return Incident._meta.get_field(name)


def value_of(obj, model_fld):
    """A field's value on an incident or a historical record, m2m as sorted ids."""
    if model_fld.many_to_many:
        if isinstance(obj, Incident):
            return sorted(getattr(obj, model_fld.name).values_list("pk", flat=True))
        column = f"{get_m2m_reverse_field_name(model_fld)}_id"
        return sorted(getattr(obj, model_fld.name).values_list(column, flat=True))
    return getattr(obj, model_fld.attname)


def comparable(value):
    if isinstance(value, GEOSGeometry):
        return (value.srid, value.wkt)
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, QuerySet):
        return sorted(obj.pk for obj in value)
    if value in ("", None):
        return None
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], Model):
        return sorted(obj.pk for obj in value)
    return value


def display(model_fld, value):
    value = comparable(value)
    if value is None or value == []:
        return "—"
    if model_fld.many_to_many:
        names = model_fld.related_model.objects.filter(pk__in=value).values_list("name", flat=True)
        return ", ".join(sorted(names))
    if model_fld.is_relation:
        related = model_fld.related_model.objects.filter(pk=value).first()
        return str(related) if related else f"#{value} (deleted)"
    if model_fld.choices:
        return str(dict(model_fld.flatchoices).get(value, value))
    if isinstance(value, tuple):  # a point
        point = GEOSGeometry(value[1], srid=value[0])
        return f"{point.y:.5f} N, {point.x:.5f} E"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def latest_record(incident_id, **filters):
    return Incident.history.filter(id=incident_id, **filters).order_by("-history_date", "-history_id").first()


def conflict_since(incident_id, opened_version, yours):
    """The Conflict between the version opened and now; `yours` maps form field names to cleaned values."""
    current = Incident.objects.get(pk=incident_id)
    conflict = Conflict(opened_version, current.version)
    base = latest_record(incident_id, version=opened_version)
    now = latest_record(incident_id)
    if base is None or now is None or base.pk == now.pk:
        # No record of what they saw: every field that differs from theirs is theirs to judge.
        conflict.history_known = False
        names = [name for name in yours if _differs(value_of(current, model_field(name)), yours[name])]
    else:
        names = now.diff_against(base).changed_fields
        saves = Incident.history.filter(id=incident_id, history_date__gt=base.history_date).select_related(
            "history_user").order_by("history_date")
        conflict.saves = [(r.history_user, r.history_date, r.history_change_reason) for r in saves]
    for name in names:
        model_fld = model_field(name)
        theirs = value_of(current, model_fld)
        was = value_of(base, model_fld) if conflict.history_known else None
        if name not in yours:
            outcome, mine = INFO, ""
        else:
            mine = display(model_fld, yours[name])
            if not _differs(theirs, yours[name]):
                outcome = SAME
            elif conflict.history_known and not _differs(was, yours[name]):
                outcome = TAKEN
            else:
                outcome = CLASH
        conflict.changes.append(FieldChange(name, capfirst(model_fld.verbose_name),
                                            display(model_fld, was) if conflict.history_known else "?",
                                            display(model_fld, theirs), mine, outcome))
    return conflict, current


def _differs(a, b):
    return comparable(a) != comparable(b)
