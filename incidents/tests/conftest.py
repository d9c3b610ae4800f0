import gc
import importlib

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from incidents.models import AdminArea
from incidents.tests.browser import (  # noqa: F401 (fixtures for every browser test)
    browser, browser_pages_closed, unhashed_static)


def load_boundaries_if_missing():
    if not AdminArea.objects.exists():
        call_command("load_boundaries", verbosity=0, stdout=open("/dev/null", "w"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Boundaries are reference data every geographic test needs: load them once.
    with django_db_blocker.unblock():
        load_boundaries_if_missing()


@pytest.fixture
def boundaries(db):
    """Governorates and districts; reloaded for transactional tests that flushed them."""
    load_boundaries_if_missing()


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Test users need a password, not a slow one: PBKDF2 is slow on purpose (docs/PERFORMANCE.md,
    Harness and tests)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def roles(db):
    """The Analyst, Reviewer and Administrator groups with their permissions (as migration 0003
    makes them); recreated because live-server tests flush every table, groups included."""
    from django.apps import apps

    importlib.import_module("incidents.migrations.0003_workflow_groups").define_groups(apps)


@pytest.fixture
def seed(db):
    """The seed article and its coded incidents, as the run command loads them."""
    call_command("seed_demo", "--no-users", "--keep-boundaries", verbosity=0, stdout=open("/dev/null", "w"))


@pytest.fixture(autouse=True)
def public_cache_off(settings):
    """The public cache is keyed on a data version bumped at COMMIT, and most tests never commit
    (each runs in a transaction rolled back at the end): they would read pages cached by the test
    before. tests/public/test_public_cache.py turns it on around committed changes and proves it
    invalidates."""
    settings.PUBLIC_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def abandoned_downloads_closed(request):
    """A test that reads only part of a streamed export leaves its generator paused inside the
    export's transaction. Collected later, it would end that transaction out of order in whatever
    test runs then (and commit that test's rows); collected here, the test's own transaction is still
    open and the export's savepoint ends in order. Not in transactional tests: there a live server's
    thread may own such a generator, and collecting it here would end it on this thread's connection.

    It also fails a test that leaves the connection in another transaction state than it found it
    (a savepoint ended out of order), and a transactional test that leaves this thread's connection
    inside a transaction: the rows of the tests after either would be committed or lost."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        yield
        return
    request.getfixturevalue("_django_db_helper")  # so this teardown runs before the rollback or flush
    before = list(connection.atomic_blocks)
    yield
    if marker.kwargs.get("transaction"):
        assert not connection.in_atomic_block, (
            "the test left this thread's database connection inside a transaction (a streamed response "
            "read in part and never closed?): the tests after it would run inside it")
        return
    if connection.atomic_blocks != before:
        # Only then is something paused inside a block of this connection (a streamed export's
        # generator pushes its atomic block when it starts). A full collection costs 0.1-1 s in a
        # worker that has imported everything, and ran after every database test: 1,000+ of them
        # made up about a third of the suite's time (docs/PERFORMANCE.md, Harness and tests).
        gc.collect()
    assert connection.atomic_blocks == before, (
        "the test left the database connection in another transaction state: a streamed response "
        "was left open or a savepoint ended out of order")


@pytest.fixture(autouse=True)
def no_training_after_imports(settings):
    """An import's detached training would write models into the developer's model folder; the
    tests of retraining (tests/coding/test_retraining.py) turn it on with a folder of their own."""
    settings.SUGGESTION_TRAIN_AFTER_IMPORT = False


@pytest.fixture(autouse=True)
def english_until_asked():
    """Each test starts in the default language. The test client leaves the last request's language
    active in the thread, and reverse() then builds /ar/ URLs in whatever test runs next."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
