"""Parallel transactions in tests: one database connection per thread, released together.

``at_once(f, g, ...)`` runs the callables in threads that start at the same moment and returns
each one's result or exception. On PostgreSQL the threads share the test database. SQLite's
in-memory test database cannot show real concurrency (shared-cache mode locks whole tables), so
inside ``database_for_threads()`` new threads work on a copy of the test's data in a file in
WAL mode, as in production (the test's own thread stays on the in-memory database: read results
back from a thread, e.g. ``at_once(check)``).
"""

from __future__ import annotations

import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import connection, connections


@contextmanager
def database_for_threads() -> Iterator[None]:
    if connection.vendor != "sqlite":
        yield
        return
    settings = connections.settings["default"]
    saved = settings["NAME"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "threads.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
        target.close()
        settings["NAME"] = str(path)
        try:
            yield
        finally:
            settings["NAME"] = saved


def at_once(*actions: Callable[[], Any], timeout: float = 60) -> list[Any]:
    """Run the actions in parallel threads released together; each result or exception."""
    barrier = threading.Barrier(len(actions))
    results: list[Any] = [None] * len(actions)

    def run(index: int, action: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=timeout)
            results[index] = action()
        except Exception as error:  # noqa: BLE001 (the result under test)
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    if any(thread.is_alive() for thread in threads):
        raise AssertionError("deadlock: a thread never finished")
    return results


class RaceWindow:
    """A check that, once passed, holds its transaction open until a second caller passed it
    too (or ``wait`` seconds): without a lock both pass; with one the second waits at the
    lock and ``passed`` names one thread only."""

    def __init__(self, check: Callable[..., Any], *, callers: int = 2, wait: float = 3.0):
        self.check = check
        self.callers = callers
        self.wait = wait
        self.passed: list[str] = []
        self.all_passed = threading.Event()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        result = self.check(*args, **kwargs)
        self.passed.append(threading.current_thread().name)
        if len(self.passed) == self.callers:
            self.all_passed.set()
        self.all_passed.wait(timeout=self.wait)  # the race window, inside the transaction
        return result
