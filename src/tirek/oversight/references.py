"""Case references as people type them (read out over the phone): a pure normalisation."""

from __future__ import annotations

import re

REFERENCE_PATTERN = re.compile(r"^TK-[A-Z0-9]{8}$")


def reference_normalise(text: str) -> str:
    """``tk-abcd 1234`` -> ``TK-ABCD1234``; case references never hold personal data."""
    compact = re.sub(r"[\s\-_]", "", text or "").upper()
    if compact.startswith("TK"):
        compact = compact[2:]
    return f"TK-{compact}"


def is_reference(text: str) -> bool:
    return bool(REFERENCE_PATTERN.match(text))
