"""The trace reads as plain words, from live results and from stored (JSON) ones."""

from __future__ import annotations

import json

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from tirek.screening.catalogue import catalogue_shipped
from tirek.screening.explain import NEXT_STEP_WORDS, step_explain, trace_explain
from tirek.screening.rules import ListKey, NextStep, list_assess

CATALOGUE = catalogue_shipped()
LABELS = {i.code: i.label("en") for i in CATALOGUE.indicators}


def test_positive_dimension_names_rule_and_indicators():
    result = list_assess(
        ListKey.ADULT_LABOUR, CATALOGUE.rated(ListKey.ADULT_LABOUR), {"CD-01", "CD-02"}
    )
    with translation.override("en"):
        lines = trace_explain(result.trace, LABELS)
    assert (
        "Coercion at destination is met: two strong indicators "
        "(Confiscation of documents; Debt bondage)." in lines
    )


@given(st.sampled_from(list(ListKey)), st.sets(st.sampled_from([*sorted(LABELS), "ZZ-99"])))
def test_every_stored_trace_step_has_words(key, codes):
    result = list_assess(key, CATALOGUE.rated(key), codes)
    stored = json.loads(json.dumps(result.as_dict()))["trace"]
    with translation.override("en"):
        for step in stored:
            assert step_explain(step["key"], step["params"], LABELS) != step["key"]


def test_every_next_step_has_words():
    assert set(NEXT_STEP_WORDS) == set(NextStep)
