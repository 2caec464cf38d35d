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
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

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


def _birth(text: str) -> tuple[dt.date | None, str]:
    parts = text.split("-") if text else []
    if len(parts) == 3:
        return dt.date.fromisoformat(text), "day"
    if len(parts) == 2:
        return dt.date(int(parts[0]), int(parts[1]), 1), "month"
    if len(parts) == 1:
        return dt.date(int(parts[0]), 1, 1), "year"
    return None, "day"


def _reference(index: int) -> str:
    alphabet = "ACDEFGHJKLMNPQRTUVWXY3479"
    chars = []
    for _ in range(8):
        index, digit = divmod(index, len(alphabet))
        chars.append(alphabet[digit])
    return "TK-" + "".join(chars)


class Loader:
    """Bulk rows for a table: model instances prepared by their fields (as Django's own inserts
    would be, so encrypted fields are encrypted the same way), or ready tuples."""

    def __init__(self, model: Any, columns: Sequence[str] | None = None) -> None:
        from django.db import connections

        self.model = model
        self.connection = connections["default"]
        self.fields = [
            f
            for f in model._meta.concrete_fields
            if not f.get_internal_type().endswith("AutoField")
        ]
        self.auto_now = [
            f
            for f in self.fields
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        self.columns = list(columns) if columns else [f.column for f in self.fields]
        self.rows: list[tuple[Any, ...]] = []
        self.now = dt.datetime.now(dt.UTC)

    def add(self, obj: Any) -> None:
        for field in self.auto_now:
            setattr(obj, field.attname, self.now)
        connection = self.connection
        self.rows.append(
            tuple(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in self.fields)
        )

    def add_row(self, row: tuple[Any, ...]) -> None:
        self.rows.append(row)

    def flush(self) -> None:
        if not self.rows:
            return
        table = self.model._meta.db_table
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                raw = cursor.cursor
                with raw.copy(f"COPY {table} ({', '.join(self.columns)}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(self.columns)}) VALUES ({marks})",  # noqa: S608
                    self.rows,
                )
        self.rows = []


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


def _fill(n: int, seed: int, probes: int) -> tuple[list[Any], dict[str, int], list[tuple]]:
    """Agencies and users, then N persons with cases; returns actors, truth, probes."""
    from django.db import connection, transaction

    from tirek.accounts.actor import Actor
    from tirek.accounts.models import Agency, Membership, User
    from tirek.accounts.roles import Role
    from tirek.cases.models import Case, Person
    from tirek.matching.models import CandidateKey
    from tirek.matching.services import person_key_digests

    actors = []
    for i in range(AGENCIES):
        agency = Agency.objects.create(name=f"Bench agency {i}", type=Agency.Type.NGO)
        user = User.objects.create_user(username=f"bench-{i}", password=None)
        actors.append(Actor(user, Membership.objects.create(user=user, agency=agency,
                                                            role=Role.CASE_WORKER)))  # fmt: skip
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-1000000")
    persons, cases = Loader(Person), Loader(Case)
    keys = Loader(CandidateKey, ["person_id", "digest"])
    is_sqlite = connection.vendor == "sqlite"
    truth: dict[str, int] = {}
    probe_rows: list[tuple] = []
    started = time.perf_counter()
    loaded = 0
    rng = random.Random(seed)
    with transaction.atomic():
        for person_id, row, is_probe in _records(n, seed, probes):
            if is_probe:
                probe_rows.append((person_id, row))
                continue
            given, family, patronymic, sex, birth_text, citizenship = row
            born, precision = _birth(birth_text)
            person = Person(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                first_name=given, family_name=family, patronymic=patronymic,
                sex=sex if sex in ("F", "M") else "U", birth_date=born,
                birth_date_precision=precision, citizenship=[citizenship] if citizenship else [],
            )  # fmt: skip
            persons.add(person)
            actor = actors[loaded % AGENCIES]
            case = Case(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                person_id=person.pk,
                reference=_reference(loaded),
                owner_agency_id=actor.membership.agency_id,
                case_worker_id=actor.user.pk,
                opened_on=dt.date(2025, 1, 1),
            )
            cases.add(case)
            person_key = person.pk.hex if is_sqlite else person.pk  # as the UUID field stores it
            for digest in person_key_digests(person):
                keys.add_row((person_key, digest))
            truth[person.pk.hex] = person_id
            loaded += 1
            if len(persons.rows) >= BATCH:
                for loader in (persons, cases, keys):
                    loader.flush()
                if loaded % 100_000 == 0:
                    _log(f"  {loaded:>9,} persons loaded, {time.perf_counter() - started:.0f} s")
        for loader in (persons, cases, keys):
            loader.flush()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    _log(f"  {loaded:,} persons loaded in {time.perf_counter() - started:.0f} s; "
         f"{CandidateKey.objects.count():,} index keys")  # fmt: skip
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
    actors: Sequence[Any], truth: dict[str, int], probe_rows: list[tuple], runs: int
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


def _child(db: str, n: int, seed: int, probes: int, runs: int) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tirek.settings"
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command

    _log(f"{db}: migrating")
    call_command("migrate", verbosity=0)
    actors, truth, probe_rows = _fill(n, seed, probes)
    _search(actors, truth, probe_rows, runs)


# --- the parent: one child per database ------------------------------------------------------


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _run(db: str, n: int, seed: int, probes: int, runs: int, keep: bool) -> int:
    env = dict(os.environ)
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{SQLITE_PATH}"
    else:
        _pg_admin(f"DROP DATABASE IF EXISTS {PG_NAME}")
        _pg_admin(f"CREATE DATABASE {PG_NAME}")
        env["DATABASE_URL"] = f"{PG_SERVER}/{PG_NAME}"
    try:
        args = [sys.executable, "-m", "bench.intake", "--child", db, "--n", str(n),
                "--seed", str(seed), "--probes", str(probes), "--runs", str(runs)]  # fmt: skip
        return subprocess.run(args, env=env, check=False).returncode  # noqa: S603
    finally:
        if not keep:
            if db == "sqlite":
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
            else:
                _pg_admin(f"DROP DATABASE IF EXISTS {PG_NAME}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="person records to load")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--probes", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3, help="passes over the probes")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.n, args.seed, args.probes, args.runs)
        return
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    status = 0
    for db in databases:
        status |= _run(db, args.n, args.seed, args.probes, args.runs, args.keep)
    sys.exit(status)


if __name__ == "__main__":
    main()
