"""Worked examples of the ILO/EC decision rule (no database)."""

from __future__ import annotations

import pytest

from tirek.screening.catalogue import catalogue_shipped
from tirek.screening.rules import (
    AgeGroup,
    Dimension,
    DimensionRule,
    ExploitationScope,
    ListKey,
    NextStep,
    Outcome,
    RatedIndicator,
    Strength,
    age_group_decide,
    dimension_assess,
    dimension_rule,
    list_assess,
    lists_select,
    screening_assess,
)

S, M, W = Strength.STRONG, Strength.MEDIUM, Strength.WEAK
EX = Dimension.EXPLOITATIVE_CONDITIONS


def rated(*strengths: Strength, dimension: Dimension = EX) -> list[RatedIndicator]:
    return [RatedIndicator(f"X-{n:02d}", dimension, s) for n, s in enumerate(strengths)]


@pytest.mark.parametrize(
    ("strengths", "rule"),
    [
        ((S, S), DimensionRule.TWO_STRONG),
        ((S, M), DimensionRule.STRONG_AND_MEDIUM_OR_WEAK),
        ((S, W), DimensionRule.STRONG_AND_MEDIUM_OR_WEAK),
        ((M, M, M), DimensionRule.THREE_MEDIUM),
        ((M, M, W), DimensionRule.TWO_MEDIUM_AND_WEAK),
        ((S,), None),
        ((M, M), None),
        ((M, W, W), None),
        ((W, W, W, W), None),
        ((), None),
    ],
)
def test_dimension_rule_clauses(strengths, rule):
    assert dimension_assess(EX, rated(*strengths)).rule == rule


def test_dimension_names_the_decisive_indicators():
    result = dimension_assess(EX, rated(W, M, S, M))
    assert result.decisive == ("X-02", "X-01")  # the strong one, then the first medium


def test_dimension_ignores_other_dimensions():
    other = rated(S, S, dimension=Dimension.COERCION_AT_DESTINATION)
    assert not dimension_assess(EX, other).is_positive


def test_dimension_counts_a_code_once():
    indicator = RatedIndicator("X-01", EX, S)
    assert not dimension_assess(EX, [indicator, indicator]).is_positive


def test_first_clause_that_applies_is_reported():
    assert dimension_rule(strong=2, medium=3, weak=1) is DimensionRule.TWO_STRONG


# -- list selection --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "signs", "group"),
    [
        (17, False, AgeGroup.CHILD),
        (18, False, AgeGroup.ADULT),
        (18, True, AgeGroup.ADULT),  # a known age decides
        (None, True, AgeGroup.CHILD),  # unknown age with signs of childhood
        (None, False, AgeGroup.ADULT),
        (0, False, AgeGroup.CHILD),
    ],
)
def test_age_group(age, signs, group):
    assert age_group_decide(age_at_exploitation=age, has_signs_of_childhood=signs) is group


@pytest.mark.parametrize(
    ("group", "scope", "keys"),
    [
        (AgeGroup.ADULT, ExploitationScope.LABOUR, (ListKey.ADULT_LABOUR,)),
        (AgeGroup.ADULT, ExploitationScope.SEXUAL, (ListKey.ADULT_SEXUAL,)),
        (AgeGroup.CHILD, ExploitationScope.BOTH, (ListKey.CHILD_LABOUR, ListKey.CHILD_SEXUAL)),
    ],
)
def test_lists_select(group, scope, keys):
    assert lists_select(age_group=group, scope=scope) == keys


# -- worked examples on the shipped catalogue (also in docs/screening.md) --------------------

# Example 1 (adult, labour): a man from a neighbouring country recruited for a construction
# job in Astana. Promised a different job and wage; passport taken on arrival; "owes" the
# travel cost; works 14 hours, 7 days, paid little; lives on site; does not speak the language.
EXAMPLE_1 = {
    "DR-01",  # deceived about the nature of the job, location or employer (S)
    "DR-02",  # deceived about wages/earnings (M)
    "EX-01",  # excessive working days or hours (S)
    "EX-02",  # low or no salary (M)
    "CD-01",  # confiscation of documents (S)
    "CD-02",  # debt bondage (S)
    "VD-02",  # difficulty to live in an unknown area (M)
}

# Example 2 (child, labour): a 15-year-old girl sent by an "aunt" to a market town to sell
# goods, promised schooling that never came; long days, no pay, no school.
EXAMPLE_2 = {"DR-10", "DR-02", "EX-01", "EX-09"}


def assess(key: ListKey, codes: set[str]):
    return list_assess(key, catalogue_shipped().rated(key), codes)


def test_example_1_adult_is_presumed_victim():
    assert assess(ListKey.ADULT_LABOUR, EXAMPLE_1).outcome is Outcome.PRESUMED_VICTIM


def test_example_1_positive_dimensions():
    result = assess(ListKey.ADULT_LABOUR, EXAMPLE_1)
    positive = {d.dimension for d in result.dimensions if d.is_positive}
    assert positive == {
        Dimension.DECEPTIVE_RECRUITMENT,
        Dimension.EXPLOITATIVE_CONDITIONS,
        Dimension.COERCION_AT_DESTINATION,
    }


def test_example_1_without_coercion_at_destination_is_not_enough_for_an_adult():
    result = assess(ListKey.ADULT_LABOUR, EXAMPLE_1 - {"CD-01", "CD-02"})
    assert result.outcome is Outcome.NOT_ENOUGH_INDICATORS
    assert result.trace[-2].params["missing"] == ("destination_means",)


def test_example_1_without_coercion_suffices_for_a_child():
    result = assess(ListKey.CHILD_LABOUR, EXAMPLE_1 - {"CD-01", "CD-02"})
    assert result.outcome is Outcome.PRESUMED_VICTIM


def test_example_2_child_is_presumed_victim():
    result = assess(ListKey.CHILD_LABOUR, EXAMPLE_2)
    assert (result.outcome, result.next_step) == (Outcome.PRESUMED_VICTIM, NextStep.REFER_CHILD)


def test_example_2_same_facts_for_an_adult_are_not_enough():
    # Education deception is weak for adults, and no access to education is weak too.
    assert assess(ListKey.ADULT_LABOUR, EXAMPLE_2).outcome is Outcome.NOT_ENOUGH_INDICATORS


def test_child_in_exploitation_without_recruitment_needs_child_protection():
    result = assess(ListKey.CHILD_LABOUR, {"EX-01", "EX-02"})
    assert result.next_step is NextStep.CHILD_PROTECTION


def test_nothing_observed_is_no_indication():
    assert assess(ListKey.ADULT_SEXUAL, set()).next_step is NextStep.NO_INDICATION


def test_codes_not_on_the_list_are_reported_ignored():
    # VR-08 (false information about law) is on the adult list only.
    assert assess(ListKey.CHILD_LABOUR, {"VR-08", "NOPE"}).ignored == ("NOPE", "VR-08")


def test_both_forms_assess_each_list_with_its_strengths():
    catalogue = catalogue_shipped()
    keys = lists_select(age_group=AgeGroup.ADULT, scope=ExploitationScope.BOTH)
    result = screening_assess({k: catalogue.rated(k) for k in keys}, EXAMPLE_1)
    assert [a.list_key for a in result.lists] == [ListKey.ADULT_LABOUR, ListKey.ADULT_SEXUAL]


def test_result_serialises_to_plain_json():
    import json

    catalogue = catalogue_shipped()
    result = screening_assess(
        {ListKey.ADULT_LABOUR: catalogue.rated(ListKey.ADULT_LABOUR)}, EXAMPLE_1
    )
    data = json.loads(json.dumps(result.as_dict()))
    assert data["outcome"] == "presumed_victim"
