"""Training runs again after imports (issue 14), detached, one at a time, and nobody waits on it."""

import io
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from incidents.coding.suggest import retraining
from incidents.coding.suggest.learned import current_model, newest_file
from incidents.models import Incident
from incidents.tests.coding.test_learned import model_dir  # noqa: F401 (fixture)
from incidents.tests.coding.test_learned_aliases import code_three_actors
from incidents.tests.factories import make_user

SAMPLE = Path(settings.BASE_DIR, "fixtures", "acled_sample.csv")  # 10 rows with notes


@pytest.mark.django_db(transaction=True)
def test_an_import_returns_before_its_training_ends_and_a_new_model_follows(boundaries, model_dir, settings):
    code_three_actors()
    call_command("train_suggestions", stdout=io.StringIO())
    before = newest_file()
    settings.SUGGESTION_TRAIN_AFTER_IMPORT = True
    started = time.monotonic()
    call_command("import_acled", str(SAMPLE), "--approve", verbosity=0, stdout=io.StringIO())
    returned = time.monotonic() - started
    process = retraining.started[-1]
    # The import is back while its training still runs (Python and Django alone take seconds to start).
    assert process.poll() is None and newest_file() == before, f"import returned after {returned:.1f} s"
    assert process.wait(timeout=300) == 0, (model_dir / retraining.LOG_FILE).read_text()
    after = newest_file()
    assert after != before and "Trained model" in (model_dir / retraining.LOG_FILE).read_text()
    # It trained on this test's database: the 24 coded incidents and the 10 imported rows.
    assert Incident.objects.count() == 34 and current_model().examples == 34


@pytest.mark.django_db
def test_one_training_at_a_time_and_a_change_during_it_is_trained_after(model_dir):
    state = {"pending": 1, "trained": 0, "second": "not tried", "raced": False}

    def stale():
        if state["trained"] and not state["pending"] and not state["raced"]:
            # An import commits just after this check, while the lock is still held: its own training
            # finds the lock taken and leaves; the one running must see the change after releasing it.
            state.update(raced=True, pending=1)
            state["second"] = retraining.train_while_stale(lambda: state["pending"] > 0, train)
            return False
        return state["pending"] > 0

    def train():
        state["pending"] = 0
        state["trained"] += 1

    assert retraining.train_while_stale(stale, train) == 2
    assert state["second"] is None and state["pending"] == 0


@pytest.mark.django_db
def test_if_stale_leaves_it_to_the_training_already_running(model_dir):
    code_three_actors()
    with retraining.training_lock() as held:
        assert held
        out = io.StringIO()
        call_command("train_suggestions", "--if-stale", stdout=out)
    assert "Another training is running" in out.getvalue() and newest_file() is None


@pytest.mark.django_db
def test_the_admin_import_starts_training_on_commit_and_its_preview_never(client, model_dir, settings, monkeypatch,
                                                                           django_capture_on_commit_callbacks):
    settings.SUGGESTION_TRAIN_AFTER_IMPORT = True
    commands = []
    monkeypatch.setattr(retraining.subprocess, "Popen", lambda command, **kwargs: commands.append(command))
    client.force_login(make_user(is_superuser=True))
    with django_capture_on_commit_callbacks(execute=True):
        preview = client.post(reverse("admin:incidents_incident_import"), {
            "format": "0", "resource": "0", "import_file": io.BytesIO(SAMPLE.read_bytes())}, format="multipart")
    assert preview.status_code == 200 and commands == []
    form = preview.context["confirm_form"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:incidents_incident_process_import"), {n: form[n].value() for n in form.fields})
    assert Incident.objects.count() == 10
    assert len(commands) == 1 and commands[0][-2:] == ["train_suggestions", "--if-stale"]
