"""Background tasks: everything that must not run inside a request (e-mail, reminders, reports).

The small API that apps use (see docs/architecture.md, "Background tasks"):

- ``@background_task(retries=5, backoff_seconds=30)`` turns a module-level function into a task
  (Django's task framework, django-tasks backport). Arguments must be JSON: ids as strings.
- ``task_enqueue_on_commit(task, **kwargs)`` queues it so that it runs only if the current
  transaction commits: with the database queue the task row is written in that same transaction.
- ``deliver_once(key=..., send=...)`` sends something at most once per key, so a task run again
  (retry, crashed worker) sends nothing twice.
- ``periodic_register(name=..., task=..., every=timedelta(...))`` from an ``AppConfig.ready()``:
  the scheduler enqueues the task every period (reminder sweeps, audit anchoring, pruning).
- ``TransientError``: raise it (or let ``OSError``/database errors through) to be retried later.

``tirek worker`` runs tasks, ``tirek scheduler`` enqueues the periodic ones; in the embedded
default (SQLite) the web process runs both in a background thread (``embedded.py``).
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, ParamSpec, TypeVar

from django.db import DatabaseError, transaction
from django.utils import timezone
from django_tasks import task as _task
from django_tasks.base import Task

P = ParamSpec("P")
T = TypeVar("T")

logger = logging.getLogger(__name__)


class TransientError(Exception):
    """A failure that may go away by itself (a server not answering): the task is retried."""


# Failures worth another attempt: network and mail servers (smtplib's errors are OSErrors),
# time-outs, the database going away or being locked.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (TransientError, OSError, DatabaseError)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how late a failed task is tried again."""

    retries: int = 5
    backoff_seconds: float = 30.0
    max_backoff_seconds: float = 3600.0
    retry_on: tuple[type[BaseException], ...] = TRANSIENT_ERRORS

    def delay(self, attempt: int) -> datetime.timedelta:
        """The wait before attempt ``attempt + 1``: doubles each time, capped."""
        seconds = min(self.backoff_seconds * 2 ** max(attempt - 1, 0), self.max_backoff_seconds)
        return datetime.timedelta(seconds=seconds)

    def should_retry(self, error: BaseException, attempt: int) -> bool:
        return isinstance(error, self.retry_on) and attempt <= self.retries


NO_RETRY = RetryPolicy(retries=0)
_retry_policies: dict[str, RetryPolicy] = {}


def retry_policy(task_path: str) -> RetryPolicy:
    """The policy of a task by module path; tasks not made by ``background_task`` never retry."""
    return _retry_policies.get(task_path, NO_RETRY)


def background_task(
    *,
    retries: int = 5,
    backoff_seconds: float = 30.0,
    retry_on: tuple[type[BaseException], ...] = TRANSIENT_ERRORS,
    priority: int = 0,
    queue_name: str = "default",
) -> Callable[[Callable[P, T]], Task[P, T]]:
    """Make a module-level function a background task retried on transient failures.

    Attempt n + 1 waits ``backoff_seconds * 2**(n-1)`` (at most an hour); after ``retries``
    retries the task is marked failed and stays visible to operators (`/admin/`, task results).
    """

    def decorate(func: Callable[P, T]) -> Task[P, T]:
        made: Task[P, T] = _task(priority=priority, queue_name=queue_name)(func)
        _retry_policies[made.module_path] = RetryPolicy(
            retries=retries, backoff_seconds=backoff_seconds, retry_on=retry_on
        )
        return made

    return decorate


def task_enqueue_on_commit(task: Task[P, Any], *args: P.args, **kwargs: P.kwargs) -> None:
    """Queue ``task`` so that it runs only once the current transaction has committed.

    With the database queue on the default database, the task row is inserted right now, inside
    the transaction: it commits together with the change it reports (a crash after the commit
    loses nothing) and vanishes with a rollback. Any other backend enqueues on commit.
    """
    backend = task.get_backend()
    if _queues_in_default_database(backend):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(partial(task.enqueue, *args, **kwargs))


def _queues_in_default_database(backend: object) -> bool:
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(backend, DatabaseBackend)


_KEY_PATTERN = re.compile(r"^[A-Za-z0-9_.:\-]{1,200}$")


def deliver_once(*, key: str, send: Callable[[], None]) -> bool:
    """Call ``send`` unless something was already delivered under ``key``; True if it sent.

    The key is recorded right after ``send`` returns, in its own transaction. A task that is run
    again (a retry, a worker killed and its task resumed) therefore skips every message already
    handed over. The one gap no software closes: a process dying in the instant between the mail
    server accepting a message and the key being written; then that one message may go twice
    (mail carries a Message-ID derived from the key, so mail systems can fold the copies).
    Keys are codes and ids only (``referral:<id>:received:<user id>``), never personal data.
    """
    from tirek.core.tasks.models import TaskDelivery

    if not _KEY_PATTERN.match(key):
        raise ValueError("A delivery key is 1-200 letters, digits and . _ : -")
    if TaskDelivery.objects.filter(key=key).exists():
        return False
    send()
    with transaction.atomic():
        TaskDelivery.objects.get_or_create(key=key, defaults={"delivered_at": timezone.now()})
    return True


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: Task[[], Any]
    every: datetime.timedelta


_periodic_jobs: dict[str, PeriodicJob] = {}


def periodic_register(*, name: str, task: Task[[], Any], every: datetime.timedelta) -> None:
    """Run ``task`` (no arguments) every ``every``; call from an ``AppConfig.ready()``.

    ``name`` identifies the job across restarts (``"mechanisms.deadline_reminders"``). The first
    run is due as soon as a scheduler sees the job; a missed period is run once, not caught up.
    """
    if every < datetime.timedelta(seconds=1):
        raise ValueError("A periodic job runs at most once a second.")
    existing = _periodic_jobs.get(name)
    if existing is not None and existing.task.module_path != task.module_path:
        raise ValueError(f"Periodic job {name!r} is already registered for another task.")
    _periodic_jobs[name] = PeriodicJob(name=name, task=task, every=every)


def periodic_jobs() -> list[PeriodicJob]:
    return sorted(_periodic_jobs.values(), key=lambda job: job.name)
