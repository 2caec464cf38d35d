"""Exports kept for download hold de-identified rows only (k-anonymous, l-diverse)."""

from __future__ import annotations

from tirek.core.privacy import ClearText, PersonalFields

PERSONAL_DATA: list[PersonalFields] = []

CLEAR_TEXT = [
    ClearText(
        "exchange.CtdcExport",
        ("content", "format"),
        "a CTDC export file holds de-identified rows only (generalised, k-anonymous, l-diverse, "
        "no name, date or id) and the format code",
    ),
]
