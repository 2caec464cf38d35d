"""The shipped catalogue matches the ILO lists it claims to reproduce."""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import pytest

from tirek.screening.catalogue import DATA_DIR, catalogue_shipped, indicators_read
from tirek.screening.rules import Dimension, ListKey, Strength

REFERENCE = DATA_DIR / "ilo-delphi-2009-labour-indicators.csv"
# SHA-256 of shared/reference/ilo-delphi-2009-labour-indicators.csv (checked against two
# independent sources), so the copy shipped here can be checked without the shared folder.
REFERENCE_SHA256 = "14a9430521b1016adc2a2d55e5735aae62d36e907db7fa133c562e79348f3338"
CSV_DIMENSION = {"abuse_of_vulnerability_at_recruitment": "recruitment_abuse_of_vulnerability"}


def reference_rows() -> list[dict[str, str]]:
    with REFERENCE.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_copied_reference_is_identical_to_the_shared_one():
    assert hashlib.sha256(REFERENCE.read_bytes()).hexdigest() == REFERENCE_SHA256


def test_adult_labour_list_has_67_indicators():
    assert len(catalogue_shipped().rated(ListKey.ADULT_LABOUR)) == 67


def test_child_labour_list_has_the_reference_count():
    expected = sum(1 for row in reference_rows() if row["child_labour"])
    assert len(catalogue_shipped().rated(ListKey.CHILD_LABOUR)) == expected == 65


@pytest.mark.parametrize("list_key", [ListKey.ADULT_LABOUR, ListKey.CHILD_LABOUR])
def test_labour_lists_reproduce_the_reference_verbatim(list_key):
    catalogue = catalogue_shipped()
    shipped = [
        (i.dimension.value, i.labels["en"], i.strengths[list_key])
        for i in catalogue.indicators
        if list_key in i.strengths
    ]
    expected = [
        (
            CSV_DIMENSION.get(row["dimension"], row["dimension"]),
            row["indicator"],
            Strength.from_letter(row[list_key.value]),
        )
        for row in reference_rows()
        if row[list_key.value]
    ]
    assert shipped == expected


def test_codes_are_unique_and_well_formed():
    codes = [i.code for i in catalogue_shipped().indicators]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"(DR|CR|VR|EX|CD|VD)-\d{2}", c) for c in codes)


def test_code_prefix_names_the_dimension():
    prefix = {
        "DR": Dimension.DECEPTIVE_RECRUITMENT,
        "CR": Dimension.COERCIVE_RECRUITMENT,
        "VR": Dimension.RECRUITMENT_ABUSE_OF_VULNERABILITY,
        "EX": Dimension.EXPLOITATIVE_CONDITIONS,
        "CD": Dimension.COERCION_AT_DESTINATION,
        "VD": Dimension.ABUSE_OF_VULNERABILITY_AT_DESTINATION,
    }
    assert all(prefix[i.code[:2]] is i.dimension for i in catalogue_shipped().indicators)


def test_every_indicator_has_three_labels():
    for indicator in catalogue_shipped().indicators:
        assert all(indicator.labels[lang].strip() for lang in ("en", "ru", "kk")), indicator.code


def test_kazakh_labels_are_cyrillic():
    for indicator in catalogue_shipped().indicators:
        assert not re.search(r"[A-Za-z]", indicator.labels["kk"]), indicator.code


def test_every_list_covers_all_six_dimensions():
    catalogue = catalogue_shipped()
    for list_def in catalogue.lists:
        dimensions = {r.dimension for r in catalogue.rated(list_def.key)}
        assert dimensions == set(Dimension), list_def.key


def test_four_lists_each_with_a_source():
    lists = catalogue_shipped().lists
    assert {item.key for item in lists} == set(ListKey)
    assert all("WCMS_105023" in item.source for item in lists)


def test_sexual_lists_are_marked_unverified():
    unverified = {item.key for item in catalogue_shipped().lists if not item.is_verified}
    assert unverified == {ListKey.ADULT_SEXUAL, ListKey.CHILD_SEXUAL}


def test_docs_name_every_sexual_list_deviation_from_the_labour_lists():
    docs = Path(__file__).resolve().parents[4] / "docs" / "screening.md"
    text = docs.read_text(encoding="utf-8")
    for indicator in catalogue_shipped().indicators:
        for sexual, labour in (
            (ListKey.ADULT_SEXUAL, ListKey.ADULT_LABOUR),
            (ListKey.CHILD_SEXUAL, ListKey.CHILD_LABOUR),
        ):
            if indicator.strengths.get(sexual) != indicator.strengths.get(labour):
                assert indicator.code in text, (indicator.code, sexual)


def test_reader_treats_an_empty_strength_as_not_on_the_list(tmp_path):
    path = tmp_path / "i.csv"
    path.write_text(
        "code,dimension,label_en,label_ru,label_kk,adult_labour,child_labour\n"
        "X-01,exploitative_conditions,A,Б,Ә,M,\n",
        encoding="utf-8",
    )
    (indicator,) = indicators_read(path)
    assert dict(indicator.strengths) == {ListKey.ADULT_LABOUR: Strength.MEDIUM}
