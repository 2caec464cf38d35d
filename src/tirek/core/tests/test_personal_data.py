"""Every text field of every Tirek model is encrypted, coded, or declared clear with a reason;
every encrypted field is in the personal-data registry that erasure reads."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models

from tirek.core.crypto import EncryptedCharField, EncryptedDateField
from tirek.core.privacy import clear_text, personal_fields

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)
ENCRYPTED_FIELDS = (EncryptedCharField, EncryptedDateField)


def _tirek_fields() -> list[tuple[str, models.Field]]:  # type: ignore[type-arg]
    return [
        (model._meta.label, field)
        for config in apps.get_app_configs()
        if config.name.startswith("tirek.")
        for model in config.get_models()
        for field in model._meta.concrete_fields
    ]


def _declared(entries) -> set[tuple[str, str]]:
    return {(entry.model, name) for entry in entries for name in entry.fields}


def test_every_text_field_is_encrypted_coded_or_declared_clear():
    clear = _declared(clear_text())
    undeclared = [
        f"{label}.{field.name}"
        for label, field in _tirek_fields()
        if isinstance(field, TEXT_FIELDS)
        and not isinstance(field, ENCRYPTED_FIELDS)
        and not field.choices
        and (label, field.name) not in clear
    ]
    assert undeclared == [], (
        "Encrypt these fields (tirek.core.crypto) and declare them in the app's "
        "personal_data.py PERSONAL_DATA, or declare them in CLEAR_TEXT with the reason"
    )


def test_every_encrypted_field_is_in_the_personal_data_registry():
    registered = _declared(personal_fields())
    missing = [
        f"{label}.{field.name}"
        for label, field in _tirek_fields()
        if isinstance(field, ENCRYPTED_FIELDS) and (label, field.name) not in registered
    ]
    assert missing == []


def test_clear_text_declarations_name_existing_unencrypted_fields_with_a_reason():
    fields = {(label, field.name): field for label, field in _tirek_fields()}
    wrong = [
        f"{entry.model}.{name}"
        for entry in clear_text()
        for name in entry.fields
        if (entry.model, name) not in fields
        or isinstance(fields[(entry.model, name)], ENCRYPTED_FIELDS)
        or len(entry.because) < 20
    ]
    assert wrong == []


def test_registry_entries_name_existing_fields_and_a_way_to_their_case_or_person():
    fields = {(label, field.name) for label, field in _tirek_fields()}
    for entry in personal_fields():
        assert bool(entry.case) != bool(entry.person), entry.model
        assert {(entry.model, name) for name in entry.fields} <= fields, entry.model
        lookup = entry.case or entry.person
        # Building the filter resolves the lookup (FieldError if it leads nowhere).
        entry.model_class()._default_manager.filter(**{f"{lookup}__in": []})
        target = "cases.Case" if entry.case else "cases.Person"
        related: Any = entry.model_class()
        for part in lookup.split("__"):
            if part != "pk":
                related = related._meta.get_field(part).related_model
        assert related._meta.label == target, entry.model
        assert entry.erased_values().keys() == set(entry.fields)


def test_every_binary_field_is_declared_personal_or_clear():
    """Bytes (uploaded documents) cannot be checked for encryption by type: each one must at
    least be declared, so erasure and retention know about it."""
    declared = _declared(personal_fields()) | _declared(clear_text())
    undeclared = [
        f"{label}.{field.name}"
        for label, field in _tirek_fields()
        if isinstance(field, models.BinaryField) and (label, field.name) not in declared
    ]
    assert undeclared == []
