"""Personal data held by the core app: none. Its text is chain bookkeeping (see core.privacy)."""

from __future__ import annotations

from tirek.core.privacy import ClearText, PersonalFields

PERSONAL_DATA: list[PersonalFields] = []

CLEAR_TEXT = [
    ClearText(
        "core.ChainHead",
        ("name", "hash"),
        because="chain bookkeeping: the chain's name and the SHA-256 of its last row",
    ),
    ClearText(
        "core.AuditEvent",
        ("prev_hash", "hash", "action", "object_type", "object_id", "data"),
        because="digests, action codes, object ids and counts written by core.audit; never "
        "personal data (services pass codes and ids only)",
    ),
]
