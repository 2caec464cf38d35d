"""Statistics dashboard speed at 100,000 and 1,000,000 people, on SQLite and PostgreSQL.

    .venv/bin/python -m bench.statistics                         # both databases, 100k and 1M
    .venv/bin/python -m bench.statistics --db sqlite --sizes 100000 --runs 5

For each database and size a fresh database is made (SQLite: a file in a temporary folder;
PostgreSQL: ``tirek_stats_bench`` on ``BENCH_PG_URL``, default
``postgres://postgres@127.0.0.1:5432``), migrated, and filled *directly* with synthetic
de-identified facts (the generator below: one national fact per person and one for the agency
owning their case, spread over 50 agencies in 20 territories and 40 quarters, with every
dimension drawn at random) with raw multi-row inserts, and the cells they sum to (the same
``cell_contributions`` as the refresh, summed while drawing: ``cells_rebuild``'s SQL takes
minutes per 100,000 people on SQLite). The step facts are summed into their cells by
``step_cells_rebuild``, as ``tirek statistics rebuild`` does.

Printed, each the median of ``--runs`` runs (after one warm-up):

- ``release``: building every table of one release (``release_build``: the cell query, the
  suppression, noise and rounding) for a national release, a national release of one year,
  a national release of one territory, and one agency's own release;
- ``page``: the whole dashboard page through Django (middleware, audit event, template);
- ``refresh``: registering one real case and bringing the facts up to date (``facts_refresh``),
  what the background task does after each change;
- mechanism performance (``--steps``, default 200,000): the step fact table is filled directly
  with synthetic checklist steps (12 steps of one mechanism in force in each of the 20
  territories, every outcome and duration drawn at random) and summed into the step cells, then
  ``performance_build`` (the step cell query, protection, shares and percentiles), the whole
  page and the API answer are timed.
  ``--skip-people`` times mechanism performance only.

Nothing leaves the machine; the PostgreSQL database is dropped at the end.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from typing import Any

DB_NAME = os.environ.get("BENCH_PG_DB", "tirek_stats_bench")  # one per person benchmarking
TERRITORIES = [f"bench-region-{n:02}" for n in range(20)]
AGENCIES = 50
QUARTERS = [year * 10 + q for year in range(2017, 2027) for q in range(1, 5)]
SERVICES = [f"bench-service-{n:02}" for n in range(12)]
AGENCY_TYPES = ["NGO", "LawEnforcement", "HealthServiceOrganisation", "LocalGovernmentOrganisation"]
REFERRAL_STATES = ["waiting", "overdue", "accepted", "declined", "withdrawn"]


def _median(action: Callable[[], Any], runs: int) -> tuple[float, list[float]]:
    action()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times


def _facts_fill(size: int, agencies: list[str], seed: int = 13) -> int:
    """Write ``size`` people's facts straight into the fact table (2 rows a person), with their
    waiting times to assistance (70 % assisted, 1–3 services, days drawn exponentially, mean 20),
    and one screening (2 rows) and one referral (3 rows: national, sender, provider) a person;
    and the cells they sum to (``facts.cell_contributions``, summed while the facts are drawn:
    the SQL ``cells_rebuild`` takes minutes per 100,000 people on SQLite). Returns the cells."""
    import json

    from django.db import connection, transaction

    from tirek.cases.choices import (
        AgeGroup,
        MethodOfControl,
        NrmStage,
        Sex,
        TypeOfExploitation,
    )
    from tirek.protection.choices import ProceedingRole, ReflectionOutcome
    from tirek.statistics.facts import cell_contributions

    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    countries = ["KAZ", "UZB", "KGZ", "TJK", "RUS", "CHN", "TKM", "AFG", "IND", "TUR"]
    forms = [*TypeOfExploitation.values, "several", "unknown"]
    means = list(MethodOfControl.values)
    sql = (
        "INSERT INTO statistics_fact (unit, scope, key, quarter, territory, series, dims, "
        "noise_key) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
    )
    batch: list[tuple[Any, ...]] = []
    sums: dict[tuple[Any, ...], list[int]] = {}

    def add(row: tuple[Any, ...], dims: dict[str, Any]) -> None:
        unit, scope, _key, quarter, territory, series, _text, noise_key = row
        for cell in cell_contributions(unit, scope, quarter, territory, series, dims):
            entry = sums.setdefault(cell, [0, 0])
            entry[0] += 1
            entry[1] += noise_key

    with transaction.atomic(), connection.cursor() as cursor:
        for person in range(size):
            agency = rng.randrange(AGENCIES)
            territory = TERRITORIES[agency % len(TERRITORIES)]
            quarter = rng.choice(QUARTERS)
            series = "identified" if rng.random() < 0.4 else "presumed"
            dims = {
                "sex": rng.choice(Sex.values),
                "age_group": rng.choice(AgeGroup.values),
                "citizenship": rng.choice(countries),
                "exploitation": rng.choice(forms),
                "means_of_control": sorted(set(rng.sample(means, rng.randint(1, 3)))),
                "nrm_stage": rng.choice(NrmStage.values),
                "reflection": rng.choice(["none", "granted", *ReflectionOutcome.values]),
                "return": rng.choice(["none", "planned", "returned"]),
                "proceedings": rng.choice(["none", *ProceedingRole.values]),
            }
            waits = {
                service: min(730, int(rng.expovariate(1 / 20)))
                for service in rng.sample(SERVICES, rng.randint(1, 3))
            }
            assisted = rng.random() < 0.7
            dims["assistance_days"] = str(min(waits.values())) if assisted else "none"
            dims["service_days"] = sorted(f"{c}:{d}" for c, d in waits.items()) if assisted else []
            text = json.dumps(dims)
            key = f"{person:032x}"
            for scope in ("", agencies[agency]):
                noise_key = rng.randrange(2**31)
                batch.append(("person", scope, key, quarter, territory, series, text, noise_key))
                add(batch[-1], dims)
            outcome = "presumed_victim" if rng.random() < 0.6 else "not_enough"
            screened = json.dumps({"agency_type": rng.choice(AGENCY_TYPES)})
            for scope in ("", agencies[agency]):
                noise_key = rng.randrange(2**31)
                batch.append(
                    ("screening", scope, key, quarter, territory, outcome, screened, noise_key)
                )
                add(batch[-1], json.loads(screened))
            provider = rng.randrange(AGENCIES)
            state = rng.choice(REFERRAL_STATES)
            referred = json.dumps(
                {"service_type": rng.choice(SERVICES), "provider": agencies[provider]}
            )
            for scope in ("", agencies[agency], agencies[provider]):
                noise_key = rng.randrange(2**31)
                batch.append(
                    ("referral", scope, key, quarter, territory, state, referred, noise_key)
                )
                add(batch[-1], json.loads(referred))
            if len(batch) >= 10_000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
        cells = (
            "INSERT INTO statistics_cell (unit, scope, quarter, territory, dimension, value, "
            "series, n, key_sum) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
        )
        rows = [(*cell, n, keys) for cell, (n, keys) in sums.items()]
        for start in range(0, len(rows), 10_000):
            cursor.executemany(cells, rows[start : start + 10_000])
    return len(rows)


STAGES = ["identification", "first_assistance", "reflection", "long_term", "return"]


def _steps_fill(size: int, agencies: list[str], seed: int = 17) -> list[Any]:
    """Mechanisms in force in the bench territories and ``size`` step facts written directly."""
    from django.db import connection, transaction
    from django.utils import timezone

    from tirek.accounts.models import Agency
    from tirek.directory.models import Place
    from tirek.mechanisms.models import Mechanism, Step
    from tirek.statistics.models import StepFact

    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    steps: list[Step] = []
    mechanisms = []
    for number, code in enumerate(TERRITORIES):
        place = Place.objects.create(
            kind=Place.Kind.REGION, code=code, name_en=f"Region {number}", name_kk=f"Облыс {number}"
        )
        mechanism = Mechanism.objects.create(
            territory=place, number=1, title=f"Bench {number}", status=Mechanism.Status.IN_FORCE
        )
        mechanisms.append(mechanism)
        for position in range(12):
            steps.append(
                Step(
                    mechanism=mechanism,
                    code=f"step-{position:02}",
                    stage=STAGES[position % len(STAGES)],
                    position=position,
                    action=Step.Action.ACT,
                    agency_type=Agency.Type.NGO,
                    name_en=f"Bench step {position}",
                    deadline_value=24 * (1 + position % 3),
                )
            )
    Step.objects.bulk_create(steps)
    now = timezone.now()
    columns = [
        "key",
        "mechanism_id",
        "step_id",
        "step_code",
        "stage",
        "agency_type",
        "territory",
        "owner_agency_id",
        "acting_agency_id",
        "quarter",
        "status",
        "started_at",
        "due_at",
        "late",
        "wait_minutes",
        "allowed_minutes",
        "noise_key",
    ]
    table = StepFact._meta.db_table
    values = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({values})"  # noqa: S608
    uuid = connection.vendor == "postgresql"  # SQLite keeps a UUID as 32 hex digits
    adapt = connection.ops.adapt_datetimefield_value
    batch: list[tuple[Any, ...]] = []
    with transaction.atomic(), connection.cursor() as cursor:
        for n in range(size):
            step = steps[rng.randrange(len(steps))]
            territory = step.mechanism.territory.code
            agency = agencies[rng.randrange(len(agencies))]
            started = now - datetime.timedelta(minutes=rng.randrange(60 * 24 * 365 * 3))
            allowed = (step.deadline_value or 24) * 60
            due = started + datetime.timedelta(minutes=allowed)
            status = rng.choices(["done", "not_done", "open", "cancelled"], [80, 6, 12, 2])[0]
            wait = int(rng.expovariate(1 / allowed)) if status in ("done", "not_done") else None
            quarter = due.year * 10 + (due.month - 1) // 3 + 1
            mechanism_id, step_id = (
                (str(step.mechanism_id), str(step.pk))
                if uuid
                else (step.mechanism_id.hex, step.pk.hex)
            )
            batch.append(
                (
                    f"{n:032x}",
                    mechanism_id,
                    step_id,
                    step.code,
                    step.stage,
                    step.agency_type,
                    territory,
                    agency,
                    agency,
                    quarter,
                    status,
                    adapt(started),
                    adapt(due),
                    None if wait is None else wait > allowed,
                    wait,
                    allowed,
                    rng.randrange(2**31),
                )
            )
            if len(batch) >= 10_000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
    return mechanisms


def _steps_measure(size: int, runs: int, actors: dict[str, Any], agencies: list[str]) -> None:
    from django.db import connection

    from tirek.mechanisms.models import Mechanism
    from tirek.statistics.models import StepCell, StepFact
    from tirek.statistics.selectors_performance import PerformanceFilters, performance_build
    from tirek.statistics.step_facts import step_cells_rebuild
    from tirek.testing.api import ApiClient
    from tirek.web.tests.support import SecureClient

    started = time.perf_counter()
    if StepFact.objects.exists():  # a kept database (--keep): the facts are there
        mechanisms = list(Mechanism.objects.filter(title__startswith="Bench ").order_by("title"))
        mechanisms.sort(key=lambda mechanism: int(mechanism.title.split()[1]))
    else:
        mechanisms = _steps_fill(size, agencies)
    filled = time.perf_counter() - started
    started = time.perf_counter()
    if os.environ.get("BENCH_REBUILD") or not StepCell.objects.exists():
        cells = step_cells_rebuild()
    else:
        cells = StepCell.objects.count()
    summed = time.perf_counter() - started
    vendor = connection.vendor
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE statistics_stepfact")
            cursor.execute("ANALYZE statistics_stepcell")
    print(
        f"{vendor} steps={size}: step facts written in {filled:.1f} s, "
        f"{cells} step cells summed in {summed:.1f} s",
        flush=True,
    )
    coordinator, supervisor = actors["coordinator"], actors["supervisor"]
    cases = [
        ("national, all", coordinator, "national", PerformanceFilters()),
        (
            "national, one year",
            coordinator,
            "national",
            PerformanceFilters(
                date_from=datetime.date(2025, 1, 1), date_to=datetime.date(2025, 12, 31)
            ),
        ),
        (
            "national, one territory",
            coordinator,
            "national",
            PerformanceFilters(territory=TERRITORIES[3]),
        ),
        (
            "national, one version",
            coordinator,
            "national",
            PerformanceFilters(mechanism=str(mechanisms[5].pk)),
        ),
        ("own agency, all", supervisor, "agency", PerformanceFilters()),
    ]
    for label, actor, scope, filters in cases:
        cpu: list[float] = []

        def build(
            actor: Any = actor, scope: str = scope, filters: Any = filters, cpu: list[float] = cpu
        ) -> None:
            started = time.process_time()
            performance_build(actor=actor, scope=scope, filters=filters)
            cpu.append(time.process_time() - started)

        median, times = _median(build, runs)
        # CPU of this process (on SQLite the database's work too): the figure that does not
        # depend on what else the machine runs meanwhile.
        print(
            f"{vendor} steps={size} performance {label:24} median={median * 1000:7.1f} ms  "
            f"cpu={statistics.median(cpu[1:]) * 1000:6.1f} ms  "
            f"runs={' '.join(f'{t * 1000:.0f}' for t in times)}",
            flush=True,
        )
    client = SecureClient()
    client.force_login(coordinator.user)
    api = ApiClient(coordinator)
    calls = {
        "page   national, all": lambda: client.get("/statistics/performance/"),
        "api    national, all": lambda: api.get("/statistics/performance"),
    }
    for label, call in calls.items():

        def checked(call: Callable[[], Any] = call) -> None:
            response = call()
            assert response.status_code == 200  # noqa: S101 - the benchmark's own check

        median, times = _median(checked, runs)
        print(
            f"{vendor} steps={size} {label:35} median={median * 1000:7.1f} ms  "
            f"runs={' '.join(f'{t * 1000:.0f}' for t in times)}",
            flush=True,
        )


def _reference(runs: int) -> None:
    """Two fixed loads timed in the same run, so that a figure can be read as a ratio on a
    shared machine: a pure-Python loop (one core's speed just now) and a one-row query."""
    from django.db import connection

    def loop() -> None:
        total = 0
        for n in range(2_000_000):
            total += n & 7

    def query() -> None:
        with connection.cursor() as cursor:
            for _ in range(100):
                cursor.execute("SELECT id FROM accounts_user WHERE username = %s", ["aigul"])
                cursor.fetchone()

    for label, action in (("python loop 2M", loop), ("100 one-row queries", query)):
        median, times = _median(action, runs)
        print(
            f"{connection.vendor} reference {label:30} median={median * 1000:7.1f} ms  "
            f"runs={' '.join(f'{t * 1000:.0f}' for t in times)}  load={_load()}",
            flush=True,
        )


def _load() -> str:
    try:
        with open("/proc/loadavg") as loadavg:
            return loadavg.read().split()[0]
    except OSError:  # not Linux
        return "?"


def _child(size: int, runs: int, steps: int = 0, skip_people: bool = False) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tirek.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.conf import settings
    from django.db import connection

    from tirek.accounts.actor import Actor
    from tirek.accounts.models import Agency, Membership, User
    from tirek.accounts.roles import Role
    from tirek.statistics.facts import facts_refresh
    from tirek.statistics.models import Fact
    from tirek.statistics.selectors import Filters, release_build
    from tirek.testing.builders import case_build
    from tirek.testing.personas import personas_create
    from tirek.web.tests.support import SecureClient

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    kept = User.objects.filter(username="bench-coordinator").exists()  # a kept database (--keep)

    def member(name: str, agency: Agency, role: str) -> Actor:
        user = User.objects.create_user(username=name, password=None)
        membership = Membership.objects.create(user=user, agency=agency, role=role)
        return Actor(user=user, membership=membership)

    def kept_member(name: str) -> Actor:
        membership = Membership.objects.select_related("user").get(user__username=name)
        return Actor(user=membership.user, membership=membership)

    if kept:
        agencies = list(Agency.objects.filter(name__startswith="Bench agency "))
        agencies.sort(key=lambda agency: int(agency.name.rsplit(" ", 1)[1]))
        coordinator = kept_member("bench-coordinator")
        supervisor = kept_member("bench-supervisor")
    else:
        personas_create()
        agencies = [
            Agency.objects.create(name=f"Bench agency {n}", type=Agency.Type.NGO) for n in range(50)
        ]
        commission = Agency.objects.create(name="Bench commission", type=Agency.Type.COMMISSION)
        coordinator = member("bench-coordinator", commission, Role.COORDINATOR)
        supervisor = member("bench-supervisor", agencies[0], Role.SUPERVISOR)
    _reference(runs)
    if skip_people:
        actors = {"coordinator": coordinator, "supervisor": supervisor}
        _steps_measure(steps, runs, actors, [str(agency.pk) for agency in agencies])
        return
    started = time.perf_counter()
    cells = 0 if Fact.objects.exists() else _facts_fill(size, [str(a.pk) for a in agencies])
    filled = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE statistics_fact")
            cursor.execute("ANALYZE statistics_cell")
    vendor = connection.vendor
    print(
        f"{vendor} people={size}: facts and {cells} cells written in {filled:.1f} s",
        flush=True,
    )
    cases = [
        ("national, all", coordinator, "national", Filters()),
        (
            "national, one year",
            coordinator,
            "national",
            Filters(date_from=datetime.date(2025, 1, 1), date_to=datetime.date(2025, 12, 31)),
        ),
        ("national, one territory", coordinator, "national", Filters(territory=TERRITORIES[3])),
        ("own agency, all", supervisor, "agency", Filters()),
    ]
    for label, actor, scope, filters in cases:
        median, times = _median(
            lambda actor=actor, scope=scope, filters=filters: release_build(
                actor=actor, scope=scope, filters=filters
            ),
            runs,
        )
        print(
            f"{vendor} people={size} release {label:24} median={median * 1000:7.1f} ms  "
            f"runs={' '.join(f'{t * 1000:.0f}' for t in times)}",
            flush=True,
        )
    client = SecureClient()
    client.force_login(coordinator.user)

    def page() -> None:
        response = client.get("/statistics/")
        assert response.status_code == 200  # noqa: S101 - the benchmark's own sanity check

    median, times = _median(page, runs)
    print(
        f"{vendor} people={size} page    national, all            median={median * 1000:7.1f} ms"
        f"  runs={' '.join(f'{t * 1000:.0f}' for t in times)}",
        flush=True,
    )
    facts_refresh()
    aigul = kept_member("aigul")

    def one_case() -> None:
        case_build(aigul)
        facts_refresh()

    median, times = _median(one_case, runs)
    print(
        f"{vendor} people={size} refresh after one new case        median={median * 1000:7.1f} ms"
        f"  runs={' '.join(f'{t * 1000:.0f}' for t in times)}",
        flush=True,
    )
    if steps:
        actors = {"coordinator": coordinator, "supervisor": supervisor}
        _steps_measure(steps, runs, actors, [str(agency.pk) for agency in agencies])


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--steps", type=int, default=200_000, help="step facts (0: none)")
    parser.add_argument("--skip-people", action="store_true", help="mechanism performance only")
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="keep the databases (SQLite files in DIR, PostgreSQL's not dropped) and reuse "
        "what they hold on the next run: fill once, measure again after a change",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.sizes[0], args.runs, args.steps, args.skip_people)
        return
    server = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    admin = [f"{server}/postgres"]
    status = 0
    sizes = args.sizes[:1] if args.skip_people else args.sizes  # people are not filled then
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        for size in sizes:
            kind = f"steps{args.steps}" if args.skip_people else f"people{size}_steps{args.steps}"
            name = f"{DB_NAME}_{kind}" if args.keep else DB_NAME
            folder = args.keep or tempfile.mkdtemp(prefix="tirek-bench-stats-")
            if db == "sqlite":
                url = f"sqlite:///{folder}/bench-{kind}.sqlite3"
            else:
                url = f"{server}/{name}"
                exists = subprocess.run(  # noqa: S603
                    ["psql", *admin, "-tAc", "SELECT datname FROM pg_database"],  # noqa: S607
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout.split()
                if not (args.keep and name in exists):
                    drop = f"DROP DATABASE IF EXISTS {name}"
                    subprocess.run(["psql", *admin, "-qc", drop], check=True)  # noqa: S607
                    create = f"CREATE DATABASE {name}"
                    subprocess.run(["psql", *admin, "-qc", create], check=True)  # noqa: S607
            env = os.environ | {"DATABASE_URL": url, "TIREK_TESTING": "1"}
            command = [sys.executable, "-m", "bench.statistics", "--child"]
            command += ["--sizes", str(size), "--runs", str(args.runs), "--steps", str(args.steps)]
            command += ["--skip-people"] if args.skip_people else []
            try:
                status |= subprocess.run(command, env=env, check=False).returncode  # noqa: S603
            finally:
                if not args.keep:
                    shutil.rmtree(folder, ignore_errors=True)
                if db == "postgres" and not args.keep:
                    drop = f"DROP DATABASE IF EXISTS {name}"
                    subprocess.run(["psql", *admin, "-qc", drop], check=True)  # noqa: S607
    sys.exit(status)


if __name__ == "__main__":
    main()
