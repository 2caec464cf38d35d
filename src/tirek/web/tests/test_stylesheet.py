"""The style sheet's blocks are balanced: a rule left inside an unclosed ``@media`` block would
apply on one screen size only (a merge once left the rest of the sheet phone-only)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

APPS = Path(__file__).resolve().parents[2]
SHEETS = sorted(APPS.glob("*/static/**/*.css"))
MAIN_SHEET = APPS / "web" / "static" / "web" / "tirek.css"


def _depths(text: str) -> list[int]:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)
    depth, depths = 0, []
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            depths.append(depth)
    return depths or [0]


def test_there_are_style_sheets_to_check() -> None:
    assert MAIN_SHEET in SHEETS


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda p: p.name)
def test_every_block_of_the_style_sheet_is_closed(sheet: Path) -> None:
    depths = _depths(sheet.read_text(encoding="utf-8"))
    assert min(depths) >= 0 and depths[-1] == 0


def test_top_level_rules_are_not_nested_in_a_media_block() -> None:
    text = re.sub(r"/\*.*?\*/", "", MAIN_SHEET.read_text(encoding="utf-8"))
    # Every "@media" opens at depth 0: none is opened inside another block by mistake.
    depth = 0
    for match in re.finditer(r"@media|\{|\}", text):
        token = match.group()
        if token == "@media":
            assert depth == 0, text[max(0, match.start() - 80) : match.start()]
        elif token == "{":
            depth += 1
        else:
            depth -= 1
