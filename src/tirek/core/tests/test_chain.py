from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from tirek.cases.models import CaseEvent
from tirek.core.audit import audit_record
from tirek.core.chain import GENESIS, chain_hash, chain_verify
from tirek.core.models import AuditEvent
from tirek.testing.builders import case_build


def test_each_link_hashes_the_previous_one(people):
    case_build(people.aigul)
    case_build(people.aigul)
    first, second = CaseEvent.objects.order_by("seq")[:2]
    assert (first.prev_hash, second.prev_hash) == (GENESIS, first.hash)


def test_untouched_chains_verify(people):
    case_build(people.aigul)
    audit_record(action="test", user_id=None, agency_id=None)
    call_command("audit", "verify")
    assert chain_verify("case_events", CaseEvent.objects.order_by("seq")).ok


def test_an_edited_row_breaks_the_chain(people):
    case_build(people.aigul)
    case_build(people.aigul)
    rows = list(CaseEvent.objects.order_by("seq"))
    rows[0].data = {"reference": "forged"}
    assert chain_verify("case_events", rows).first_broken_seq == 1


def test_a_removed_row_breaks_the_chain(people):
    case_build(people.aigul)
    case_build(people.aigul)
    rows = list(CaseEvent.objects.order_by("seq"))
    assert not chain_verify("case_events", rows[1:]).ok


def test_a_row_inserted_behind_the_services_back_is_detected(people):
    case = case_build(people.aigul)
    last = CaseEvent.objects.order_by("-seq").first()
    assert last is not None
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cases_caseevent (case_id, at, kind, section, data, seq, prev_hash, hash)"
            " VALUES (%s, %s, 'case_viewed', '', '{}', %s, %s, %s)",
            [
                case.pk.hex if connection.vendor == "sqlite" else case.pk,
                last.at,
                last.seq + 1,
                last.hash,
                "f" * 64,
            ],
        )
    with pytest.raises(CommandError):
        call_command("audit", "verify")


def test_the_database_refuses_to_update_events(people):
    case_build(people.aigul)
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent.objects.update(kind="case_updated")


def test_audit_events_cannot_be_changed_through_the_orm(db):
    event = audit_record(action="test", user_id=None, agency_id=None)
    with pytest.raises(RuntimeError):
        event.save()
    assert AuditEvent.objects.get().hash == chain_hash(GENESIS, event.chain_content())
