"""The indicator catalogue shipped with Tirek, read from ``data/`` into plain data.

``data/indicators.csv`` holds one row per indicator: a stable code shared by the four lists, its
dimension, its labels (en verbatim from the ILO lists; ru and kk translations) and its strength on
each list (``S``/``M``/``W``; empty = not on that list). ``data/catalogue.json`` describes the
lists and their sources. The data migration loads this as catalogue version 1; a coordinator's
later edits become new versions in the database, never changes to these files.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tirek.screening.rules import (
    AgeGroup,
    Dimension,
    Exploitation,
    ListKey,
    RatedIndicator,
    Strength,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGUAGES = ("en", "ru", "kk")


@dataclass(frozen=True)
class IndicatorDefinition:
    """One indicator with its labels and its strength on each list it belongs to."""

    code: str
    dimension: Dimension
    labels: Mapping[str, str]  # language code -> label
    strengths: Mapping[ListKey, Strength]  # only the lists that hold it

    def label(self, language: str) -> str:
        return self.labels.get(language[:2]) or self.labels["en"]

    def rated(self, list_key: ListKey) -> RatedIndicator | None:
        strength = self.strengths.get(list_key)
        return RatedIndicator(self.code, self.dimension, strength) if strength else None


@dataclass(frozen=True)
class ListDefinition:
    key: ListKey
    titles: Mapping[str, str]
    source: str
    is_verified: bool
    verification_note: str

    @property
    def age_group(self) -> AgeGroup:
        return self.key.age_group

    @property
    def exploitation(self) -> Exploitation:
        return self.key.exploitation


@dataclass(frozen=True)
class CatalogueDefinition:
    name: str
    version_label: str
    lists: tuple[ListDefinition, ...]
    indicators: tuple[IndicatorDefinition, ...]

    def rated(self, list_key: ListKey) -> tuple[RatedIndicator, ...]:
        """The indicators of one list, in catalogue order, with that list's strengths."""
        return tuple(r for i in self.indicators if (r := i.rated(list_key)) is not None)

    def indicator(self, code: str) -> IndicatorDefinition:
        return next(i for i in self.indicators if i.code == code)


def indicators_read(path: Path) -> tuple[IndicatorDefinition, ...]:
    """Read an indicators CSV (columns: code, dimension, label_<lang>..., one per list key)."""
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    result = []
    for row in rows:
        strengths = {
            key: strength
            for key in ListKey
            if (strength := Strength.from_letter(row.get(key.value, ""))) is not None
        }
        result.append(
            IndicatorDefinition(
                code=row["code"],
                dimension=Dimension(row["dimension"]),
                labels={lang: row[f"label_{lang}"] for lang in LANGUAGES},
                strengths=strengths,
            )
        )
    return tuple(result)


@cache
def catalogue_shipped() -> CatalogueDefinition:
    """The catalogue as shipped in ``data/`` (version 1)."""
    meta = json.loads((DATA_DIR / "catalogue.json").read_text(encoding="utf-8"))
    lists = tuple(
        ListDefinition(
            key=ListKey(item["key"]),
            titles={lang: item[f"title_{lang}"] for lang in LANGUAGES},
            source=item["source"],
            is_verified=bool(item["is_verified"]),
            verification_note=item["verification_note"],
        )
        for item in meta["lists"]
    )
    return CatalogueDefinition(
        name=meta["name"],
        version_label=meta["version_label"],
        lists=lists,
        indicators=indicators_read(DATA_DIR / meta["indicators_file"]),
    )
