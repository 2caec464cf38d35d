"""The ILO/EC (Delphi, 2009) decision rule, as pure functions over plain data.

A screening aid for a trained person, never a legal determination. Three steps:

1. **Which list.** :func:`age_group_decide` and :func:`lists_select` pick the indicator lists
   (adult or child, by the age at the time of exploitation; labour, sexual or both).
2. **Each dimension.** :func:`dimension_assess` finds a dimension positive when its observed
   indicators contain at least 2 strong; or 1 strong and 1 medium or weak; or 3 medium; or 2 medium
   and 1 weak.
3. **The combination.** :func:`list_assess` presumes an adult a victim when a recruitment
   dimension (deceptive, coercive or abuse of vulnerability) AND exploitative conditions AND
   (coercion or abuse of vulnerability at destination) are positive; a child when a recruitment
   dimension AND exploitative conditions are positive: a child needs no means at destination.

Results carry a language-neutral trace (:class:`TraceStep`: a message key and its parameters) so
that a stored result can be explained later in kk, ru or en; :mod:`tirek.screening.explain`
renders it in words.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Dimension(StrEnum):
    """The six dimensions of the Delphi lists, in the order the lists print them."""

    DECEPTIVE_RECRUITMENT = "deceptive_recruitment"
    COERCIVE_RECRUITMENT = "coercive_recruitment"
    RECRUITMENT_ABUSE_OF_VULNERABILITY = "recruitment_abuse_of_vulnerability"
    EXPLOITATIVE_CONDITIONS = "exploitative_conditions"
    COERCION_AT_DESTINATION = "coercion_at_destination"
    ABUSE_OF_VULNERABILITY_AT_DESTINATION = "abuse_of_vulnerability_at_destination"


RECRUITMENT_DIMENSIONS: tuple[Dimension, ...] = (
    Dimension.DECEPTIVE_RECRUITMENT,
    Dimension.COERCIVE_RECRUITMENT,
    Dimension.RECRUITMENT_ABUSE_OF_VULNERABILITY,
)
DESTINATION_MEANS_DIMENSIONS: tuple[Dimension, ...] = (
    Dimension.COERCION_AT_DESTINATION,
    Dimension.ABUSE_OF_VULNERABILITY_AT_DESTINATION,
)


class Strength(StrEnum):
    STRONG = "strong"
    MEDIUM = "medium"
    WEAK = "weak"

    @classmethod
    def from_letter(cls, letter: str) -> Strength | None:
        """``S``/``M``/``W`` as printed in the ILO lists; empty means "not on this list"."""
        return {"S": cls.STRONG, "M": cls.MEDIUM, "W": cls.WEAK, "": None}[letter.strip().upper()]


class AgeGroup(StrEnum):
    ADULT = "adult"
    CHILD = "child"


class Exploitation(StrEnum):
    LABOUR = "labour"
    SEXUAL = "sexual"


class ExploitationScope(StrEnum):
    """What the screener suspects: labour, sexual exploitation, or both (two lists)."""

    LABOUR = "labour"
    SEXUAL = "sexual"
    BOTH = "both"


class ListKey(StrEnum):
    """The four Delphi lists: age group x form of exploitation."""

    ADULT_LABOUR = "adult_labour"
    CHILD_LABOUR = "child_labour"
    ADULT_SEXUAL = "adult_sexual"
    CHILD_SEXUAL = "child_sexual"

    @classmethod
    def for_(cls, age_group: AgeGroup, exploitation: Exploitation) -> ListKey:
        return cls(f"{age_group.value}_{exploitation.value}")

    @property
    def age_group(self) -> AgeGroup:
        return AgeGroup(self.value.split("_")[0])

    @property
    def exploitation(self) -> Exploitation:
        return Exploitation(self.value.split("_")[1])


class DimensionRule(StrEnum):
    """Which clause of the per-dimension rule made a dimension positive."""

    TWO_STRONG = "two_strong"
    STRONG_AND_MEDIUM_OR_WEAK = "strong_and_medium_or_weak"
    THREE_MEDIUM = "three_medium"
    TWO_MEDIUM_AND_WEAK = "two_medium_and_weak"


class Outcome(StrEnum):
    PRESUMED_VICTIM = "presumed_victim"
    NOT_ENOUGH_INDICATORS = "not_enough_indicators"


class NextStep(StrEnum):
    """A generic next step; the local referral mechanism says who does it and by when."""

    REFER_CHILD = "refer_child"  # child protection and the police at once; a guardian
    REFER_ADULT = "refer_adult"  # offer assistance and a reflection period; refer per mechanism
    CHILD_PROTECTION = "child_protection"  # a child in exploitation without recruitment shown
    GATHER_MORE_INFORMATION = "gather_more_information"  # some dimensions positive, not enough
    NO_INDICATION = "no_indication"  # nothing positive: record, stay alert, offer contacts


@dataclass(frozen=True)
class RatedIndicator:
    """One indicator as it stands on one list: its stable code, dimension and strength."""

    code: str
    dimension: Dimension
    strength: Strength


@dataclass(frozen=True)
class TraceStep:
    """One line of the explanation, language-neutral: a message key and its parameters.

    Parameters are codes and enum values (indicator codes, dimension names, rule names), never
    translated text, so a stored trace can be rendered in any language later.
    """

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "params": _plain(self.params)}


@dataclass(frozen=True)
class DimensionResult:
    """A dimension's verdict: the clause that applied and the indicators that satisfied it."""

    dimension: Dimension
    is_positive: bool
    rule: DimensionRule | None
    decisive: tuple[str, ...]  # the fewest observed codes that satisfy ``rule`` (empty if negative)
    observed: tuple[str, ...]  # every observed code of this dimension on this list
    strong: int
    medium: int
    weak: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension.value,
            "is_positive": self.is_positive,
            "rule": self.rule.value if self.rule else None,
            "decisive": list(self.decisive),
            "observed": list(self.observed),
            "counts": {"strong": self.strong, "medium": self.medium, "weak": self.weak},
        }


@dataclass(frozen=True)
class ListAssessment:
    """The result of one list (e.g. adults, labour exploitation) for one set of observations."""

    list_key: ListKey
    dimensions: tuple[DimensionResult, ...]
    outcome: Outcome
    next_step: NextStep
    ignored: tuple[str, ...]  # observed codes that are not on this list
    trace: tuple[TraceStep, ...]

    @property
    def is_presumed_victim(self) -> bool:
        return self.outcome is Outcome.PRESUMED_VICTIM

    def dimension(self, dimension: Dimension) -> DimensionResult:
        return next(d for d in self.dimensions if d.dimension is dimension)

    def as_dict(self) -> dict[str, Any]:
        return {
            "list": self.list_key.value,
            "age_group": self.list_key.age_group.value,
            "exploitation": self.list_key.exploitation.value,
            "dimensions": [d.as_dict() for d in self.dimensions],
            "outcome": self.outcome.value,
            "next_step": self.next_step.value,
            "ignored": list(self.ignored),
            "trace": [t.as_dict() for t in self.trace],
        }


@dataclass(frozen=True)
class ScreeningAssessment:
    """The result over the selected lists: presumed victim for which forms of exploitation."""

    lists: tuple[ListAssessment, ...]

    @property
    def outcome(self) -> Outcome:
        if any(a.is_presumed_victim for a in self.lists):
            return Outcome.PRESUMED_VICTIM
        return Outcome.NOT_ENOUGH_INDICATORS

    @property
    def presumed_exploitation(self) -> tuple[Exploitation, ...]:
        return tuple(a.list_key.exploitation for a in self.lists if a.is_presumed_victim)

    @property
    def next_step(self) -> NextStep:
        order = list(NextStep)  # most urgent first
        return min(
            (a.next_step for a in self.lists), key=order.index, default=NextStep.NO_INDICATION
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome.value,
            "presumed_exploitation": [e.value for e in self.presumed_exploitation],
            "next_step": self.next_step.value,
            "lists": [a.as_dict() for a in self.lists],
        }


# -- 1. Which list ---------------------------------------------------------------------------

ADULT_AGE = 18


def age_group_decide(*, age_at_exploitation: int | None, has_signs_of_childhood: bool) -> AgeGroup:
    """Child if under 18 when exploited; if the age is unknown, child when there are signs of it.

    A known age decides. Where the age is uncertain (no reliable document), pass ``None``: the
    person is then presumed a child on any sign of childhood (CoE Convention art. 10(3)).
    """
    if age_at_exploitation is not None:
        return AgeGroup.CHILD if age_at_exploitation < ADULT_AGE else AgeGroup.ADULT
    return AgeGroup.CHILD if has_signs_of_childhood else AgeGroup.ADULT


def lists_select(*, age_group: AgeGroup, scope: ExploitationScope) -> tuple[ListKey, ...]:
    """The list(s) to screen with: one per suspected form of exploitation, labour first."""
    forms = {
        ExploitationScope.LABOUR: (Exploitation.LABOUR,),
        ExploitationScope.SEXUAL: (Exploitation.SEXUAL,),
        ExploitationScope.BOTH: (Exploitation.LABOUR, Exploitation.SEXUAL),
    }[scope]
    return tuple(ListKey.for_(age_group, form) for form in forms)


# -- 2. Each dimension -----------------------------------------------------------------------


def dimension_rule(*, strong: int, medium: int, weak: int) -> DimensionRule | None:
    """The first clause of the per-dimension rule that the counts satisfy, or ``None``."""
    if strong >= 2:
        return DimensionRule.TWO_STRONG
    if strong >= 1 and medium + weak >= 1:
        return DimensionRule.STRONG_AND_MEDIUM_OR_WEAK
    if medium >= 3:
        return DimensionRule.THREE_MEDIUM
    if medium >= 2 and weak >= 1:
        return DimensionRule.TWO_MEDIUM_AND_WEAK
    return None


def dimension_assess(dimension: Dimension, observed: Iterable[RatedIndicator]) -> DimensionResult:
    """Apply the per-dimension rule to the observed indicators (those of other dimensions are
    left out; a code seen twice counts once)."""
    seen: dict[str, RatedIndicator] = {}
    for indicator in observed:
        if indicator.dimension is dimension:
            seen.setdefault(indicator.code, indicator)
    by_strength: dict[Strength, list[str]] = {s: [] for s in Strength}
    for indicator in seen.values():
        by_strength[indicator.strength].append(indicator.code)
    strong, medium, weak = (by_strength[s] for s in Strength)
    rule = dimension_rule(strong=len(strong), medium=len(medium), weak=len(weak))
    decisive: list[str] = {
        None: [],
        DimensionRule.TWO_STRONG: strong[:2],
        DimensionRule.STRONG_AND_MEDIUM_OR_WEAK: strong[:1] + (medium + weak)[:1],
        DimensionRule.THREE_MEDIUM: medium[:3],
        DimensionRule.TWO_MEDIUM_AND_WEAK: medium[:2] + weak[:1],
    }[rule]
    return DimensionResult(
        dimension=dimension,
        is_positive=rule is not None,
        rule=rule,
        decisive=tuple(decisive),
        observed=tuple(seen),
        strong=len(strong),
        medium=len(medium),
        weak=len(weak),
    )


# -- 3. The combination ----------------------------------------------------------------------


def list_assess(
    list_key: ListKey,
    indicators: Sequence[RatedIndicator],
    observed_codes: Collection[str],
) -> ListAssessment:
    """Assess the observed indicator codes against one list.

    ``indicators`` is the list as a coordinator published it (its order is the display order and
    decides which indicators are named as decisive); codes not on it are reported as ignored.
    """
    on_list = {i.code: i for i in indicators}
    observed_set = set(observed_codes)
    observed = [i for i in indicators if i.code in observed_set]
    ignored = tuple(sorted(observed_set - on_list.keys()))
    results = tuple(dimension_assess(d, observed) for d in Dimension)
    positive = {r.dimension for r in results if r.is_positive}

    trace: list[TraceStep] = [
        TraceStep("list", {"list": list_key.value, "observed": len(observed)}),
    ]
    if ignored:
        trace.append(TraceStep("ignored", {"codes": ignored}))
    for r in results:
        if r.is_positive:
            params = {"dimension": r.dimension.value, "rule": r.rule, "codes": r.decisive}
            trace.append(TraceStep("dimension_positive", params))
        elif r.observed:
            counts = {"strong": r.strong, "medium": r.medium, "weak": r.weak}
            trace.append(
                TraceStep("dimension_negative", {"dimension": r.dimension.value, **counts})
            )

    has_recruitment = bool(positive.intersection(RECRUITMENT_DIMENSIONS))
    has_exploitation = Dimension.EXPLOITATIVE_CONDITIONS in positive
    has_destination_means = bool(positive.intersection(DESTINATION_MEANS_DIMENSIONS))
    is_child = list_key.age_group is AgeGroup.CHILD
    missing: list[str] = []
    if not has_recruitment:
        missing.append("recruitment")
    if not has_exploitation:
        missing.append("exploitation")
    if not is_child and not has_destination_means:
        missing.append("destination_means")

    outcome = Outcome.NOT_ENOUGH_INDICATORS if missing else Outcome.PRESUMED_VICTIM
    if outcome is Outcome.PRESUMED_VICTIM:
        trace.append(
            TraceStep(
                "presumed_child" if is_child else "presumed_adult",
                {"exploitation": list_key.exploitation.value},
            )
        )
        next_step = NextStep.REFER_CHILD if is_child else NextStep.REFER_ADULT
    else:
        trace.append(
            TraceStep(
                "not_enough",
                {"age_group": list_key.age_group.value, "missing": tuple(missing)},
            )
        )
        if is_child and has_exploitation:
            next_step = NextStep.CHILD_PROTECTION
        elif positive:
            next_step = NextStep.GATHER_MORE_INFORMATION
        else:
            next_step = NextStep.NO_INDICATION
    trace.append(TraceStep("not_a_legal_determination"))
    return ListAssessment(
        list_key=list_key,
        dimensions=results,
        outcome=outcome,
        next_step=next_step,
        ignored=ignored,
        trace=tuple(trace),
    )


def screening_assess(
    lists: Mapping[ListKey, Sequence[RatedIndicator]],
    observed_codes: Collection[str],
) -> ScreeningAssessment:
    """Assess one set of observations against each selected list (the codes are shared across
    lists, so one tick counts on every list that holds the indicator, at that list's strength)."""
    return ScreeningAssessment(
        lists=tuple(
            list_assess(key, indicators, observed_codes) for key, indicators in lists.items()
        )
    )


def _plain(value: Any) -> Any:
    """A JSON-ready copy: enums to their values, tuples to lists."""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
