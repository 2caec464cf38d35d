"""Reports hold aggregates only: the national tables protected, an agency's own as counted."""

from __future__ import annotations

from tirek.core.privacy import ClearText, PersonalFields

PERSONAL_DATA: list[PersonalFields] = []

CLEAR_TEXT = [
    ClearText(
        "reports.ReportRun",
        ("content", "scope"),
        "a report file holds only counts of people (protected in a national release) and the "
        "scope code; no name, date of birth or free text about a person",
    ),
    ClearText(
        "reports.ReportRun",
        ("noisy_release",),
        "the noisy counts of a differentially private release (OpenDP noise on every cell), "
        "table and value codes and the ε spent; no name, date of birth or free text",
    ),
]
