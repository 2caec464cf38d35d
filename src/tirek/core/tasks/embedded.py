"""The embedded worker: the web process runs tasks and the schedule in a background thread.

On by default with SQLite (``make run``, a small office on one machine): no second process to
start or supervise. A deployment on PostgreSQL runs ``tirek worker`` and ``tirek scheduler`` as
their own processes instead (``TIREK_TASKS_EMBEDDED_WORKER=0``, the default there).
"""

from __future__ import annotations

import atexit
import logging
import threading

from django.conf import settings

logger = logging.getLogger("tirek.tasks")

_lock = threading.Lock()
_started: threading.Thread | None = None


def embedded_worker_start() -> threading.Thread | None:
    """Start the worker thread once per process if the setting asks for it; return it."""
    global _started
    if not settings.TIREK_TASKS_EMBEDDED_WORKER:
        return None
    with _lock:
        if _started is not None and _started.is_alive():
            return _started
        from tirek.core.tasks.worker import Worker

        worker = Worker(with_scheduler=True, queue_names=["*"])
        thread = threading.Thread(target=worker.run, name="tirek-embedded-worker", daemon=True)
        thread.start()
        atexit.register(worker.stop.set)
        _started = thread
        return thread
