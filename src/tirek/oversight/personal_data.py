"""Personal data held by oversight: why an emergency access was opened, and its review.

Both texts may describe the person's situation, so erasure blanks them; who opened the access,
when, for which case, and the review's outcome stay (see core.privacy)."""

from __future__ import annotations

from tirek.core.privacy import ClearText, PersonalFields

PERSONAL_DATA = [
    PersonalFields("oversight.BreakGlassAccess", ("reason", "review_comment"), case="case"),
]

CLEAR_TEXT: list[ClearText] = []
