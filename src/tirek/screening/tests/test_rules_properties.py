"""Properties of the decision rule, checked with Hypothesis over the shipped lists."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tirek.screening.catalogue import catalogue_shipped
from tirek.screening.rules import (
    DESTINATION_MEANS_DIMENSIONS,
    AgeGroup,
    Dimension,
    ListKey,
    Outcome,
    RatedIndicator,
    Strength,
    dimension_assess,
    list_assess,
)

CATALOGUE = catalogue_shipped()
LISTS = {key: CATALOGUE.rated(key) for key in ListKey}
ALL_CODES = sorted(i.code for i in CATALOGUE.indicators)

list_keys = st.sampled_from(list(ListKey))
child_keys = st.sampled_from([k for k in ListKey if k.age_group is AgeGroup.CHILD])
code_sets = st.sets(st.sampled_from(ALL_CODES))
rated_indicators = st.lists(
    st.builds(
        RatedIndicator,
        code=st.sampled_from([f"X-{n:02d}" for n in range(12)]),
        dimension=st.just(Dimension.EXPLOITATIVE_CONDITIONS),
        strength=st.sampled_from(list(Strength)),
    )
)


def outcome(key: ListKey, codes: set[str]) -> Outcome:
    return list_assess(key, LISTS[key], codes).outcome


@given(rated_indicators, rated_indicators)
def test_adding_indicators_never_turns_a_positive_dimension_negative(base, extra):
    dim = Dimension.EXPLOITATIVE_CONDITIONS
    if dimension_assess(dim, base).is_positive:
        assert dimension_assess(dim, base + extra).is_positive


@given(list_keys, code_sets, code_sets)
def test_adding_indicators_never_turns_a_dimension_negative_on_a_real_list(key, base, extra):
    before = list_assess(key, LISTS[key], base)
    after = list_assess(key, LISTS[key], base | extra)
    for b, a in zip(before.dimensions, after.dimensions, strict=True):
        assert a.is_positive or not b.is_positive


@given(list_keys, code_sets, code_sets)
def test_outcome_is_monotone(key, base, extra):
    if outcome(key, base) is Outcome.PRESUMED_VICTIM:
        assert outcome(key, base | extra) is Outcome.PRESUMED_VICTIM


@given(child_keys, code_sets)
def test_a_child_never_needs_a_means_dimension_at_destination(key, codes):
    at_destination = {
        i.code for i in CATALOGUE.indicators if i.dimension in DESTINATION_MEANS_DIMENSIONS
    }
    assert outcome(key, codes) is outcome(key, codes - at_destination)


@given(list_keys, code_sets)
def test_an_adult_presumed_victim_always_has_means_at_destination(key, codes):
    result = list_assess(key, LISTS[key], codes)
    if key.age_group is AgeGroup.ADULT and result.is_presumed_victim:
        assert any(result.dimension(d).is_positive for d in DESTINATION_MEANS_DIMENSIONS)


@given(list_keys, code_sets)
def test_a_presumed_victim_has_recruitment_and_exploitation(key, codes):
    result = list_assess(key, LISTS[key], codes)
    if result.is_presumed_victim:
        assert result.dimension(Dimension.EXPLOITATIVE_CONDITIONS).is_positive
        assert any(
            d.is_positive and d.dimension.value.find("recruitment") >= 0 for d in result.dimensions
        )


@given(rated_indicators)
def test_decisive_indicators_alone_reproduce_the_rule(observed):
    result = dimension_assess(Dimension.EXPLOITATIVE_CONDITIONS, observed)
    decisive = [i for i in observed if i.code in result.decisive]
    again = dimension_assess(Dimension.EXPLOITATIVE_CONDITIONS, decisive)
    assert (again.is_positive, again.rule) == (result.is_positive, result.rule)


@given(rated_indicators)
def test_a_single_indicator_or_weak_ones_alone_never_suffice(observed):
    weak_only = [i for i in observed if i.strength is Strength.WEAK]
    assert not dimension_assess(Dimension.EXPLOITATIVE_CONDITIONS, weak_only).is_positive
    assert not dimension_assess(Dimension.EXPLOITATIVE_CONDITIONS, observed[:1]).is_positive


@given(list_keys, st.lists(st.sampled_from(ALL_CODES)))
def test_order_of_observation_does_not_matter(key, codes):
    forward = list_assess(key, LISTS[key], codes)
    backward = list_assess(key, LISTS[key], list(reversed(codes)))
    assert forward == backward
