"""Agency names are shown in the reader's language on every page: templates print
``agency.label`` (Kazakh or Russian name, else the English one), never ``agency.name``."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

from tirek.accounts.models import Agency

SRC = Path(__file__).resolve().parents[2]


def test_no_template_prints_the_english_name_of_an_agency() -> None:
    printing_name = re.compile(r"agency\.name\b(?!_)")
    offenders = [
        str(path.relative_to(SRC))
        for path in sorted(SRC.glob("*/templates/**/*.html"))
        if printing_name.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_label_is_the_name_in_the_active_language() -> None:
    agency = Agency(name="Test Crisis Centre", name_kk="Тест дағдарыс орталығы", name_ru="")
    with translation.override("kk"):
        kazakh = agency.label
    with translation.override("ru"):
        russian = agency.label
    assert (kazakh, russian) == ("Тест дағдарыс орталығы", "Test Crisis Centre")
