"""A setting that cannot be used stops start-up with one line naming it, never a traceback."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tirek import config
from tirek.config import ConfigurationError
from tirek.core.logging import JsonFormatter, PlainFormatter


@pytest.mark.parametrize(
    ("name", "value", "read"),
    [
        (
            "TIREK_API_RATE_USER",
            "100/minute",
            lambda: config.env_rate("TIREK_API_RATE_USER", "1/s"),
        ),
        ("EMAIL_PORT", "twenty-five", lambda: config.env_int("EMAIL_PORT", 25)),
        ("EMAIL_PORT", "70000", lambda: config.env_int("EMAIL_PORT", 25, maximum=65535)),
        ("DEBUG", "treu", lambda: config.env_bool("DEBUG")),
        ("LANGUAGE_CODE", "de", lambda: config.env_choice("LANGUAGE_CODE", "ru", ["kk", "ru"])),
        ("TIME_ZONE", "Almaty", lambda: config.env_time_zone("TIME_ZONE", "UTC")),
        ("LOG_LEVEL", "LOUD", lambda: config.env_log_level("LOG_LEVEL", "INFO")),
        ("SITE_URL", "tirek.example.org", lambda: config.env_url("SITE_URL", "http://x")),
        ("BAND", "0.9,0.2", lambda: config.env_fraction_pair("BAND", "0.2,0.9")),
        ("ORIGINS", "tirek.example.org", lambda: config.env_origins("ORIGINS")),
    ],
)
def test_a_bad_value_is_refused_naming_the_variable(monkeypatch, name, value, read) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError) as error:
        read()
    assert str(error.value).startswith(f"{name}={value!r} is not valid")


def test_a_bad_key_is_refused_without_showing_it(monkeypatch) -> None:
    monkeypatch.setenv("TIREK_ENCRYPTION_KEYS", "not-a-fernet-key-secret-value")
    with pytest.raises(ConfigurationError) as error:
        config.env_fernet_keys("TIREK_ENCRYPTION_KEYS")
    assert "key number 1" in str(error.value)
    assert "secret-value" not in str(error.value)


def test_a_bad_audit_anchor_key_is_refused_without_showing_it(monkeypatch) -> None:
    monkeypatch.setenv("TIREK_AUDIT_ANCHOR_KEY", "short-secret-value")
    with pytest.raises(config.ConfigurationError, match="tirek audit keygen") as error:
        config.env_ed25519_key("TIREK_AUDIT_ANCHOR_KEY")
    assert "short-secret-value" not in str(error.value)
    monkeypatch.setenv("TIREK_AUDIT_ANCHOR_KEY", "A" * 43 + "=")
    assert config.env_ed25519_key("TIREK_AUDIT_ANCHOR_KEY") == "A" * 43 + "="


def test_good_values_are_read(monkeypatch) -> None:
    monkeypatch.setenv("RATE", "600/min")
    monkeypatch.setenv("FLAG", "Off")
    assert (config.env_rate("RATE", "1/s"), config.env_bool("FLAG", True)) == ("600/min", False)


def test_tirek_stops_with_one_line_and_status_3() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env |= {"DEBUG": "1", "TIREK_API_RATE_USER": "100/minute", "DATABASE_URL": "sqlite://"}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tirek", "check"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 3
    assert done.stderr.strip().splitlines() == [
        "Tirek cannot start: TIREK_API_RATE_USER='100/minute' is not valid: a rate is "
        "<count>/<s|min|hour|day>, e.g. 600/min (see docs/configuration.md)."
    ]


def test_the_wsgi_entry_point_stops_the_same_way() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env |= {"DEBUG": "1", "EMAIL_PORT": "smtp", "DATABASE_URL": "sqlite://"}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import tirek.wsgi"], env=env, capture_output=True, text=True
    )
    assert (done.returncode, "Traceback" in done.stderr) == (3, False)
    assert "EMAIL_PORT='smtp' is not valid" in done.stderr


def test_sqlite_keeps_its_connections_open_between_requests() -> None:
    """SQLite connections persist as PostgreSQL's do (``DATABASE_CONN_MAX_AGE``), with WAL and
    the busy timeout on every connection."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env |= {"DEBUG": "1", "DATABASE_URL": "sqlite://", "DATABASE_CONN_MAX_AGE": "60"}
    env |= {"DATABASE_SQLITE_TIMEOUT": "7"}
    read = (
        "from django.conf import settings; import json; db = settings.DATABASES['default']; "
        "print(json.dumps([db['CONN_MAX_AGE'], db['OPTIONS']['timeout'], "
        "'journal_mode=WAL' in db['OPTIONS']['init_command']]))"
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tirek", "shell", "-c", read],
        env=env,
        capture_output=True,
        text=True,
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [60, 7, True], done.stderr


def record_with_error(message: str) -> logging.LogRecord:
    try:
        raise ValueError(message)
    except ValueError:
        return logging.LogRecord(
            "tirek.test", logging.ERROR, __file__, 1, "case %s failed", ("42",), sys.exc_info()
        )


def test_json_logs_are_one_object_per_line_without_the_exception_message() -> None:
    name = "Synthe" + "tova"
    line = JsonFormatter().format(record_with_error(name))
    entry = json.loads(line)
    assert (entry["level"], entry["logger"], entry["message"]) == (
        "ERROR",
        "tirek.test",
        "case 42 failed",
    )
    assert "builtins.ValueError" in entry["exception"] and name not in line


def test_plain_logs_leave_the_exception_message_out_too() -> None:
    name = "Synthe" + "tova"
    text = PlainFormatter("%(message)s").format(record_with_error(name))
    assert "builtins.ValueError" in text and name not in text


def test_the_production_web_server_stops_with_the_message_and_status_3() -> None:
    """gunicorn with the container's settings: the worker cannot boot, gunicorn stops (it does
    not restart the worker forever) and the log names the variable, without a traceback."""
    config = Path(__file__).resolve().parents[4] / "docker" / "gunicorn.conf.py"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env |= {"DEBUG": "1", "TIREK_API_RATE_USER": "100/minute", "DATABASE_URL": "sqlite://"}
    done = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            str(config),
            "--bind",
            "127.0.0.1:0",
            "--workers",
            "1",
            "tirek.wsgi:application",
        ],  # fmt: skip
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (done.returncode, "Traceback" in done.stderr) == (3, False)
    assert "Tirek cannot start: TIREK_API_RATE_USER='100/minute' is not valid" in done.stderr
