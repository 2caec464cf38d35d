"""Real worker processes: one killed in the middle of a task, another picking the task up.

The database must be visible to other processes: on PostgreSQL the test database itself; on
SQLite the in-memory test database is copied to a file that the workers share.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tirek.core.tasks.tests import tasks_for_tests as t
from tirek.testing.mail import mailbox_messages

pytestmark = pytest.mark.django_db(transaction=True)

DEADLINE = 90  # seconds; a worker starts in ~2 s, the whole test takes ~10 s


def database_url(tmp_path: Path) -> str:
    """A URL at which other processes see this test's (committed) data."""
    if connection.vendor == "sqlite":
        copy = tmp_path / "shared.sqlite3"
        target = sqlite3.connect(copy)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{copy}"
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    return f"postgres://{s['USER']}{password}@{host}/{s['NAME']}"


def task_status(url: str, task_id: str) -> str:
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            row = db.execute(
                f"SELECT status FROM {DBTaskResult._meta.db_table} WHERE id = ?",  # noqa: S608
                [task_id.replace("-", "")],
            ).fetchone()
        return str(row[0])
    return str(DBTaskResult.objects.get(pk=task_id).status)


def wait_for(condition: Callable[[], bool], what: str) -> None:
    end = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    mailbox = tmp_path / "mail"
    mailbox.mkdir()

    def start(url: str, *, pause_after: int = 0) -> subprocess.Popen[bytes]:
        env = os.environ | {
            "DATABASE_URL": url,
            "TIREK_TESTING": "1",
            "EMAIL_BACKEND": "tirek.testing.mail.PausingFileBackend",
            "TIREK_TEST_MAIL_DIR": str(mailbox),
            "TIREK_TEST_MAIL_PAUSE_AFTER": str(pause_after),
            "TIREK_TASK_HEARTBEAT_SECONDS": "1",
            "TIREK_TASK_WORKER_TIMEOUT_SECONDS": "3",
        }
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            [sys.executable, "-m", "tirek", "worker", "--interval", "0.2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
        if process.stderr:
            process.stderr.close()


def recipients(mailbox: Path) -> list[str]:
    found = []
    for text in mailbox_messages(mailbox):
        found += [line.removeprefix("To: ") for line in text.splitlines() if line.startswith("To:")]
    return sorted(found)


def test_a_worker_killed_mid_task_sends_nothing_twice_and_loses_nothing(
    tmp_path: Path, start_worker: Callable[..., subprocess.Popen[bytes]]
) -> None:
    task_id = t.notify_three.enqueue("kill").id
    url = database_url(tmp_path)
    mailbox = tmp_path / "mail"

    first = start_worker(url, pause_after=1)
    wait_for(lambda: (mailbox / "paused").exists(), "the first worker to send one message")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    assert recipients(mailbox) == [t.RECIPIENTS[0]]
    assert task_status(url, task_id) == TaskResultStatus.RUNNING  # left behind by the dead worker

    second = start_worker(url)
    wait_for(lambda: task_status(url, task_id) == "SUCCESSFUL", "the second worker to finish")
    second.send_signal(signal.SIGTERM)
    assert second.wait(timeout=30) == 0
    assert recipients(mailbox) == sorted(t.RECIPIENTS)


def test_a_worker_process_runs_queued_tasks_and_stops_cleanly_on_sigterm(
    tmp_path: Path, start_worker: Callable[..., subprocess.Popen[bytes]]
) -> None:
    task_id = t.notify_three.enqueue("term").id
    url = database_url(tmp_path)
    worker = start_worker(url)
    wait_for(lambda: task_status(url, task_id) == "SUCCESSFUL", "the worker to run the task")
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=30) == 0
    assert recipients(tmp_path / "mail") == sorted(t.RECIPIENTS)
