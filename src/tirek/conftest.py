from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from itertools import groupby
from typing import TYPE_CHECKING, Any, cast

import pytest
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connections, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.test import TransactionTestCase
from django.test.testcases import LiveServerThread
from django.utils import timezone, translation
from hypothesis import settings

from tirek.core.db import chain_guards_lifted
from tirek.testing.personas import Personas, personas_create

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models import Model

# Property tests check behaviour, not speed (speed lives in bench/): no per-example deadline, which
# on a shared, loaded machine fails a correct test at random.
settings.register_profile("tirek", deadline=None)
settings.load_profile("tirek")


@pytest.fixture(autouse=True)
def _language_and_time_zone_reset() -> Iterator[None]:
    """Each test starts in the default language and time zone (``LANGUAGE_CODE``, ``TIME_ZONE``)
    whatever an earlier test left active: a request through the test client activates the
    language it negotiated on the test's thread and leaves it there."""
    translation.deactivate()
    timezone.deactivate()
    yield
    translation.deactivate()
    timezone.deactivate()


@pytest.fixture
def people(db: None) -> Personas:
    return personas_create()


class SerialisedWSGIServer(ThreadedWSGIServer):
    """The browser tests' live server, one request at a time.

    With SQLite in memory the live server shares the test's one connection with every request
    thread; Chromium sends requests in parallel (a debounced refresh, a click, static files), and
    two of them inside that connection at once corrupt its savepoints. Requests still arrive on
    their own threads; the application handles them one after the other.
    """

    _app_lock = threading.Lock()

    def set_app(self, application: WSGIApplication | None) -> None:
        lock = self._app_lock
        if application is None:
            super().set_app(application)
            return

        def serialised(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
            with lock:
                return application(environ, start_response)

        super().set_app(serialised)


LiveServerThread.server_class = SerialisedWSGIServer  # type: ignore[attr-defined]


_execute_sql_flush = BaseDatabaseOperations.execute_sql_flush


def _flush_lifting_chain_guards(self: BaseDatabaseOperations, sql_list: Iterable[str]) -> None:
    """Transactional tests empty every table between tests with one TRUNCATE on PostgreSQL,
    which the audit tables refuse: the test runner's flush lifts their guards for itself."""
    with chain_guards_lifted(self.connection):
        _execute_sql_flush(self, sql_list)


BaseDatabaseOperations.execute_sql_flush = _flush_lifting_chain_guards  # type: ignore[method-assign]


# What the migrations loaded into each test database (the indicator catalogue, the chain epoch,
# content types and permissions), as Django serialises a database for a serialised rollback.
_migrated_contents: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """pytest-django's test databases, and a copy of what their migrations loaded."""
    with django_db_blocker.unblock():
        for alias in connections:
            _migrated_contents[alias] = connections[alias].creation.serialize_db_to_string()


def _migrated_contents_restore(connection: BaseDatabaseWrapper, contents: str) -> None:
    """Load the rows the migrations loaded into an emptied database, model by model, with
    their own keys, and move the tables' sequences past them."""
    restored: list[type[Model]] = []
    with transaction.atomic(using=connection.alias):
        for model, group in groupby(
            serializers.deserialize("json", contents, using=connection.alias),
            key=lambda obj: type(obj.object),
        ):
            rows = list(group)
            model._base_manager.using(connection.alias).bulk_create([row.object for row in rows])
            for row in rows:
                for field, values in (row.m2m_data or {}).items():
                    getattr(row.object, field).set(values)
            restored.append(model)
        statements = connection.ops.sequence_reset_sql(no_style(), restored)
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)


def _fixture_teardown_keeping_migrated_data(self: TransactionTestCase) -> None:
    """A transactional test (``transaction=True``, ``transactional_db``, the live server) ends
    by emptying every table, the rows data migrations loaded included; the next test, in
    whatever order it runs, would find no indicator catalogue. Empty the tables, then load those
    rows again, so every test starts from the database as migrated."""
    if self.available_apps is not None or not _migrated_contents:
        _fixture_teardown(self)
        return
    for alias in cast(Any, self)._databases_names(include_mirrors=False):
        # post_migrate would make the content types and permissions again under new keys:
        # the copy brings them back with their own.
        call_command(
            "flush", verbosity=0, interactive=False, database=alias, inhibit_post_migrate=True
        )
        _migrated_contents_restore(connections[alias], _migrated_contents[alias])


# Private to Django (django-stubs do not declare it), as ``execute_sql_flush`` above is not.
_fixture_teardown = cast(Any, TransactionTestCase)._fixture_teardown
cast(Any, TransactionTestCase)._fixture_teardown = _fixture_teardown_keeping_migrated_data


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests of one database's guarantees (marked ``postgresql`` or ``sqlite``) run in that
    database's pass of ``make test`` and are deselected, not skipped, in the other: every test
    runs once in CI, and a skip always means something is wrong."""
    from django.conf import settings as django_settings

    engine = django_settings.DATABASES["default"]["ENGINE"]
    other = "sqlite" if "postgresql" in engine else "postgresql"
    deselected = [item for item in items if item.get_closest_marker(other)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker(other)]
