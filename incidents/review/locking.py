"""Optimistic locking for incidents: a save lands only on the version it was based on.

Every save of an incident moves its version on (Incident.save), and every edit
form carries the version the analyst opened. `save_checked` claims
the row with `UPDATE … SET version = version + 1 WHERE id = %s AND version = %s`
and saves in the same transaction, so a second analyst who opened the same
version gets `EditConflict` instead of silently overwriting the first.
"""

from django.db import connection, transaction
from django.db.models import F

from incidents.models import Incident


class EditConflict(Exception):
    """Someone else saved the incident after `expected_version` was read."""

    def __init__(self, incident_id, expected_version, current_version):
        self.incident_id = incident_id
        self.expected_version = expected_version
        self.current_version = current_version
        super().__init__(f"Incident #{incident_id} is at version {current_version}, not {expected_version}: "
                         "someone else saved it meanwhile.")


def current_version(incident_id, lock=False):
    """The incident's stored version (None if it is gone).

    With `lock` inside a transaction the row stays locked until the transaction ends, so a check
    against this version and the save that follows cannot be overtaken by another analyst's save.
    """
    queryset = Incident.objects.filter(pk=incident_id)
    if lock and connection.in_atomic_block:
        queryset = queryset.select_for_update()
    return queryset.values_list("version", flat=True).first()


def save_checked(incident, expected_version):
    """Save `incident` as version expected_version + 1, or raise EditConflict and save nothing."""
    if incident.pk is None or incident._state.adding:
        incident.save()
        return incident
    with transaction.atomic():
        # The UPDATE both checks and claims: the row stays locked until commit.
        claimed = Incident.objects.filter(pk=incident.pk, version=expected_version).update(
            version=F("version") + 1)
        if not claimed:
            raise EditConflict(incident.pk, expected_version, current_version(incident.pk))
        incident.version = expected_version  # save() moves it on to the version just claimed
        incident.save()
    return incident
