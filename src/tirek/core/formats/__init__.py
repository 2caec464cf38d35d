"""How dates and times are written, in every language: the Kazakhstan way.

Kazakhstan writes dates day first, ``12.04.1998``, and times on a 24-hour clock, ``14:30``, in
Kazakh, Russian and English alike; a US-order date (04/12/1998) would be read as 4 December.
Django takes the formats from the modules beside this file (``FORMAT_MODULE_PATH``); templates use
``SHORT_DATE_FORMAT`` / ``SHORT_DATETIME_FORMAT``. Date fields accept ``dd.mm.yyyy`` and ISO
``yyyy-mm-dd``. Exports that a person opens (CSV) use the same order, in local time, through the
helpers below; exchange formats (JSON, HTCDS) keep ISO 8601. See docs/architecture.md.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

# What every language's module takes from here (``from tirek.core.formats import *``).
__all__ = [
    "DATE_INPUT_FORMATS",
    "DATETIME_INPUT_FORMATS",
    "FIRST_DAY_OF_WEEK",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "TIME_FORMAT",
    "TIME_INPUT_FORMATS",
]

EXPORT_DATE = "%d.%m.%Y"
EXPORT_DATETIME = "%d.%m.%Y %H:%M:%S"

# Shared by the three languages' modules (each imports them): day first, a 24-hour clock.
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
# Dates typed day first, then ISO (what browsers and APIs send).
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d", "%d,%m,%Y", "%d-%m-%Y"]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M"]


def export_date(value: datetime.date | None) -> str:
    """A date for a CSV that people open: ``12.04.1998``."""
    return value.strftime(EXPORT_DATE) if value else ""


def export_datetime(value: datetime.datetime | None) -> str:
    """A moment for a CSV that people open, in the deployment's local time (``TIME_ZONE``):
    ``30.11.2026 14:05:09``."""
    return timezone.localtime(value).strftime(EXPORT_DATETIME) if value else ""
