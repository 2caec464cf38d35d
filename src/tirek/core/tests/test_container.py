"""The container's entry point and gunicorn settings (the Docker engine itself is not needed).

The entry point is run with stand-ins for `tirek` and `gunicorn` that print what they were
asked to do, so each role is checked to start the right process with `exec`.
"""

from __future__ import annotations

import json
import os
import runpy
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[4]
ENTRYPOINT = ROOT / "docker" / "entrypoint.sh"


@pytest.fixture
def stand_ins(tmp_path: Path) -> dict[str, str]:
    for program in ("tirek", "gunicorn"):
        script = tmp_path / program
        script.write_text(f'#!/bin/sh\necho "{program} $*"\n')
        script.chmod(0o755)
    return {"PATH": f"{tmp_path}:/usr/bin:/bin"}


def run(role: list[str], env: dict[str, str]) -> list[str]:
    done = subprocess.run(  # noqa: S603
        ["/bin/sh", str(ENTRYPOINT), *role], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip().splitlines()


@pytest.mark.parametrize(
    ("role", "started"),
    [
        ([], ["gunicorn --config /etc/tirek/gunicorn.conf.py tirek.wsgi:application"]),
        (["web"], ["gunicorn --config /etc/tirek/gunicorn.conf.py tirek.wsgi:application"]),
        (["worker"], ["tirek worker"]),
        (["worker", "--queue", "reports"], ["tirek worker --queue reports"]),
        (["scheduler"], ["tirek scheduler"]),
        (["migrate"], ["tirek migrate --noinput", "tirek check --deploy --fail-level WARNING"]),
        (["tirek", "backup", "/backups"], ["tirek backup /backups"]),
    ],
)
def test_each_role_starts_its_process(stand_ins, role, started) -> None:
    assert run(role, stand_ins) == started


def test_migrate_prepares_the_runtime_role_when_one_is_configured(stand_ins) -> None:
    env = stand_ins | {"TIREK_RUNTIME_DATABASE_URL_FILE": "/run/secrets/runtime_database_url"}
    assert run(["migrate"], env) == [
        "tirek migrate --noinput",
        "tirek audit grants --apply",
        "tirek check --deploy --fail-level WARNING",
    ]


def test_compose_runs_migrate_as_the_owner_and_the_rest_as_the_runtime_role() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    migrate = services["migrate"]
    assert migrate["environment"]["DATABASE_URL_FILE"] == "/run/secrets/database_url"
    assert migrate["environment"]["TIREK_RUNTIME_DATABASE_URL_FILE"] == (
        "/run/secrets/runtime_database_url"
    )
    assert {"database_url", "runtime_database_url"} <= set(migrate["secrets"])
    for name in ("web", "worker", "scheduler"):
        service = services[name]
        assert service["environment"]["DATABASE_URL_FILE"] == "/run/secrets/runtime_database_url"
        assert "TIREK_RUNTIME_DATABASE_URL_FILE" not in service["environment"]
        # The owner's password is not even mounted where the application runs.
        assert "database_url" not in service["secrets"]
        assert service["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert set(compose["secrets"]) >= {"database_url", "runtime_database_url"}


def test_gunicorn_settings_log_json_without_addresses(monkeypatch) -> None:
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    conf = runpy.run_path(str(ROOT / "docker" / "gunicorn.conf.py"))
    line = conf["access_log_format"] % {
        "m": "GET", "U": "/cases/", "s": "200", "B": "512", "M": "12", "h": "10.0.0.1",
    }  # fmt: skip
    assert json.loads(line) == {
        "logger": "access", "method": "GET", "path": "/cases/", "status": 200, "bytes": "512",
        "duration_ms": 12,
    }  # fmt: skip
    assert (conf["workers"], conf["bind"]) == (3, "0.0.0.0:8000")
    assert "%(h)s" not in conf["access_log_format"] and "%(q)s" not in conf["access_log_format"]


def test_the_image_starts_with_the_entry_point_and_checks_liveness() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["tirek-entrypoint"]' in dockerfile
    assert "/health/live" in dockerfile and "USER tirek" in dockerfile
    assert os.access(ENTRYPOINT, os.X_OK)
