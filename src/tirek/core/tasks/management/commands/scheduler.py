"""``tirek scheduler``: enqueue the periodic jobs when they are due."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import OperationalError, close_old_connections, connection

from tirek.core.tasks import periodic_jobs
from tirek.core.tasks.schedule import schedule_tick

logger = logging.getLogger("tirek.tasks")


class Command(BaseCommand):
    help = (
        "Enqueue the periodic jobs (reminder sweeps, pruning, ...) when due; `tirek worker` runs "
        "them. Safe to run more than one: each period is enqueued once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=5.0, help="Seconds between checks (default 5)."
        )
        parser.add_argument("--once", action="store_true", help="Check once, then exit.")
        parser.add_argument("--list", action="store_true", help="List the periodic jobs, exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for job in periodic_jobs():
                self.stdout.write(f"{job.name}\tevery {job.every}\t{job.task.module_path}")
            return
        if options["once"]:
            for name in schedule_tick():
                self.stdout.write(f"enqueued {name}")
            return
        stop = threading.Event()

        def handle_signal(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, handle_signal)
        signal.signal(signal.SIGINT, handle_signal)
        logger.info("Scheduler started (%d periodic jobs)", len(periodic_jobs()))
        while not stop.is_set():
            close_old_connections()
            try:
                schedule_tick()
            except OperationalError as error:
                logger.warning("Scheduler: database unavailable (%s)", error)
                connection.close()
            stop.wait(options["interval"])
        logger.info("Scheduler stopped")
