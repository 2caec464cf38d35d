"""Reading settings from the environment, strictly: a wrong value stops start-up with a message
that names the variable, what it holds and what it should hold (never a secret's value).

Used by ``settings.py`` only; no Django import here, so a bad value is reported before Django
starts. ``tirek`` and the WSGI/ASGI entry points turn ``ConfigurationError`` into one line on
standard error and exit status 3 (which also makes gunicorn stop instead of restarting workers).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}
RATE = re.compile(r"^\d+/(s|sec|m|min|h|hour|d|day)$")
EXIT_CONFIGURATION = 3


class ConfigurationError(ImproperlyConfigured):
    """A setting from the environment that cannot be used."""


def _fail(name: str, value: str | None, expected: str) -> NoReturn:
    shown = "" if value is None else f"={value!r}"
    raise ConfigurationError(f"{name}{shown} is not valid: {expected} (see docs/configuration.md).")


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None or value.strip() == "" else value.strip()


def env_str(name: str, default: str = "") -> str:
    """A string from the environment, or from the file named by ``NAME_FILE``."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as error:
            _fail(f"{name}_FILE", file_name, f"the file cannot be read ({error.strerror})")
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    _fail(name, value, "use 1 or 0 (also true/false, yes/no, on/off)")


def env_int(name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        _fail(name, value, "a whole number is expected")
    if number < minimum or (maximum is not None and number > maximum):
        bounds = f"from {minimum}" + (f" to {maximum}" if maximum is not None else " up")
        _fail(name, value, f"a number {bounds} is expected")
    return number


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_choice(name: str, default: str, choices: Iterable[str]) -> str:
    allowed = list(choices)
    value = _raw(name) or default
    if value not in allowed:
        _fail(name, value, "use one of " + ", ".join(allowed))
    return value


def env_rate(name: str, default: str) -> str:
    """A rate for django-ninja's throttling: ``<count>/<s|min|hour|day>``."""
    value = _raw(name) or default
    if not RATE.match(value):
        _fail(name, value, "a rate is <count>/<s|min|hour|day>, e.g. 600/min")
    return value


def env_time_zone(name: str, default: str) -> str:
    value = _raw(name) or default
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        _fail(name, value, "an IANA time zone name is expected, e.g. Asia/Almaty")
    return value


def env_log_level(name: str, default: str) -> str:
    value = (_raw(name) or default).upper()
    if value not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        _fail(name, value, "use DEBUG, INFO, WARNING, ERROR or CRITICAL")
    return value


def env_url(name: str, default: str) -> str:
    value = env_str(name, default)
    if not re.match(r"^https?://[^/\s]+", value):
        _fail(name, value, "a URL starting with http:// or https:// is expected")
    return value


def env_origins(name: str) -> list[str]:
    """Comma-separated origins, each ``scheme://host[:port]``."""
    origins = env_list(name)
    for origin in origins:
        if not re.match(r"^https?://[^/\s]+$", origin):
            _fail(name, origin, "each origin is scheme://host, e.g. https://tirek.example.org")
    return origins


def env_redis_url(name: str) -> str:
    value = env_str(name)
    if value and not re.match(r"^(redis|rediss|unix)://", value):
        _fail(name, None, "a redis://, rediss:// or unix:// URL is expected")
    return value


def env_fraction_pair(name: str, default: str) -> tuple[float, float]:
    """Two numbers ``low,high`` with 0 <= low < high <= 1."""
    value = _raw(name) or default
    try:
        low, high = (float(part) for part in value.split(","))
    except ValueError:
        _fail(name, value, "two numbers 'low,high' are expected, e.g. 0.2,0.9")
    if not 0 <= low < high <= 1:
        _fail(name, value, "0 <= low < high <= 1 is expected")
    return low, high


def env_match_weights(name: str) -> str:
    """The path of a match weights file (``tirek match train``), checked now; "" for the shipped."""
    value = _raw(name)
    if value is None:
        return ""
    from tirek.matching.scoring import ScoringModel

    try:
        ScoringModel.load(Path(value))
    except OSError as error:
        _fail(name, value, f"the weights file cannot be read ({error.strerror})")
    except ValueError as error:
        reason = str(error).rstrip(".")
        _fail(name, value, reason[:1].lower() + reason[1:])
    return value


def env_fernet_keys(name: str) -> list[str]:
    """Comma-separated Fernet keys; a malformed key is named by position, never shown."""
    from cryptography.fernet import Fernet

    keys = env_list(name)
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except ValueError:
            _fail(
                name, None, f"key number {position} is not a Fernet key (32 url-safe base64 bytes)"
            )
    return keys


def env_ed25519_key(name: str) -> str:
    """An Ed25519 key as 32 bytes in url-safe base64 (``tirek audit keygen``); never shown."""
    import base64
    import binascii

    value = env_str(name)
    if not value:
        return ""
    try:
        raw = base64.urlsafe_b64decode(value.encode())
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        _fail(name, None, "32 bytes in url-safe base64 are expected (make one: tirek audit keygen)")
    return value


def configuration_error_exit(error: ImproperlyConfigured) -> NoReturn:
    """Say what is wrong in one line and stop, without a traceback."""
    print(f"Tirek cannot start: {error}", file=sys.stderr)  # noqa: T201
    raise SystemExit(EXIT_CONFIGURATION)
