"""Plain words for a screening result, in the active language (kk, ru or en).

The rule (:mod:`tirek.screening.rules`) returns a language-neutral trace; this module turns each
step into a sentence at display time, so a result stored today reads correctly in any language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tirek.screening.rules import (
    Dimension,
    DimensionRule,
    Exploitation,
    ListKey,
    NextStep,
    TraceStep,
)

DIMENSION_NAMES: Mapping[str, Promise] = {
    Dimension.DECEPTIVE_RECRUITMENT: gettext_lazy("Deceptive recruitment"),
    Dimension.COERCIVE_RECRUITMENT: gettext_lazy("Coercive recruitment"),
    Dimension.RECRUITMENT_ABUSE_OF_VULNERABILITY: gettext_lazy(
        "Recruitment by abuse of vulnerability"
    ),
    Dimension.EXPLOITATIVE_CONDITIONS: gettext_lazy("Exploitative conditions"),
    Dimension.COERCION_AT_DESTINATION: gettext_lazy("Coercion at destination"),
    Dimension.ABUSE_OF_VULNERABILITY_AT_DESTINATION: gettext_lazy(
        "Abuse of vulnerability at destination"
    ),
}

LIST_NAMES: Mapping[str, Promise] = {
    ListKey.ADULT_LABOUR: gettext_lazy("adults, labour exploitation"),
    ListKey.CHILD_LABOUR: gettext_lazy("children, labour exploitation"),
    ListKey.ADULT_SEXUAL: gettext_lazy("adults, sexual exploitation"),
    ListKey.CHILD_SEXUAL: gettext_lazy("children, sexual exploitation"),
}

RULE_WORDS: Mapping[str, Promise] = {
    DimensionRule.TWO_STRONG: gettext_lazy("two strong indicators"),
    DimensionRule.STRONG_AND_MEDIUM_OR_WEAK: gettext_lazy(
        "one strong indicator and one medium or weak indicator"
    ),
    DimensionRule.THREE_MEDIUM: gettext_lazy("three medium indicators"),
    DimensionRule.TWO_MEDIUM_AND_WEAK: gettext_lazy("two medium indicators and one weak indicator"),
}

EXPLOITATION_WORDS: Mapping[str, Promise] = {
    Exploitation.LABOUR: gettext_lazy("labour exploitation"),
    Exploitation.SEXUAL: gettext_lazy("sexual exploitation"),
}

MISSING_WORDS: Mapping[str, Promise] = {
    "recruitment": gettext_lazy(
        "a recruitment dimension met (deceptive, coercive or by abuse of vulnerability)"
    ),
    "exploitation": gettext_lazy("exploitative conditions met"),
    "destination_means": gettext_lazy("coercion or abuse of vulnerability at destination met"),
}

NEXT_STEP_WORDS: Mapping[str, Promise] = {
    NextStep.REFER_CHILD: gettext_lazy(
        "Treat as a presumed child victim now: inform child protection and the police as the "
        "local mechanism says, ask for a guardian, and keep the child safe."
    ),
    NextStep.REFER_ADULT: gettext_lazy(
        "Treat as a presumed victim: offer assistance, a safe place and a reflection period, and "
        "refer as the local mechanism says (e.g. notify the police, offer a crisis centre)."
    ),
    NextStep.CHILD_PROTECTION: gettext_lazy(
        "A child in exploitative conditions needs protection whatever the recruitment: inform "
        "child protection and keep gathering information."
    ),
    NextStep.GATHER_MORE_INFORMATION: gettext_lazy(
        "Some dimensions are met: gather more information, with consent, and screen again."
    ),
    NextStep.NO_INDICATION: gettext_lazy(
        "No dimension is met: record the screening, offer contacts, and stay alert."
    ),
}


def trace_explain(steps: Iterable[TraceStep], labels: Mapping[str, str]) -> list[str]:
    """Sentences for a trace; ``labels`` maps indicator codes to labels in the active language."""
    return [step_explain(step.key, step.params, labels) for step in steps]


def step_explain(key: str, params: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    """One trace step in words (``params`` as stored, i.e. plain values)."""
    if key == "list":
        count = int(params["observed"])
        return ngettext(
            "List: %(list)s. %(count)d indicator observed.",
            "List: %(list)s. %(count)d indicators observed.",
            count,
        ) % {"list": LIST_NAMES[params["list"]], "count": count}
    if key == "ignored":
        count = len(params["codes"])
        return ngettext(
            "%(count)d observed indicator is not on this list and was not counted.",
            "%(count)d observed indicators are not on this list and were not counted.",
            count,
        ) % {"count": count}
    if key == "dimension_positive":
        names = "; ".join(labels.get(code, code) for code in params["codes"])
        return _("%(dimension)s is met: %(rule)s (%(indicators)s).") % {
            "dimension": DIMENSION_NAMES[params["dimension"]],
            "rule": RULE_WORDS[params["rule"]],
            "indicators": names,
        }
    if key == "dimension_negative":
        return _(
            "%(dimension)s is not met: %(strong)d strong, %(medium)d medium and %(weak)d weak "
            "indicators are fewer than the rule asks."
        ) % {
            "dimension": DIMENSION_NAMES[params["dimension"]],
            "strong": params["strong"],
            "medium": params["medium"],
            "weak": params["weak"],
        }
    if key == "presumed_adult":
        return _(
            "Presumed victim of trafficking for %(exploitation)s: a recruitment dimension, "
            "exploitative conditions, and coercion or abuse of vulnerability at destination are "
            "met."
        ) % {"exploitation": EXPLOITATION_WORDS[params["exploitation"]]}
    if key == "presumed_child":
        return _(
            "Presumed child victim of trafficking for %(exploitation)s: a recruitment dimension "
            "and exploitative conditions are met. A child needs no coercion or abuse of "
            "vulnerability at destination."
        ) % {"exploitation": EXPLOITATION_WORDS[params["exploitation"]]}
    if key == "not_enough":
        missing = "; ".join(str(MISSING_WORDS[m]) for m in params["missing"])
        return _("Not enough indicators: still missing %(missing)s.") % {"missing": missing}
    if key == "not_a_legal_determination":
        return _(
            "This result supports the judgement of a trained person; it does not decide anyone's "
            "legal status."
        )
    return key


def next_step_explain(next_step: str) -> str:
    return str(NEXT_STEP_WORDS[next_step])
