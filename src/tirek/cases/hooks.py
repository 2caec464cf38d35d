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
