"""Personal data held by matching: only keyed digests and reason codes (see core.privacy)."""

from __future__ import annotations

from tirek.core.privacy import ClearText, PersonalFields

PERSONAL_DATA: list[PersonalFields] = []

CLEAR_TEXT = [
    ClearText(
        "matching.CandidateKey",
        ("digest",),
        because="a blind index: keyed 128-bit digest; deleted with the person's data",
    ),
    ClearText(
        "matching.PersonPair",
        ("reasons",),
        because="reason codes of a match (which fields agreed), never the values",
    ),
    ClearText(
        "matching.MatchCheckCandidate",
        ("reasons",),
        because="reason codes of a match (which fields agreed), never the values",
    ),
    ClearText(
        "matching.ReviewCandidate",
        ("reasons",),
        because="reason codes of a match (which fields agreed), never the values",
    ),
    ClearText(
        "matching.ReviewScan",
        ("after",),
        because="the scan's position: a keyed digest of the candidate index",
    ),
]
