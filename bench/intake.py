"""Intake search latency at scale, on SQLite and on PostgreSQL.

    .venv/bin/python -m bench.intake                 # 1,000,000 persons, both databases
    .venv/bin/python -m bench.intake --n 100000 --db sqlite

For each database: a throwaway database (``/tmp/tirek-bench-intake.sqlite3``; PostgreSQL
``tirek_bench`` on ``BENCH_PG_URL``, default ``postgres://postgres@127.0.0.1:5432``, created and
dropped by the script; ``BENCH_SQLITE_PATH`` and ``BENCH_PG_NAME`` name others) is migrated and
filled with N person records from ``bench.generate``, each with a case at one of six agencies.
Rows are made by the models' own fields (so names and dates are encrypted exactly as the
services store them) with the same candidate-index digests, and loaded in bulk (executemany on
SQLite, COPY on PostgreSQL) rather than one ``case_register`` at a time; case timeline events
are not written.

200 records of persons who have other records are held back as probes. Each probe is one
intake search (``matches_find``: index lookup, decryption and scoring of the candidates,
visibility) and one search-box query (``cases_search``: "family given" and the birth date when
it is full) by a case worker of one agency, each in its own transaction; the probes are run
``--runs`` times (default 3). The script prints p50/p95/p99 and max of each run with the load
average before and after it, the median of each figure over the runs, and how often a true
record of the person was among the scored matches.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from bench.intake_load import ProbeRow, rows_load, rows_path, rows_prepare, rows_truth

# Throwaway files and databases; BENCH_SQLITE_PATH / BENCH_PG_NAME keep parallel runs apart.
SQLITE_PATH = Path(
    os.environ.get("BENCH_SQLITE_PATH", "/tmp/tirek-bench-intake.sqlite3")  # noqa: S108
)
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_NAME = os.environ.get("BENCH_PG_NAME", "tirek_bench")
AGENCIES = 6
BATCH = 5000


def _log(text: str) -> None:
    print(text, flush=True)


# --- one database, in a child process (Django is configured once per process) ----------------


def _records(n: int, seed: int, probes: int) -> Iterator[tuple[int, tuple[str, ...], bool]]:
    """(person_id, row, is_probe): the last record of some persons with several is a probe."""
    from bench.generate import records_generate

    rng = random.Random(seed + 99)
    rate = min(1.0, probes * 8 / max(n, 1))
    held = 0
    buffer: list[tuple[int, tuple[str, ...]]] = []

    def flush() -> Iterator[tuple[int, tuple[str, ...], bool]]:
        nonlocal held
        hold = len(buffer) >= 2 and held < probes and rng.random() < rate
        for i, (person_id, row) in enumerate(buffer):
            is_probe = hold and i == len(buffer) - 1
            yield person_id, row, is_probe
        held += hold

    current = None
    for _record_id, person_id, row in records_generate(n, seed):
        if person_id != current and buffer:
            yield from flush()
            buffer = []
        current = person_id
        buffer.append((person_id, row))
    yield from flush()


def _actors() -> list[Any]:
    from tirek.accounts.actor import Actor
    from tirek.accounts.models import Agency, Membership, User
    from tirek.accounts.roles import Role

    actors = []
    for i in range(AGENCIES):
        agency = Agency.objects.create(name=f"Bench agency {i}", type=Agency.Type.NGO)
        user = User.objects.create_user(username=f"bench-{i}", password=None)
        actors.append(Actor(user, Membership.objects.create(user=user, agency=agency,
                                                            role=Role.CASE_WORKER)))  # fmt: skip
    return actors


def _fill(rows: Path, seed: int) -> tuple[list[Any], dict[str, int], list[ProbeRow]]:
    """Agencies and users, then the prepared persons with cases; returns actors, truth, probes."""
    from tirek.matching.models import CandidateKey

    actors = _actors()
    truth, probe_rows = rows_load(rows, actors, seed)
    _log(f"  {CandidateKey.objects.count():,} index keys")
    return actors, truth, probe_rows


def _percentile(ordered: Sequence[float], share: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _summary(latencies: Sequence[float]) -> dict[str, float]:
    ordered = sorted(latencies)
    return {
        "p50": statistics.median(ordered),
        "p95": _percentile(ordered, 0.95),
        "p99": _percentile(ordered, 0.99),
        "max": ordered[-1],
    }


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def _search(
    actors: Sequence[Any],
    truth: dict[str, int],
    probe_rows: list[ProbeRow],
    runs: int,
    profile: str | None = None,
) -> None:
    """Every probe as an intake search and as a search-box query, ``runs`` times over."""
    from django.db import transaction

    from tirek.matching.selectors import (
        Probe,
        candidate_person_ids,
        cases_search,
        matches_find,
        persons_score,
    )

    probes = []
    for person_id, row in probe_rows:
        given, family, patronymic, sex, birth_text, citizenship = row
        full_date = len(birth_text) == 10
        probes.append((
            person_id,
            Probe(given, family, patronymic, birth_text, sex, citizenship),
            f"{family} {given}",
            dt.date.fromisoformat(birth_text) if full_date else None,
        ))  # fmt: skip
    found = top = 0
    for person_id, probe, _name, _born in probes:
        scored = persons_score(probe, candidate_person_ids(probe.keys()))
        hits = [truth.get(s.person.pk.hex) == person_id for s in scored]
        found += any(hits)
        top += bool(hits and hits[0])
    _log(f"  true record found among the matches: {found}/{len(probes)}; "
         f"ranked first: {top}/{len(probes)}")  # fmt: skip
    figures: dict[str, list[dict[str, float]]] = {"intake": [], "search": []}
    for run in range(runs):
        intake, search = [], []
        load_before = _load()
        for i, (_person_id, probe, name, born) in enumerate(probes):
            actor = actors[i % AGENCIES]
            started = time.perf_counter()
            with transaction.atomic():
                matches_find(actor=actor, probe=probe)
            intake.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            with transaction.atomic():
                cases_search(actor=actor, name=name, birth_date=born)
            search.append((time.perf_counter() - started) * 1000)
        for kind, latencies in (("intake", intake), ("search", search)):
            summary = _summary(latencies)
            figures[kind].append(summary)
            _log(f"  run {run + 1} {kind:<6} ({len(latencies)}): "
                 + ", ".join(f"{k} {v:.1f} ms" for k, v in summary.items())
                 + f" | load average {load_before} → {_load()}")  # fmt: skip
    for kind, summaries in figures.items():
        medians = {k: statistics.median(s[k] for s in summaries) for k in summaries[0]}
        _log(f"  {kind} median of {runs} runs: "
             + ", ".join(f"{k} {v:.1f} ms" for k, v in medians.items()))  # fmt: skip
    if profile:
        _profile(actors, probes, profile)


def _profile(actors: Sequence[Any], probes: list[tuple[Any, ...]], prefix: str) -> None:
    """One more pass of each kind under cProfile: statistics files and the top functions."""
    import cProfile
    import pstats

    from django.db import transaction

    from tirek.matching.selectors import cases_search, matches_find

    for kind in ("intake", "search"):
        profiler = cProfile.Profile()
        for i, (_person_id, probe, name, born) in enumerate(probes):
            actor = actors[i % AGENCIES]
            with transaction.atomic():
                profiler.enable()
                if kind == "intake":
                    matches_find(actor=actor, probe=probe)
                else:
                    cases_search(actor=actor, name=name, birth_date=born)
                profiler.disable()
        profiler.dump_stats(f"{prefix}-{kind}.prof")
        _log(f"  profile of {kind}: {prefix}-{kind}.prof")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def _child(db: str, args: argparse.Namespace) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tirek.settings"
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command

    rows = rows_path(args.n, args.seed)
    if args.existing:
        from tirek.accounts.actor import Actor
        from tirek.accounts.models import Membership

        memberships = Membership.objects.filter(user__username__startswith="bench-")
        actors = [Actor(m.user, m) for m in memberships.select_related("user", "agency")]
        actors.sort(key=lambda actor: actor.user.username)
        truth, probe_rows = rows_truth(rows)
        _log(f"{db}: the loaded database, {len(truth):,} persons")
    else:
        _log(f"{db}: migrating")
        call_command("migrate", verbosity=0)
        actors, truth, probe_rows = _fill(rows, args.seed)
    _search(actors, truth, probe_rows, args.runs, args.profile and f"{args.profile}-{db}")


# --- the parent: rows prepared once, then one child per database ---------------------------


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _start(db: str, args: argparse.Namespace) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    if db == "sqlite":
        if not args.existing:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{SQLITE_PATH}"
    else:
        if not args.existing:
            _pg_admin(f"DROP DATABASE IF EXISTS {PG_NAME}")
            _pg_admin(f"CREATE DATABASE {PG_NAME}")
        env["DATABASE_URL"] = f"{PG_SERVER}/{PG_NAME}"
    command = [sys.executable, "-m", "bench.intake", "--child", db, "--n", str(args.n),
               "--seed", str(args.seed), "--probes", str(args.probes),
               "--runs", str(args.runs)]  # fmt: skip
    command += ["--existing"] * args.existing + ["--profile", args.profile] * bool(args.profile)
    return subprocess.Popen(command, env=env)  # noqa: S603


def _drop(db: str) -> None:
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
    else:
        _pg_admin(f"DROP DATABASE IF EXISTS {PG_NAME}")


def _prepare(args: argparse.Namespace) -> Path:
    """The rows file for (n, seed), prepared now unless it exists."""
    rows = rows_path(args.n, args.seed)
    if rows.exists():
        _log(f"prepared rows: {rows} (reused)")
        return rows
    os.environ["DJANGO_SETTINGS_MODULE"] = "tirek.settings"
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    _log(f"preparing {args.n:,} records with {args.workers} worker(s)")
    rows_prepare(rows, _records(args.n, args.seed, args.probes), args.seed, args.workers)
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="person records to load")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--probes", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3, help="passes over the probes")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument(
        "--existing", action="store_true", help="search the databases kept by --keep (no load)"
    )
    parser.add_argument("--parallel", action="store_true", help="both databases at once")
    parser.add_argument("--workers", type=int, default=2, help="processes preparing rows")
    parser.add_argument("--profile", help="write cProfile statistics to PREFIX-<db>-<kind>")
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args)
        return
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    rows = _prepare(args)
    status = 0
    try:
        if args.parallel:
            children = [_start(db, args) for db in databases]
            for child in children:
                status |= child.wait()
        else:
            for db in databases:
                status |= _start(db, args).wait()
    finally:
        if not args.keep:
            for db in databases:
                _drop(db)
            rows.unlink(missing_ok=True)
    sys.exit(status)


if __name__ == "__main__":
    main()
