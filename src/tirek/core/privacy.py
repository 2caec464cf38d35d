"""The personal-data registry: which fields hold personal data, and which text stays in clear.

Each Tirek app declares its own fields in a module ``personal_data.py`` beside its models:

- ``PERSONAL_DATA``: a list of :class:`PersonalFields` — fields about a person (a survivor) that
  erasure and retention blank, each with the lookup from the model to the case or the person it
  belongs to. Every encrypted field must be here (``core/tests/test_personal_data.py``).
- ``CLEAR_TEXT``: a list of :class:`ClearText` — text fields (``CharField``, ``TextField``,
  ``JSONField``) that stay unencrypted, each with the reason. A text field that is neither
  encrypted, nor coded (``choices``), nor declared here fails the same test.

Erasure (``retention``) reads this registry, so a new app's personal fields are erased as soon as
they are declared, without editing the retention app.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import Any

from django.apps import apps
from django.db import models


@dataclass(frozen=True)
class PersonalFields:
    """Fields of one model that hold personal data, and how to find the rows of a case or person.

    ``case`` is the lookup from the model to ``cases.Case`` (``"case"``, ``"screening__case"``,
    ``"pk"`` on the case itself); ``person`` the lookup to ``cases.Person`` (``"pk"`` on the
    person). Exactly one of the two is given. Erasure sets each field to ``None`` when it is
    nullable, else to its default (``""`` for text). ``kept_because``, when given, says why
    erasure keeps the field (it is still encrypted and listed here).
    """

    model: str
    fields: tuple[str, ...]
    case: str = ""
    person: str = ""
    kept_because: str = ""

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def erased_values(self) -> dict[str, Any]:
        meta = self.model_class()._meta
        values: dict[str, Any] = {}
        for name in self.fields:
            field = meta.get_field(name)
            if not isinstance(field, models.Field):
                raise TypeError(f"{self.model}.{name} is not a concrete field")
            values[name] = None if field.null else field.get_default()
        return values


@dataclass(frozen=True)
class ClearText:
    """Text fields of one model stored unencrypted on purpose, and why."""

    model: str
    fields: tuple[str, ...]
    because: str


def _tirek_modules() -> Iterable[Any]:
    for config in apps.get_app_configs():
        if not config.name.startswith("tirek."):
            continue
        try:
            yield import_module(f"{config.name}.personal_data")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.personal_data":
                raise


@cache
def personal_fields() -> tuple[PersonalFields, ...]:
    """Every app's declared personal fields."""
    return tuple(entry for module in _tirek_modules() for entry in module.PERSONAL_DATA)


@cache
def clear_text() -> tuple[ClearText, ...]:
    """Every app's declared clear-text fields."""
    return tuple(
        entry for module in _tirek_modules() for entry in getattr(module, "CLEAR_TEXT", [])
    )


def personal_data_erase(*, case_ids: Iterable[Any], person_id: Any) -> None:
    """Blank every declared personal field of these cases and of their person (caller's
    transaction). Rows derived from the person (blind indexes, keys) are the caller's business."""
    case_ids = list(case_ids)
    for entry in personal_fields():
        if entry.kept_because:
            continue
        manager = entry.model_class()._default_manager
        if entry.case:
            rows = manager.filter(**{f"{entry.case}__in": case_ids})
        else:
            rows = manager.filter(**{entry.person: person_id})
        rows.update(**entry.erased_values())
