"""The tables of the task framework (the queue itself is django-tasks-db's ``DBTaskResult``)."""

from __future__ import annotations

from django.db import models


class TaskWorker(models.Model):
    """A running worker process (or the embedded worker thread), seen through its heartbeat.

    A task left RUNNING by a worker whose heartbeat stopped is put back in the queue.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.IntegerField()
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField(db_index=True)
    current_task_id = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid} ({self.worker_id})"


class TaskDelivery(models.Model):
    """One row per message already handed over (an e-mail to one recipient, ...).

    The key is unique: a task run again after a crash or a retry skips what it already sent.
    Keys hold only codes and ids, never personal data.
    """

    key = models.CharField(max_length=200, unique=True)
    delivered_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.key


class ScheduledJob(models.Model):
    """When a periodic job registered with ``periodic_register`` is next due.

    Advanced with a compare-and-swap in the same transaction that enqueues the job, so several
    schedulers enqueue each run once.
    """

    name = models.CharField(max_length=100, unique=True)
    next_run_at = models.DateTimeField()
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
