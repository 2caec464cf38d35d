from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db.backends.base.operations import BaseDatabaseOperations
from django.test.testcases import LiveServerThread
from django.utils import timezone, translation
from hypothesis import settings

from tirek.core.db import chain_guards_lifted
from tirek.testing.personas import Personas, personas_create

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

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
