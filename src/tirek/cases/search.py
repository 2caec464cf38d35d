"""A simple, script-preserving name key for search before create.

The matching app replaces this with cross-script matching; this key only folds case,
``ё`` and extra spaces so that a Cyrillic search is case-insensitive on SQLite too.
"""

from __future__ import annotations

import unicodedata


def name_fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold().replace("ё", "е")
    return " ".join(text.split())


def person_name_key(*parts: str) -> str:
    return name_fold(" ".join(p for p in parts if p))
