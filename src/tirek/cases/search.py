"""Search keys for search before create: normalised words and dates, kept as blind indexes.

The matching app adds cross-script matching on top; these keys fold case, ``ё`` and spacing so
that an exact word finds the person whatever its capitalisation.
"""

from __future__ import annotations

import datetime
import unicodedata

from tirek.cases.choices import BirthDatePrecision
from tirek.core.crypto import blind_index


def name_fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold().replace("ё", "е")
    return " ".join(text.replace("-", " ").split())


def name_words(*parts: str) -> set[str]:
    return {word for part in parts for word in name_fold(part).split()}


def name_digest(word: str) -> str:
    return blind_index("name", name_fold(word))


def birth_digests(date: datetime.date, precision: str) -> dict[str, str]:
    """The blind-index digests a birth date of the given precision is findable by."""
    digests = {"birth_year": blind_index("birth_year", f"{date:%Y}")}
    if precision in (BirthDatePrecision.DAY, BirthDatePrecision.MONTH):
        digests["birth_month"] = blind_index("birth_month", f"{date:%Y-%m}")
    if precision == BirthDatePrecision.DAY:
        digests["birth_day"] = blind_index("birth_day", date.isoformat())
    return digests
