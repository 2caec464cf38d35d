"""Reading mechanisms: lists, one version with its steps, the version in force, comparisons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import QuerySet

from tirek.core.errors import NotFound
from tirek.directory.models import Place
from tirek.mechanisms.models import Mechanism, MechanismStage, Step
from tirek.mechanisms.rules import STAGE_ORDER, steps_in_order
from tirek.protection.reflection import DEFAULT_REFLECTION_DAYS


def mechanisms_list(*, territory_id: int | None = None, status: str = "") -> QuerySet[Mechanism]:
    mechanisms = Mechanism.objects.select_related("territory", "created_by_agency")
    if territory_id is not None:
        mechanisms = mechanisms.filter(territory_id=territory_id)
    if status:
        mechanisms = mechanisms.filter(status=status)
    return mechanisms.order_by("territory__name_en", "-number")


def mechanism_get(mechanism_id: UUID | str) -> Mechanism:
    mechanism = (
        Mechanism.objects.select_related("territory", "created_by_agency", "based_on")
        .filter(pk=mechanism_id)
        .first()
    )
    if mechanism is None:
        raise NotFound()
    return mechanism


def mechanism_steps(mechanism: Mechanism) -> list[Step]:
    return steps_in_order(
        list(mechanism.steps.select_related("agency", "service_type", "agency__place"))
    )


@dataclass
class Lane:
    stage: str
    label: str
    steps: list[Step]


def mechanism_lanes(mechanism: Mechanism, steps: list[Step] | None = None) -> list[Lane]:
    """The stages in order, each with its steps (stages without steps included)."""
    steps = mechanism_steps(mechanism) if steps is None else steps
    labels = dict(MechanismStage.choices)
    return [
        Lane(stage=stage, label=str(labels[stage]), steps=[s for s in steps if s.stage == stage])
        for stage in STAGE_ORDER
    ]


def mechanism_in_force_for(place: Place | None) -> Mechanism | None:
    """The mechanism in force for ``place``, or for the nearest enclosing territory."""
    seen = 0
    while place is not None and seen < 10:
        mechanism = Mechanism.objects.filter(
            territory=place, status=Mechanism.Status.IN_FORCE
        ).first()
        if mechanism is not None:
            return mechanism
        place = place.parent
        seen += 1
    return None


# --- Comparing two versions step by step ---------------------------------------------------

COMPARED_FIELDS: tuple[str, ...] = (
    "stage",
    "name_en",
    "name_ru",
    "name_kk",
    "action",
    "agency_type",
    "agency_id",
    "service_type_id",
    "deadline_value",
    "deadline_unit",
    "counted_from",
    "escalate_after",
    "age_group",
    "citizenship",
    "exploitation",
)


@dataclass
class ComparedStep:
    code: str
    stage: str
    left: Step | None
    right: Step | None
    differences: frozenset[str]

    @property
    def kind(self) -> str:
        if self.left is None:
            return "added"
        if self.right is None:
            return "removed"
        return "changed" if self.differences else "same"


def _value(step: Step, name: str) -> Any:
    value = getattr(step, name)
    return sorted(value) if isinstance(value, list) else value


def mechanisms_compare(left: Mechanism, right: Mechanism) -> list[ComparedStep]:
    """Steps of two versions matched by code, in the order of the stages; what differs."""
    left_steps = {s.code: s for s in mechanism_steps(left)}
    right_steps = {s.code: s for s in mechanism_steps(right)}
    rows = []
    for code in {*left_steps, *right_steps}:
        a, b = left_steps.get(code), right_steps.get(code)
        if a is not None and b is not None:
            differences = frozenset(n for n in COMPARED_FIELDS if _value(a, n) != _value(b, n))
        else:
            differences = frozenset()
        shown = a or b
        assert shown is not None  # noqa: S101
        rows.append(ComparedStep(code, shown.stage, a, b, differences))
    position = {
        code: (STAGE_ORDER.index(r.stage), (r.left or r.right).position)  # type: ignore[union-attr]
        for code, r in ((r.code, r) for r in rows)
    }
    return sorted(rows, key=lambda r: (*position[r.code], r.code))


def reflection_days_of(mechanism: Mechanism) -> int:
    """The reflection period a version gives (unset: the default of ``protection``)."""
    return mechanism.reflection_days or DEFAULT_REFLECTION_DAYS


def mechanisms_compare_header(left: Mechanism, right: Mechanism) -> list[str]:
    """What differs between two versions beside their steps: ``reflection_days`` when the
    reflection periods they give differ."""
    if reflection_days_of(left) != reflection_days_of(right):
        return ["reflection_days"]
    return []
