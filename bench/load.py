"""Load test: simulated case workers of several agencies against a real server, on loopback only.

    .venv/bin/python -m bench.load --db sqlite --cases 2000 --users 10 --seconds 60
    .venv/bin/python -m bench.load --db postgres --cases 100000 --users 50 --seconds 120
    .venv/bin/python -m bench.load --db postgres --cases 1000000 --registered 2000 \
        --keep /tmp/world-1m.json            # fill once, keep the database ...
    .venv/bin/python -m bench.load --db postgres --reuse /tmp/world-1m.json   # ... run again

Builds a fresh database (SQLite file in a temporary folder, or the PostgreSQL database
``--pg-database``, default ``tirek_bench``, on 127.0.0.1), registers ``--cases`` synthetic cases
through the services (so every case has its timeline and encrypted fields) or, on PostgreSQL with
``--registered N``, registers N and copies them in SQL up to ``--cases`` (bench/load_fill.py),
starts gunicorn on 127.0.0.1, and lets ``--users`` threads (workers of 6 agencies, each with an
API token) loop for ``--seconds``, pausing ``--think`` seconds on average between requests
(0: back to back, the server's saturation):

    list cases 30 %, search a name 20 %, open a case 25 %, screening assessment 15 %,
    register a case 5 %, record consent and refer 5 %

plus, in the same run, requests to two bare baselines: ``/health/live`` (answered before any
middleware) and the sign-in page (the whole middleware stack and a template, no database).
Prints p50/p95/p99 in milliseconds and errors per endpoint, and each endpoint's p95 as a ratio to
the sign-in page's. Every request goes to 127.0.0.1; the run stops by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path
from typing import Any

AGENCIES = 6
GIVEN = ["Aigerim", "Dinara", "Madina", "Aruzhan", "Zhanna", "Saule", "Gulnara", "Asel"]
FAMILY = ["Synthetova", "Fictiva", "Examplova", "Testova", "Modelova", "Samplova"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def env_for(db: str, folder: Path, pg_database: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DEBUG": "0",
            "TIREK_TESTING": "1",  # test keys, the fast password hasher, no MFA, plain HTTP
            "DATABASE_CONN_MAX_AGE": "60",  # persistent connections, as in production
            "ALLOWED_HOSTS": "127.0.0.1",
            "TIREK_API_RATE_USER": "1000000/min",
            "TIREK_API_RATE_ANON": "1000000/min",
            "TIREK_TASKS_EMBEDDED_WORKER": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "WARNING",
            "TIREK_DATA_DIR": str(folder),
        }
    )
    if db == "postgres":
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{pg_database}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    return env


def pg(command: str, database: str) -> None:
    extra = ["--if-exists"] if command == "dropdb" else []
    subprocess.run([command, "-h", "127.0.0.1", "-U", "postgres", *extra, database], check=True)


def prepare(db: str, cases: int, registered: int, env: dict[str, str], pg_database: str) -> Any:
    """Migrate a fresh database and fill it (in a child process with the bench settings)."""
    if db == "postgres":
        pg("dropdb", pg_database)
        pg("createdb", pg_database)
    tirek = [sys.executable, "-m", "tirek"]
    subprocess.run([*tirek, "migrate", "-v0"], env=env, check=True)
    done = subprocess.run(
        [sys.executable, "-m", "bench.load_fill", str(cases), str(AGENCIES), str(registered)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def request(
    method: str, url: str, token: str | None = None, body: Any = None
) -> tuple[int, float, Any]:
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json", "Accept-Language": "en"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=30) as response:  # noqa: S310
            payload = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        payload, status = error.read(), error.code
    except OSError:
        return 599, (time.perf_counter() - started) * 1000, None
    elapsed = (time.perf_counter() - started) * 1000
    try:
        parsed = json.loads(payload) if payload[:1] in (b"{", b"[") else None
    except ValueError:
        parsed = None
    return status, elapsed, parsed


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)

    def add(self, name: str, status: int, ms: float, ok: tuple[int, ...] = (200, 201)) -> None:
        with self.lock:
            self.times[name].append(ms)
            if status not in ok:
                self.errors[name] += 1


def worker_loop(
    base: str,
    user: dict[str, Any],
    world: dict[str, Any],
    until: float,
    rec: Recorder,
    think: float,
) -> None:
    rng = random.Random(user["token"] + str(threading.get_ident()))  # noqa: S311
    api = f"{base}/api/v1"
    token = user["token"]
    own_cases: list[str] = list(user["cases"])
    while time.monotonic() < until:
        if think:
            time.sleep(min(rng.expovariate(1 / think), max(0.0, until - time.monotonic())))
            if time.monotonic() >= until:
                break
        roll = rng.random()
        if roll < 0.30:
            status, ms, _ = request("GET", f"{api}/cases?limit=20", token)
            rec.add("GET /cases (list)", status, ms)
        elif roll < 0.50:
            name = f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}"
            status, ms, _ = request("POST", f"{api}/persons/search", token, {"name": name})
            rec.add("POST /persons/search", status, ms)
        elif roll < 0.75:
            case_id = rng.choice(own_cases)
            status, ms, _ = request("GET", f"{api}/cases/{case_id}", token)
            rec.add("GET /cases/{id} (case)", status, ms)
        elif roll < 0.90:
            codes = rng.sample(world["indicators"], 4)
            status, ms, _ = request("POST", f"{api}/screening/assess", token, {"indicators": codes})
            rec.add("POST /screening/assess", status, ms)
        elif roll < 0.95:
            body = {
                "person": {
                    "prs_FirstName": rng.choice(GIVEN),
                    "prs_SecondName": rng.choice(FAMILY),
                    "sex": "F",
                    "prs_Birthdate": f"19{rng.randint(70, 99)}-0{rng.randint(1, 9)}-12",
                },
                "victim": {"vic_TypeOfExploitation": ["ForcedLabour"]},
            }
            status, ms, parsed = request("POST", f"{api}/cases", token, body)
            rec.add("POST /cases (register)", status, ms)
            if status == 201 and parsed:
                own_cases.append(parsed["id"])
        else:
            case_id = rng.choice(own_cases)
            target = rng.choice([a for a in world["agencies"] if a["id"] != user["agency"]])
            status, ms, parsed = request(
                "POST",
                f"{api}/cases/{case_id}/consents",
                token,
                {
                    "method": "written",
                    "sections": ["identity"],
                    "recipient_agency_id": target["id"],
                },
            )
            rec.add("POST /cases/{id}/consents", status, ms)
            if status == 201 and parsed:
                status, ms, _ = request(
                    "POST",
                    f"{api}/cases/{case_id}/referrals",
                    token,
                    {
                        "cas_ReferredOrganisation": target["id"],
                        "service_type_id": target["service"],
                        "consent_id": parsed["id"],
                        "sections": ["identity"],
                    },
                )
                # 409: this case already waits for that agency's answer (a valid refusal).
                rec.add("POST /cases/{id}/referrals", status, ms, ok=(201, 409))


def baseline_loop(base: str, until: float, rec: Recorder) -> None:
    while time.monotonic() < until:
        status, ms, _ = request("GET", f"{base}/health/live")
        rec.add("baseline /health/live", status, ms)
        status, ms, _ = request("GET", f"{base}/accounts/login/")
        rec.add("baseline sign-in page", status, ms)
        time.sleep(0.05)


def profiler_start(pid: int, path: str, seconds: float) -> subprocess.Popen[bytes]:
    """py-spy (``pip install py-spy``) samples every server process 100 times a second, waiting
    threads included (``--idle``: time spent waiting for the database counts)."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    return subprocess.Popen(
        [
            spy,
            "record",
            "--pid",
            str(pid),
            "--subprocesses",
            "--idle",
            "--rate",
            "100",
            "--format",
            "raw",
            "--duration",
            str(int(seconds)),
            "--output",
            path,
            "--nonblocking",
        ],  # fmt: skip
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


# Where a request's time goes: a sample counts for the innermost of these marks on its stack
# (the database time of the token check counts as the token check).
PROFILE_PARTS = [
    ("middleware (session, sign-in, MFA, locale, headers)", ("BaseHandler.get_response",)),
    ("view and JSON", ("BaseHandler._get_response",)),
    ("token check", ("api_token_authenticate",)),
    ("read records (timeline)", ("case_reads_record",)),
    ("connecting, connection check", ("ensure_connection", "close_if_unusable_or_obsolete")),
    ("URL configuration import", ("URLResolver.urlconf_module",)),
]
PROFILE_VIEWS = {
    "GET /cases (list)": "cases_list",
    "GET /cases/{id} (case)": "case_get",
    "POST /persons/search": "persons_search",
    "POST /screening/assess": "assess",
    "baseline sign-in page": "LoginView",
    "every request": "BaseHandler.get_response",
}


def profile_part(frames: list[str]) -> str:
    """The part of the request a sample belongs to: its innermost mark."""
    deepest, part = -1, "outside a request"
    for label, marks in PROFILE_PARTS:
        for depth, frame in enumerate(frames):
            if depth > deepest and frame in marks:
                deepest, part = depth, label
    return part


def profile_summary(path: Path) -> str:
    """Per endpoint: where its server time went (share of samples), and the database's share."""
    stacks = []
    for line in path.read_text().splitlines():
        stack, _sep, count = line.rpartition(" ")
        if stack:
            frames = [frame.split(" (")[0] for frame in stack.split(";")]
            in_database = "psycopg" in stack and "Connection.wait" in stack
            stacks.append((frames, in_database, int(count)))
    lines = ["", "server time per endpoint (py-spy samples, waiting included):"]
    for endpoint, view in PROFILE_VIEWS.items():
        mine = [
            (frames, db, n)
            for frames, db, n in stacks
            if any(f == view or f.startswith(view + ".") for f in frames)
        ]
        total = sum(n for _frames, _db, n in mine)
        if not total:
            continue
        parts: dict[str, int] = defaultdict(int)
        for frames, _db, n in mine:
            parts[profile_part(frames)] += n
        waiting = sum(n for _frames, db, n in mine if db)
        shares = ", ".join(
            f"{label} {100 * n / total:.0f} %"
            for label, n in sorted(parts.items(), key=lambda item: -item[1])
        )
        lines.append(
            f"  {endpoint}: {total / 100:.1f} s sampled; {shares}; "
            f"waiting for the database {100 * waiting / total:.0f} %"
        )
    return "\n".join(lines)


SERVER_NAMES = [
    ("GET", r"/api/v1/cases", "GET /cases (list)"),
    ("POST", r"/api/v1/cases", "POST /cases (register)"),
    ("GET", r"/api/v1/cases/[0-9a-f-]+", "GET /cases/{id} (case)"),
    ("POST", r"/api/v1/cases/[0-9a-f-]+/consents", "POST /cases/{id}/consents"),
    ("POST", r"/api/v1/cases/[0-9a-f-]+/referrals", "POST /cases/{id}/referrals"),
    ("POST", r"/api/v1/persons/search", "POST /persons/search"),
    ("POST", r"/api/v1/screening/assess", "POST /screening/assess"),
    ("GET", r"/health/live", "baseline /health/live"),
    ("GET", r"/accounts/login/", "baseline sign-in page"),
]


def server_times(access_log: Path) -> Recorder:
    """The server's own time per request (gunicorn's access log, docker/gunicorn.conf.py): from
    the request read to the response written, without the time the load generator itself waits
    for a CPU on a busy machine."""
    rec = Recorder()
    for line in access_log.read_text().splitlines():
        entry = json.loads(line)
        for method, pattern, name in SERVER_NAMES:
            if entry["method"] == method and re.fullmatch(pattern, entry["path"]):
                ok = (201, 409) if name.endswith("referrals") else (200, 201)
                rec.add(name, int(entry["status"]), float(entry["duration_ms"]), ok=ok)
    return rec


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(rec: Recorder, seconds: float) -> str:
    bare = percentile(rec.times["baseline sign-in page"], 0.95)
    lines = [
        f"{'endpoint':32} {'n':>6} {'req/s':>6} {'p50':>7} {'p95':>7} {'p99':>7} {'err':>4} "
        f"{'p95/bare':>8}"
    ]
    for name in sorted(rec.times):
        values = rec.times[name]
        p95 = percentile(values, 0.95)
        lines.append(
            f"{name:32} {len(values):6d} {len(values) / seconds:6.1f} "
            f"{statistics.median(values):7.1f} {p95:7.1f} {percentile(values, 0.99):7.1f} "
            f"{rec.errors[name]:4d} {p95 / bare:8.1f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--web-processes", type=int, default=2)
    parser.add_argument("--web-threads", type=int, default=4)
    parser.add_argument("--think", type=float, default=0.0, help="mean pause, seconds")
    parser.add_argument("--registered", type=int, help="PostgreSQL: register N, copy the rest")
    parser.add_argument("--pg-database", default="tirek_bench")
    parser.add_argument("--keep", metavar="WORLD", help="keep the database, write its world here")
    parser.add_argument("--reuse", metavar="WORLD", help="run against a kept database")
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="sample the server's processes with py-spy during the run (collapsed stacks)",
    )
    args = parser.parse_args()
    if args.seconds > 1800:
        parser.error("--seconds is at most 1800: the run must stop by itself")

    if args.reuse:
        saved = json.loads(Path(args.reuse).read_text())
        world, args.db, args.cases, args.pg_database = (
            saved["world"],
            saved["db"],
            saved["cases"],
            saved["pg_database"],
        )
        folder = Path(saved["folder"])
    else:
        folder = Path(tempfile.mkdtemp(prefix="tirek-load-"))
    env = env_for(args.db, folder, args.pg_database)
    if not args.reuse:
        started = time.perf_counter()
        registered = args.registered or args.cases
        world = prepare(args.db, args.cases, registered, env, args.pg_database)
        print(
            f"prepared {args.db}: {args.cases} cases ({registered} registered) "
            f"in {time.perf_counter() - started:.0f} s"
        )
    if args.keep:
        Path(args.keep).write_text(
            json.dumps(
                {
                    "world": world,
                    "db": args.db,
                    "cases": args.cases,
                    "pg_database": args.pg_database,
                    "folder": str(folder),
                }
            )
        )

    port = free_port()
    access_log = folder / "access.log"
    access_log.unlink(missing_ok=True)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "tirek.wsgi:application",
            "--config",  # the container's settings, as in production
            str(Path(__file__).resolve().parents[1] / "docker" / "gunicorn.conf.py"),
            "--access-logfile",
            str(access_log),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.web_processes),
            "--threads",
            str(args.web_threads),
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],  # fmt: skip
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while request("GET", f"{base}/health/ready")[0] != 200:
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.5)
        rec = Recorder()
        until = time.monotonic() + args.seconds
        spy = profiler_start(server.pid, args.profile, args.seconds) if args.profile else None
        users = [world["users"][i % len(world["users"])] for i in range(args.users)]
        threads = [
            threading.Thread(target=worker_loop, args=(base, user, world, until, rec, args.think))
            for user in users
        ]
        threads.append(threading.Thread(target=baseline_loop, args=(base, until, rec)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.seconds + 120)
        print(
            f"{args.db}, {args.cases} cases, {args.users} simulated workers of {AGENCIES} "
            f"agencies, think {args.think:g} s, {args.seconds:.0f} s, "
            f"gunicorn {args.web_processes}x{args.web_threads}"
        )
        print("as the simulated workers saw it (ms):")
        print(report(rec, args.seconds))
        print("the server's own time (gunicorn's access log, ms):")
        print(report(server_times(access_log), args.seconds))
        if spy is not None:
            spy.wait(timeout=120)
            print(profile_summary(Path(args.profile)))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        if not (args.keep or args.reuse):
            if args.db == "postgres":
                pg("dropdb", args.pg_database)
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
