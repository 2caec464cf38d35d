"""Personal data held by protection (see core.privacy)."""

from __future__ import annotations

from tirek.core.privacy import ClearText, PersonalFields

PERSONAL_DATA = [
    PersonalFields("protection.Consent", ("withdrawal_reason",), case="case"),
]

CLEAR_TEXT = [
    ClearText(
        "protection.Consent",
        ("sections",),
        because="section codes (cases.choices.Section) the person agreed to share",
    ),
]
