"""The migrations that encrypt existing clear values (and decrypt them when reversed)."""

from __future__ import annotations

import importlib
import uuid
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import connection

from tirek.cases.models import HistoricEvent
from tirek.screening.models import ObservedIndicator
from tirek.screening.selectors import catalogue_current
from tirek.screening.services import Observation, ScreeningInput, screening_save
from tirek.testing.builders import case_build

pytestmark = pytest.mark.django_db

cases_0006 = importlib.import_module("tirek.cases.migrations.0006_encrypt_free_text")
screening_0004 = importlib.import_module("tirek.screening.migrations.0004_encrypt_free_text")


def _key(pk: Any) -> Any:
    """UUIDs are char(32) on SQLite."""
    return pk.hex if isinstance(pk, uuid.UUID) and connection.vendor == "sqlite" else pk


def _raw(model, column: str, pk: Any) -> str:
    query = f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(query, [_key(pk)])
        return cursor.fetchone()[0]


def _raw_set(model, column: str, pk: Any, value: str) -> None:
    query = f"UPDATE {model._meta.db_table} SET {column} = %s WHERE id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(query, [value, _key(pk)])


def _run(migration, *, backwards: bool = False) -> None:
    for step in migration.Migration.operations:
        if hasattr(step, "code"):
            (step.reverse_code if backwards else step.code)(
                apps, SimpleNamespace(connection=connection)
            )


def test_a_city_stored_in_clear_before_the_migration_is_encrypted_by_it(people):
    event = case_build(people.aigul).historic_events.get()
    _raw_set(HistoricEvent, "city", event.pk, "Qarabulaqsay")
    _run(cases_0006)
    assert _raw(HistoricEvent, "city", event.pk).startswith("enc1:")


def test_the_encrypted_city_reads_back_as_it_was(people):
    event = case_build(people.aigul).historic_events.get()
    _raw_set(HistoricEvent, "city", event.pk, "Qarabulaqsay")
    _run(cases_0006)
    _run(cases_0006)  # a second run leaves encrypted values alone
    assert HistoricEvent.objects.get(pk=event.pk).city == "Qarabulaqsay"


def test_reversing_the_migration_stores_the_city_in_clear_again(people):
    event = case_build(people.aigul).historic_events.get()
    _run(cases_0006, backwards=True)
    assert _raw(HistoricEvent, "city", event.pk) == "Almaty"


def test_screening_evidence_notes_stored_in_clear_are_encrypted_by_the_migration(people):
    screening = screening_save(
        actor=people.aigul,
        catalogue=catalogue_current(),
        case=None,
        data=ScreeningInput(scope="labour", observations=[Observation("CD-01", "document")]),
    )
    observed = screening.observed.get()
    _raw_set(ObservedIndicator, "note", observed.pk, "Passport kept")
    _run(screening_0004)
    assert _raw(ObservedIndicator, "note", observed.pk).startswith("enc1:")
