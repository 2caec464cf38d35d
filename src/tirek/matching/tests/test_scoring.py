"""Pair scoring: levels per field, trainable weights, explanations a case worker can read."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tirek.matching.batch import DEFAULT_CONFLICT_WEIGHT
from tirek.matching.scoring import (
    FIELDS,
    LEVELS,
    BirthDate,
    PersonRecord,
    ScoringModel,
    birth_date_parse,
    compare,
    person_prepare,
    score_pair,
)

POLICE = PersonRecord("Айгерим", "ЖУМАБАЕВА", "Кайратовна", "F", "1994-03-12", "KAZ")
CRISIS_CENTRE = PersonRecord("Aigerim", "Zhumabayeva", "", "F", "1994-03-12", "")
HOSPITAL = PersonRecord("Jumabaeva", "Aygerim", "", "", "1994", "")
NAMESAKE = PersonRecord("Айгерим", "Жумабаева", "Кайратовна", "F", "2001-11-30", "KAZ")
SISTER = PersonRecord("Динара", "Жумабаева", "Кайратовна", "F", "1997-05-02", "KAZ")
STRANGER = PersonRecord("Ерлан", "Сейткали", "Болатович", "M", "1980-01-20", "KAZ")


def levels(a: PersonRecord, b: PersonRecord) -> dict[str, str]:
    return compare(person_prepare(a), person_prepare(b))


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("1994-03-12", BirthDate(1994, 3, 12)), ("1994-03", BirthDate(1994, 3)),
     ("1994", BirthDate(1994)), ("", None), ("unknown", None), ("1994-13-01", BirthDate(1994))],
)  # fmt: skip
def test_birth_date_parse_accepts_partial_dates(text, parsed):
    assert birth_date_parse(text) == parsed


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [("1994-03-12", "1994-03-12", "exact"), ("1994-03-12", "1994-03-21", "same_month_year"),
     ("1994-03-12", "1994-12-03", "swapped_day_month"), ("1994-03-12", "1994", "partial_match"),
     ("1994-03", "1994-03-12", "partial_month"), ("1994-03-12", "1995-03-12", "year_typo"),
     ("1994-03-12", "1995-07-01", "off_by_one_year"),
     ("1994", "1995-03-12", "partial_off_by_one_year"),
     ("1994-03-12", "1999-03-12", "conflict"), ("1994-03-12", "", "missing"),
     ("1994-03-09", "1994-09-03", "swapped_day_month"), ("1994-03-09", "1995-09-03", "year_typo"),
     ("1993-03-12", "1995-03-12", "year_typo"), ("1993-03-12", "1995-07-01", "conflict"),
     # A year and month that is a swapped full date cut short; two months only disagree.
     ("1982-10", "1982-11-10", "partial_month"), ("1982-11-10", "1982-10", "partial_month"),
     ("1982-10", "1982-11", "same_year"), ("1982-10", "1982-11-12", "same_year"),
     # Partial dates are graded: year and month agree (strong), the year alone (weaker), a
     # year and month a year apart with the same month (weaker still, not a conflict).
     ("1994-03", "1994-03", "partial_month"), ("1994", "1994-03", "partial_match"),
     ("1994-03", "1995-03-12", "partial_month_off_by_one_year"),
     ("1995-03", "1994-03", "partial_month_off_by_one_year"),
     ("1994-03", "1995-04-12", "off_by_one_year"), ("1994-03", "1996-03", "conflict"),
     # A year typo and a day typo in one date; a year alone a year off (either side, or both).
     ("1994-03-12", "1995-03-20", "same_month_off_by_one_year"),
     ("1995-03-20", "1994-03-12", "same_month_off_by_one_year"),
     ("1994-03-12", "1996-03-20", "conflict"), ("1995", "1994", "partial_off_by_one_year"),
     ("1994-03", "1995", "partial_off_by_one_year"), ("1994-03", "1995-04", "off_by_one_year")],
)  # fmt: skip
def test_birth_date_levels(a, b, level):
    assert levels(PersonRecord(birth_date=a), PersonRecord(birth_date=b))["birth_date"] == level


def test_partial_dates_are_graded_evidence():
    weights = ScoringModel.load().weights["birth_date"]
    assert (
        weights["exact"]
        > weights["partial_month"]
        > weights["partial_match"]
        > weights["partial_month_off_by_one_year"]
        > 0
        > weights["partial_off_by_one_year"]
        > DEFAULT_CONFLICT_WEIGHT
    )


def test_year_off_with_another_day_in_the_same_month_is_evidence_for():
    weights = ScoringModel.load().weights["birth_date"]
    assert weights["exact"] > weights["same_month_off_by_one_year"] > 0


def test_year_and_month_both_off_is_a_conflict():
    weights = ScoringModel.load().weights["birth_date"]
    assert weights["off_by_one_year"] <= DEFAULT_CONFLICT_WEIGHT


def test_family_name_across_scripts_is_exact():
    assert levels(POLICE, CRISIS_CENTRE)["family_name"] == "exact"


def test_swapped_given_and_family_names_are_recognised():
    assert levels(POLICE, HOSPITAL)["given_name"] == "swapped"


def test_swapped_names_with_another_spelling_are_recognised():
    compared = levels(PersonRecord("Аскар", "Токтаров"), PersonRecord("TOKTAROW", "Askar"))
    assert (compared["given_name"], compared["family_name"]) == ("swapped", "swapped")


def test_swapped_names_with_a_typo_are_weaker_than_swapped_names():
    compared = levels(PersonRecord("Аскар", "Токтаров"), PersonRecord("Toktarov", "Oskar"))
    assert compared["given_name"] == "swapped"
    assert compared["family_name"] == "swapped_fuzzy"


def test_swapped_day_and_month_is_evidence_not_a_conflict():
    model = ScoringModel.load()
    assert model.weights["birth_date"]["swapped_day_month"] > 0
    assert model.weights["birth_date"]["year_typo"] > 0


def test_typo_in_family_name_is_close():
    typo = PersonRecord("Aigerim", "Zhumabaeba")
    assert levels(CRISIS_CENTRE, typo)["family_name"] in {"close", "fuzzy"}


def test_missing_patronymic_is_missing_not_different():
    assert levels(POLICE, CRISIS_CENTRE)["patronymic"] == "missing"


def test_every_compare_level_is_a_declared_level():
    result = levels(POLICE, STRANGER)
    assert all(result[f] in LEVELS[f] for f in FIELDS)


def test_same_person_across_agencies_scores_as_a_match():
    assert score_pair(POLICE, CRISIS_CENTRE).probability > 0.95


def test_namesake_with_another_birth_date_does_not_score_as_a_match():
    assert score_pair(POLICE, NAMESAKE).probability < 0.5


def test_sister_does_not_score_as_a_match():
    assert score_pair(POLICE, SISTER).probability < 0.01


def test_more_agreement_means_a_higher_score():
    assert score_pair(POLICE, CRISIS_CENTRE).weight > score_pair(POLICE, HOSPITAL).weight


def test_explanation_names_what_matched():
    text = score_pair(POLICE, CRISIS_CENTRE).explain()
    assert text.startswith("same birth date") and "family name matches across scripts" in text


def test_explanation_lists_one_item_per_field():
    assert [e.field for e in score_pair(POLICE, HOSPITAL).evidence] == list(FIELDS)


def test_weight_is_the_sum_of_evidence_and_prior():
    model = ScoringModel.load()
    score = score_pair(POLICE, HOSPITAL, model)
    prior = math.log2(model.prior / (1 - model.prior))
    assert score.weight == pytest.approx(prior + sum(e.weight for e in score.evidence))


def _training_pairs():
    matches = [(levels(POLICE, CRISIS_CENTRE), True), (levels(POLICE, HOSPITAL), True)] * 20
    non_matches = [(levels(POLICE, SISTER), False), (levels(POLICE, STRANGER), False)] * 200
    return matches + non_matches


def test_training_gives_positive_weight_to_levels_seen_among_matches():
    model = ScoringModel.train(_training_pairs())
    assert model.weights["birth_date"]["exact"] > 0 > model.weights["birth_date"]["conflict"]


def test_training_smooths_levels_never_seen():
    model = ScoringModel.train(_training_pairs())
    assert all(abs(w) < 50 for f in FIELDS for w in model.weights[f].values())


def test_trained_model_survives_json_round_trip():
    model = ScoringModel.train(_training_pairs())
    again = ScoringModel.from_json(model.to_json())
    flat = [(f, level, w) for f in FIELDS for level, w in model.weights[f].items()]
    assert all(again.weights[f][level] == pytest.approx(w) for f, level, w in flat)


def test_shipped_weights_cover_every_level():
    data = json.loads(ScoringModel.load().to_json())
    assert all(set(data["weights"][f]) == set(LEVELS[f]) for f in FIELDS)


record_text = st.text(alphabet="абвжзқәAbzhJ -", max_size=10)


@given(record_text, record_text, record_text, record_text)
def test_scoring_is_symmetric(g1, f1, g2, f2):
    a, b = PersonRecord(g1, f1, birth_date="1990"), PersonRecord(g2, f2, birth_date="1990-05")
    assert score_pair(a, b).weight == pytest.approx(score_pair(b, a).weight)


def test_trained_swap_weighs_no_more_than_names_in_order():
    swapped = [(levels(POLICE, HOSPITAL), True)] * 50 + [(levels(POLICE, CRISIS_CENTRE), True)]
    model = ScoringModel.train(swapped + _training_pairs())
    assert model.weights["given_name"]["swapped"] <= model.weights["given_name"]["exact"] + 1e-9
