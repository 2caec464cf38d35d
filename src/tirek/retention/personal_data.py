"""Personal data held by retention: the legal basis of an erasure request (see core.privacy)."""

from __future__ import annotations

from tirek.core.privacy import ClearText, PersonalFields

PERSONAL_DATA = [
    PersonalFields(
        "retention.ErasureRequest",
        ("legal_basis",),
        case="case",
        kept_because="the proof of why and when the data was erased; written without the "
        "person's name",
    ),
]

CLEAR_TEXT: list[ClearText] = []
