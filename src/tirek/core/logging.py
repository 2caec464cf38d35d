"""Log formatting: plain lines for a terminal, one JSON object per line for a log collector.

Tirek's own messages never carry personal data (ids and codes only). What the code does not
control is an exception's message, which can quote a value (a name in a failed lookup, an
address in a mail server's refusal), so both formats print a traceback as its frames and the
exception's class only, never its message.
"""

from __future__ import annotations

import json
import logging
import traceback
from datetime import UTC, datetime
from types import TracebackType

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]

# Attributes every LogRecord has; anything else was passed with ``extra=`` and is kept.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def exception_without_message(exc_info: ExcInfo | tuple[None, None, None]) -> str:
    """The traceback's frames and the exception's class path; the message left out."""
    kind, _error, tb = exc_info
    if kind is None:
        return ""
    frames = "".join(traceback.format_tb(tb))
    return f"Traceback (most recent call last):\n{frames}{kind.__module__}.{kind.__qualname__}"


class PlainFormatter(logging.Formatter):
    def formatException(self, ei: ExcInfo | tuple[None, None, None]) -> str:  # noqa: N802
        return exception_without_message(ei)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            # Plain values only: Django's ``request`` extra would print the query string.
            if key not in _STANDARD and not key.startswith("_"):
                if isinstance(value, str | int | float | bool) and key != "request":
                    entry[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = exception_without_message(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
