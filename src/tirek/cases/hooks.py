"""Hooks that higher apps register to follow changes of persons (cases never imports them).

``matching`` registers one to keep its candidate index current. Hooks run inside the changing
service's transaction, so an index can never disagree with the persons it indexes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tirek.cases.models import Person

PersonHook = Callable[["Person"], None]

_person_changed: dict[str, PersonHook] = {}


def person_changed_register(name: str, hook: PersonHook) -> None:
    """Call ``hook(person)`` whenever a person is created or their identifying data changes."""
    _person_changed[name] = hook


def person_changed(person: Person) -> None:
    """Tell the hooks that ``person`` was created or changed (call inside the transaction)."""
    for hook in _person_changed.values():
        hook(person)


# --- The case's NRM stage -----------------------------------------------------------------

if TYPE_CHECKING:
    from tirek.accounts.actor import Actor
    from tirek.cases.models import Case

StageHook = Callable[["Case", str, "Actor | None"], None]
TransitionGuard = Callable[["Case", str], list[str]]

CLOSED = "closed"  # the target a closure guard is asked about

_stage_entered: dict[str, StageHook] = {}
_transition_guards: dict[str, TransitionGuard] = {}


def stage_entered_register(name: str, hook: StageHook) -> None:
    """Call ``hook(case, stage, actor)`` when a case enters a stage, registration included (the
    mechanism turns the stage's steps into the case's checklist). Runs inside the transaction."""
    _stage_entered[name] = hook


def stage_entered(case: Case, stage: str, actor: Actor | None) -> None:
    for hook in _stage_entered.values():
        hook(case, stage, actor)


def transition_guard_register(name: str, guard: TransitionGuard) -> None:
    """``guard(case, target)`` returns why the case may not move to ``target`` (a stage, or
    ``CLOSED``) — e.g. open referrals or open mechanism steps — or an empty list."""
    _transition_guards[name] = guard


def transition_problems(case: Case, target: str) -> list[str]:
    return [problem for guard in _transition_guards.values() for problem in guard(case, target)]
