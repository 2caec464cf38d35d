"""``tirek worker``: run background tasks until stopped."""

from __future__ import annotations

import signal
import sys
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tirek.core.tasks.worker import Worker, worker_id_new


class Command(BaseCommand):
    help = (
        "Run background tasks (e-mail, reminders, reports) from the database queue. Run one or "
        "more per deployment; SIGTERM finishes the current task, then stops."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue",
            default="*",
            help="Comma-separated queue names to work on; '*' (default) for every queue.",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait when the queue is empty (default 1).",
        )
        parser.add_argument(
            "--with-scheduler",
            action="store_true",
            help="Also enqueue the periodic jobs (then no separate `tirek scheduler` is needed).",
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run every task that is ready now, then exit (cron-style use, tests).",
        )
        parser.add_argument("--worker-id", default="", help="Unique id (default: host-pid-random).")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = Worker(
            queue_names=[name.strip() for name in options["queue"].split(",") if name.strip()],
            interval=options["interval"],
            with_scheduler=options["with_scheduler"],
            worker_id=options["worker_id"] or worker_id_new(),
        )
        if options["batch"]:
            ran = worker.run_pending()
            self.stdout.write(f"{ran} task(s) run.")
            return

        def stop(signum: int, frame: FrameType | None) -> None:
            if worker.stop.is_set():
                sys.exit(1)  # second signal: stop now; the task is queued again by another worker
            worker.stop.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        worker.run()
