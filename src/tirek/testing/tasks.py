"""Run queued background tasks inside a test, as the worker would."""

from __future__ import annotations


def tasks_run_pending() -> int:
    """Run every task that is ready now (in this process, on the test's connection); how many."""
    from tirek.core.tasks.worker import Worker

    return Worker(queue_names=["*"], worker_id="test-worker").run_pending()
