"""Case-event append throughput: many people recording reads of different cases at once.

    .venv/bin/python -m bench.chain                   # PostgreSQL, 1/4/8 threads
    .venv/bin/python -m bench.chain --threads 1 8 --events 200 --runs 5

A throwaway PostgreSQL database (``tirek_bench_chain`` on ``BENCH_PG_URL``, default
``postgres://postgres@127.0.0.1:5432``) is created, migrated and dropped by the script. Each run
starts T threads released together; each thread appends E ``case_viewed`` events, one
transaction each, through ``case_event_record`` (the services' own path). ``different`` gives
every thread its own case (many people reading different cases); ``same`` makes all threads
append to one case. The script prints events per second per run and the median, then how fast
``tirek audit verify`` recomputes the chains.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence

DB_NAME = "tirek_bench_chain"


def _child(threads: list[int], events: int, runs: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tirek.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    from tirek.cases.models import Case, CaseEvent
    from tirek.cases.services import case_event_record
    from tirek.testing.builders import case_build
    from tirek.testing.personas import personas_create

    people = personas_create()
    actor = people.aigul
    cases = [case_build(actor) for _ in range(max(threads))]
    connection.close()

    def append(case: Case, barrier: threading.Barrier) -> None:
        try:
            barrier.wait()
            for _ in range(events):
                with transaction.atomic():
                    case_event_record(
                        case=case, actor=actor, kind=CaseEvent.Kind.CASE_VIEWED, section="identity"
                    )
        finally:
            connection.close()

    for mode in ("different", "same"):
        for count in threads:
            rates = []
            for _ in range(runs):
                barrier = threading.Barrier(count + 1)
                targets = cases[:count] if mode == "different" else [cases[0]] * count
                workers = [
                    threading.Thread(target=append, args=(case, barrier)) for case in targets
                ]
                for worker in workers:
                    worker.start()
                barrier.wait()
                started = time.perf_counter()
                for worker in workers:
                    worker.join()
                rates.append(count * events / (time.perf_counter() - started))
            print(
                f"{mode:9} threads={count:2} events/s median={statistics.median(rates):7.0f} "
                f"runs={' '.join(f'{r:.0f}' for r in rates)}",
                flush=True,
            )
    from tirek.core.anchor import chains_verify

    total = CaseEvent.objects.count()
    started = time.perf_counter()
    assert chains_verify().ok  # noqa: S101 - the benchmark's own sanity check
    seconds = time.perf_counter() - started
    print(f"verify: {total} events in {seconds:.2f} s ({total / seconds:.0f} events/s)")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--events", type=int, default=100, help="events per thread and run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.threads, args.events, args.runs)
        return
    server = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    admin = [f"{server}/postgres"]
    subprocess.run(["psql", *admin, "-qc", f"DROP DATABASE IF EXISTS {DB_NAME}"], check=True)
    subprocess.run(["psql", *admin, "-qc", f"CREATE DATABASE {DB_NAME}"], check=True)
    env = os.environ | {"DATABASE_URL": f"{server}/{DB_NAME}", "TIREK_TESTING": "1"}
    command = [sys.executable, "-m", "bench.chain", "--child", "--events", str(args.events)]
    command += ["--runs", str(args.runs), "--threads", *map(str, args.threads)]
    try:
        status = subprocess.run(command, env=env, check=False).returncode  # noqa: S603
    finally:
        subprocess.run(["psql", *admin, "-qc", f"DROP DATABASE IF EXISTS {DB_NAME}"], check=True)
    sys.exit(status)


if __name__ == "__main__":
    main()
