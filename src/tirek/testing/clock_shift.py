"""A pytest plugin: ``--clock-shift-days=DAYS`` runs the tests with the real clock DAYS days ahead.

A test that passes today and fails then mixes a fixed date (a ``NOW``, a birth date, a fixture's
timestamp) with code that reads the real clock: a time bomb (docs/architecture.md, "Testing
against the clock"). A test's own ``time_machine.travel`` still works inside the shift.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--clock-shift-days",
        type=float,
        default=0.0,
        metavar="DAYS",
        help="run with the real clock DAYS days ahead, to find tests that mix a fixed date "
        "with the real clock",
    )


def pytest_configure(config: pytest.Config) -> None:
    days = config.getoption("clock_shift_days")
    if days:
        later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=days)
        traveller = time_machine.travel(later, tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


def pytest_report_header(config: pytest.Config) -> str | None:
    days = config.getoption("clock_shift_days")
    if not days:
        return None
    return f"clock shifted {days:+g} days: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC"
