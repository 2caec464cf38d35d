"""``tirek retention vacuum``: after an erasure, the tables holding personal data are rewritten so
the erased values do not linger in old row versions (docs/security.md)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

from tirek.core.models import AuditEvent
from tirek.core.privacy import personal_fields
from tirek.retention.services import personal_data_tables, retention_apply
from tirek.testing.builders import case_build
from tirek.testing.personas import personas_create


def test_the_vacuum_covers_every_registered_model_and_the_rows_derived_from_a_person():
    registered = {entry.model_class()._meta.db_table for entry in personal_fields()}
    tables = set(personal_data_tables())
    assert registered | {"matching_candidatekey"} <= tables


def _file_of(table: str) -> object:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_relation_filenode(%s)", [table])
        else:
            cursor.execute("PRAGMA freelist_count")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_after_an_erasure_the_vacuum_rewrites_the_person_table():
    from tirek.cases.services import case_close

    people = personas_create()
    for _ in range(20):
        case = case_build(people.aigul, contact_notes="x" * 250)
        case_close(
            actor=people.aigul,
            case=case,
            expected_version=case.version,
            status="Closed",
            reason="Returned home",
        )
    retention_apply(days=-1)  # every closed case is due
    before = _file_of("cases_person")
    call_command("retention", "vacuum", stdout=io.StringIO())
    after = _file_of("cases_person")
    if connection.vendor == "postgresql":
        assert after != before  # a new file: the old row versions went with the old one
    else:
        assert after == 0  # no free pages left holding deleted rows


@pytest.mark.django_db(transaction=True)
def test_the_vacuum_is_in_the_audit_log():
    out = io.StringIO()
    call_command("retention", "vacuum", stdout=out)
    assert AuditEvent.objects.filter(action="retention.vacuumed").count() == 1
