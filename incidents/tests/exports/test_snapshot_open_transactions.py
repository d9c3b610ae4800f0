"""A snapshot taken while another analyst's save is still open agrees with `?as_of=` at its own moment,
after that save commits (found by an attacker session: the save was stamped before the snapshot's moment
and committed after it, so the stored file and the as_of answer differed for ever)."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.http import QueryDict

from incidents.exports import snapshots
from incidents.exports.as_of import as_of_bytes
from incidents.models import Incident
from incidents.review import workflow
from incidents.tests.factories import make_actor, make_incident, make_user


def stored_csv(snapshot):
    return b"".join(snapshots.file_chunks(snapshot.csv_file))


@pytest.mark.django_db(transaction=True)
def test_a_snapshot_during_an_open_edit_matches_as_of_at_its_moment_after_the_commit(roles):
    incident = make_incident(actor1=make_actor("Army"), fatalities=3)
    analyst = make_user(group="Analyst")
    time.sleep(1.5)  # published well before the edit begins (the snapshot's moment keeps a margin)
    saved, release = threading.Event(), threading.Event()

    def slow_edit():  # an analyst's edit in a long transaction (a large import is the natural one)
        try:
            with transaction.atomic():
                current = Incident.objects.get(pk=incident.pk)
                current.fatalities = 99
                workflow.prepare_edit(current, analyst, content_changed=True)
                current.save()  # stamped now, withdrawn from the public, not yet committed
                saved.set()
                release.wait(30)
        finally:
            connection.close()

    editor = threading.Thread(target=slow_edit)
    editor.start()
    assert saved.wait(30)
    snapshot = snapshots.create_snapshot(QueryDict(""))
    release.set()
    editor.join(30)
    assert Incident.objects.get(pk=incident.pk).status == Incident.Status.IN_REVIEW  # the edit committed
    assert snapshot.rows == 1
    assert as_of_bytes({}, snapshot.created_at, "csv") == stored_csv(snapshot)
    assert snapshots.changes_since(snapshot) == {"withdrawn": 1, "changed": 0, "unchanged": 0}
