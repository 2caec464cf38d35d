"""The worker: claims queued tasks one at a time, runs them, retries, and recovers lost ones.

Built on django-tasks-db's queue table (``DBTaskResult``) and its claim (``SELECT ... FOR UPDATE
SKIP LOCKED`` on PostgreSQL, an exclusive transaction on SQLite), so any number of workers share
one queue. Tirek adds what a deployment needs and the library leaves out:

- retries with exponential backoff for transient failures (``RetryPolicy``);
- a heartbeat per worker (``TaskWorker``), so that a task left RUNNING by a worker that died
  (killed, out of memory, machine lost) goes back to the queue instead of hanging forever;
- logs with the task's id, name and exception class only: never arguments or messages.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import OperationalError, close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskContext, TaskResultStatus
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from tirek.core.tasks import retry_policy
from tirek.core.tasks.models import TaskWorker
from tirek.core.tasks.schedule import schedule_tick

logger = logging.getLogger("tirek.tasks")

QueuedTask = DBTaskResult[..., Any]  # one row of the queue


def worker_id_new() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"


def heartbeat_seconds() -> float:
    return float(settings.TIREK_TASK_HEARTBEAT_SECONDS)


def worker_timeout() -> timedelta:
    """A worker silent for this long is taken as dead and its running task is queued again."""
    return timedelta(seconds=float(settings.TIREK_TASK_WORKER_TIMEOUT_SECONDS))


def _safe_traceback(error: BaseException) -> str:
    """Where it failed, without the exception's message (which may quote an address or value)."""
    frames = "".join(traceback.format_tb(error.__traceback__))
    return f"{frames}{type(error).__module__}.{type(error).__qualname__}\n"


def _class_path(error: BaseException) -> str:
    return f"{type(error).__module__}.{type(error).__qualname__}"


def heartbeat_beat(*, worker_id: str, started_at: datetime, current_task_id: str = "") -> None:
    TaskWorker.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "last_seen_at": timezone.now(),
            "current_task_id": current_task_id,
        },
    )


def tasks_reap_abandoned(*, now: datetime | None = None) -> int:
    """Queue again the tasks RUNNING under a worker that died or dropped them; return how many.

    Abandoned: the worker that claimed it last is silent for ``worker_timeout()``, or is alive
    but no longer running it (it could not record the outcome while the database was away).

    Each such run counts as a failed attempt: a task that keeps killing its worker ends FAILED
    after its retries instead of looping. Compare-and-swap on (status, worker ids), so two
    reapers never both act on one task.
    """
    now = now or timezone.now()
    stale_before = now - worker_timeout()
    alive = dict(
        TaskWorker.objects.filter(last_seen_at__gte=stale_before).values_list(
            "worker_id", "current_task_id"
        )
    )
    reaped = 0
    for result in DBTaskResult.objects.running().only(
        "id", "worker_ids", "started_at", "task_path"
    ):
        if result.started_at is not None and result.started_at >= stale_before:
            continue  # claimed moments ago; its worker's heartbeat may not have said so yet
        last_worker = result.worker_ids[-1] if result.worker_ids else None
        if last_worker in alive and alive[last_worker] == str(result.pk):
            continue
        attempt = len(result.worker_ids)
        policy = retry_policy(result.task_path)
        lost = DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, worker_ids=result.worker_ids
        )
        if attempt <= max(policy.retries, 1):
            updated = lost.update(status=TaskResultStatus.READY, run_after=now)
            outcome = "queued again"
        else:
            updated = lost.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path="tirek.core.tasks.worker.WorkerLost",
                traceback="The worker running this task stopped answering.\n",
            )
            outcome = "failed"
        if updated:
            reaped += 1
            logger.warning(
                "Task id=%s path=%s lost with its worker (attempt %d): %s",
                result.pk,
                result.task_path,
                attempt,
                outcome,
            )
    TaskWorker.objects.filter(last_seen_at__lt=now - timedelta(days=1)).delete()
    return reaped


@dataclass
class Worker:
    """One worker loop. ``run()`` until ``stop`` is set; ``run_pending()`` for a single pass."""

    queue_names: list[str] = field(default_factory=lambda: ["default"])
    interval: float = 1.0
    with_scheduler: bool = False
    backend_name: str = DEFAULT_TASK_BACKEND_ALIAS
    worker_id: str = field(default_factory=worker_id_new)
    stop: threading.Event = field(default_factory=threading.Event)
    tasks_run: int = 0
    current_task_id: str = ""
    _started_at: datetime = field(default_factory=timezone.now)

    # -- one task ---------------------------------------------------------------------------

    def _ready(self) -> DBTaskResultQuerySet:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if "*" not in self.queue_names:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        return tasks

    def claim(self) -> QueuedTask | None:
        """Take the next ready task, or None. A cheap read first: no write lock when idle."""
        tasks = self._ready()
        if not tasks.exists():
            return None
        try:
            with exclusive_transaction(tasks.db):
                result: QueuedTask | None = tasks.get_locked()
                if result is not None:
                    result.claim(self.worker_id)
                return result
        except OperationalError as error:
            if is_locked_database_exception(error):
                return None
            raise

    def run_task(self, result: QueuedTask) -> None:
        attempt = len(result.worker_ids)
        self.current_task_id = str(result.pk)
        try:
            try:
                task = result.task
                task_result = result.task_result
                logger.info("Task id=%s path=%s attempt %d", result.pk, result.task_path, attempt)
                if task.takes_context:
                    context = TaskContext(task_result=task_result)
                    value = task.call(context, *task_result.args, **task_result.kwargs)
                else:
                    value = task.call(*task_result.args, **task_result.kwargs)
            except Exception as error:
                self._failed(result, error, attempt)
            else:
                result.set_successful(value)
                logger.info("Task id=%s path=%s succeeded", result.pk, result.task_path)
        finally:
            self.tasks_run += 1
            self.current_task_id = ""

    def _failed(self, result: QueuedTask, error: Exception, attempt: int) -> None:
        policy = retry_policy(result.task_path)
        now = timezone.now()
        fields = {
            "exception_class_path": _class_path(error),
            "traceback": _safe_traceback(error),
        }
        if policy.should_retry(error, attempt):
            run_after = now + policy.delay(attempt)
            DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY, run_after=run_after, **fields
            )
            logger.warning(
                "Task id=%s path=%s failed (%s), attempt %d of %d; retry after %s",
                result.pk,
                result.task_path,
                fields["exception_class_path"],
                attempt,
                policy.retries + 1,
                run_after.isoformat(timespec="seconds"),
            )
            return
        DBTaskResult.objects.filter(pk=result.pk).update(
            status=TaskResultStatus.FAILED, finished_at=now, return_value=None, **fields
        )
        logger.error(
            "Task id=%s path=%s failed (%s) after %d attempt(s)",
            result.pk,
            result.task_path,
            fields["exception_class_path"],
            attempt,
        )

    # -- loops ------------------------------------------------------------------------------

    def run_pending(self) -> int:
        """Run every task ready now, then return how many ran (tests, ``--batch``)."""
        before = self.tasks_run
        while not self.stop.is_set():
            result = self.claim()
            if result is None:
                break
            self.run_task(result)
        return self.tasks_run - before

    def run(self) -> None:
        """Loop until ``stop`` is set: heartbeat, recover lost tasks, schedule, run tasks."""
        logger.info(
            "Worker %s started (queues %s%s)",
            self.worker_id,
            ",".join(self.queue_names),
            ", with the scheduler" if self.with_scheduler else "",
        )
        beat = threading.Thread(target=self._heartbeat_loop, name="tirek-heartbeat", daemon=True)
        beat.start()
        try:
            while not self.stop.is_set():
                close_old_connections()
                try:
                    self._iteration()
                except OperationalError as error:
                    # The database went away or is locked: wait and try again, never die.
                    logger.warning("Worker %s: database unavailable (%s)", self.worker_id, error)
                    connection.close()
                    self.stop.wait(self.interval * 5)
        finally:
            self.stop.set()
            beat.join(timeout=heartbeat_seconds() + 5)
            close_old_connections()
            logger.info("Worker %s stopped after %d task(s)", self.worker_id, self.tasks_run)

    def _iteration(self) -> None:
        if self.with_scheduler:
            schedule_tick()
        result = self.claim()
        if result is not None:
            self.run_task(result)
            return
        self.stop.wait(self.interval)

    def _heartbeat_loop(self) -> None:
        """Runs in its own thread (own database connection) so a long task keeps its lease."""
        try:
            while True:
                try:
                    heartbeat_beat(
                        worker_id=self.worker_id,
                        started_at=self._started_at,
                        current_task_id=self.current_task_id,
                    )
                    tasks_reap_abandoned()
                except OperationalError as error:
                    logger.warning("Worker %s: heartbeat failed (%s)", self.worker_id, error)
                    connection.close()
                if self.stop.wait(heartbeat_seconds()):
                    break
            TaskWorker.objects.filter(worker_id=self.worker_id).delete()
        except Exception:
            logger.exception("Worker %s: heartbeat thread stopped", self.worker_id)
        finally:
            connection.close()
