from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from tirek.cases.models import CaseEvent
from tirek.cases.services import case_event_build, case_events_record
from tirek.core.audit import audit_record
from tirek.core.chain import GENESIS, ChainHead, chain_hash, chain_verify
from tirek.core.db import chain_guards_lifted
from tirek.core.models import AuditEvent
from tirek.testing.builders import case_build

postgresql_only = pytest.mark.postgresql


def events_of(case) -> list[CaseEvent]:
    return list(CaseEvent.objects.filter(case=case).order_by("seq"))


def verify_fails(match: str = "") -> str:
    errors: list[str] = []

    class Err:
        def write(self, text: str) -> None:
            errors.append(text)

    with pytest.raises(CommandError):
        call_command("audit", "verify", stderr=Err())
    text = "".join(errors)
    assert match in text
    return text


def test_each_case_has_its_own_chain(people):
    first_case = case_build(people.aigul)
    second_case = case_build(people.aigul)
    case_events_record(
        [case_event_build(case=first_case, actor=people.aigul, kind=CaseEvent.Kind.CASE_VIEWED)]
    )
    one, two = events_of(first_case)
    [other] = events_of(second_case)
    assert (one.seq, two.seq, other.seq) == (1, 2, 1)
    assert (one.prev_hash, two.prev_hash, other.prev_hash) == (GENESIS, one.hash, GENESIS)
    head = ChainHead.objects.get(name=f"case:{first_case.pk}")
    assert (head.seq, head.hash) == (2, two.hash)


def test_untouched_chains_verify(people):
    case_build(people.aigul)
    case_build(people.aigul)
    audit_record(action="test", user_id=None, agency_id=None)
    out: list[str] = []

    class Out:
        def write(self, text: str) -> None:
            out.append(text)

    call_command("audit", "verify", stdout=Out())
    assert "cases.CaseEvent: 2 rows in 2 chains, chain intact" in "".join(out)


def test_an_edited_row_breaks_the_chain(people):
    case = case_build(people.aigul)
    case_events_record(
        [case_event_build(case=case, actor=people.aigul, kind=CaseEvent.Kind.CASE_VIEWED)]
    )
    rows = events_of(case)
    rows[0].data = {"reference": "forged"}
    assert chain_verify(rows[0].chain_name(), rows).first_broken_seq == 1


def test_a_removed_row_breaks_the_chain(people):
    case = case_build(people.aigul)
    case_events_record(
        [case_event_build(case=case, actor=people.aigul, kind=CaseEvent.Kind.CASE_VIEWED)]
    )
    rows = events_of(case)
    assert not chain_verify(rows[0].chain_name(), rows[1:]).ok


def test_a_row_inserted_behind_the_services_back_is_detected(people):
    case = case_build(people.aigul)
    [last] = events_of(case)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cases_caseevent"
            " (case_id, at, kind, section, data, seq, epoch, prev_hash, hash)"
            " VALUES (%s, %s, 'case_viewed', '', '{}', %s, %s, %s, %s)",
            [
                case.pk.hex if connection.vendor == "sqlite" else case.pk,
                last.at,
                last.seq + 1,
                last.epoch,
                last.hash,
                "f" * 64,
            ],
        )
    verify_fails(f"chain case:{case.pk} broken at seq 2")


def test_deleting_the_last_event_of_a_case_is_detected(people):
    """The head still names the deleted link (regression: the single global chain's verify
    passed once the last row was gone and the head moved back)."""
    case = case_build(people.aigul)
    case_events_record(
        [case_event_build(case=case, actor=people.aigul, kind=CaseEvent.Kind.CASE_VIEWED)]
    )
    last = events_of(case)[-1]
    with chain_guards_lifted(connection), connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_caseevent WHERE id = %s", [last.pk])
    verify_fails(f"chain case:{case.pk} broken at seq 2")


def test_deleting_a_head_while_its_rows_remain_is_detected(people):
    case = case_build(people.aigul)
    with chain_guards_lifted(connection):
        ChainHead.objects.filter(name=f"case:{case.pk}").delete()
    verify_fails(f"chain case:{case.pk} broken at seq 2")


def test_events_of_a_case_gone_with_their_head_left_are_detected(people):
    case = case_build(people.aigul)
    ids = [event.pk for event in events_of(case)]
    with chain_guards_lifted(connection), connection.cursor() as cursor:
        cursor.executemany("DELETE FROM cases_caseevent WHERE id = %s", [[pk] for pk in ids])
    verify_fails(f"chain case:{case.pk}: its 1 rows are missing")


def test_the_database_refuses_to_move_a_head_back(people):
    case = case_build(people.aigul)
    with pytest.raises(DatabaseError), transaction.atomic():
        ChainHead.objects.filter(name=f"case:{case.pk}").update(seq=0, hash=GENESIS)
    assert ChainHead.objects.get(name=f"case:{case.pk}").seq == 1


@postgresql_only
def test_postgresql_refuses_to_delete_a_head(people):
    case = case_build(people.aigul)
    with pytest.raises(DatabaseError), transaction.atomic():
        ChainHead.objects.filter(name=f"case:{case.pk}").delete()


@postgresql_only
@pytest.mark.parametrize("table", ["cases_caseevent", "core_auditevent", "core_chainhead"])
def test_postgresql_refuses_to_truncate_the_audit_tables(people, table):
    """Regression: TRUNCATE passed the row triggers and emptied the audit silently."""
    case_build(people.aigul)
    audit_record(action="test", user_id=None, agency_id=None)
    with pytest.raises(DatabaseError, match="TRUNCATE refused"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # as an attacker would
            cursor.execute(f"TRUNCATE {table} CASCADE")
    assert CaseEvent.objects.count() == 1 and AuditEvent.objects.count() == 1


def test_the_database_refuses_to_update_events(people):
    case_build(people.aigul)
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent.objects.update(kind="case_updated")


def test_audit_events_cannot_be_changed_through_the_orm(db):
    event = audit_record(action="test", user_id=None, agency_id=None)
    with pytest.raises(RuntimeError):
        event.save()
    assert AuditEvent.objects.get().hash == chain_hash(GENESIS, event.chain_content())


def test_a_batch_for_many_cases_costs_the_same_few_statements(people):
    """A list that records fifty cases writes them in a few statements, not fifty appends."""
    cases = [case_build(people.aigul) for _ in range(12)]

    def batch(count: int) -> int:
        events = [
            case_event_build(case=case, actor=people.aigul, kind=CaseEvent.Kind.CASE_VIEWED)
            for case in cases[:count]
        ]
        with CaptureQueriesContext(connection) as queries:
            case_events_record(events)
        return len(queries)

    assert batch(2) == batch(12) <= 7
    call_command("audit", "verify", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_a_batch_links_several_events_of_one_case_in_order(people):
    case = case_build(people.aigul)
    kinds = [CaseEvent.Kind.CASE_VIEWED, CaseEvent.Kind.CASE_UPDATED, CaseEvent.Kind.CASE_VIEWED]
    made = case_events_record(
        [case_event_build(case=case, actor=people.aigul, kind=kind) for kind in kinds]
    )
    assert [event.seq for event in made] == [2, 3, 4]
    assert chain_verify(made[0].chain_name(), events_of(case)).ok


def test_appending_an_existing_row_again_is_refused(people):
    case = case_build(people.aigul)
    [event] = events_of(case)
    with pytest.raises(RuntimeError):
        case_events_record([event])


@postgresql_only
def test_a_runtime_role_with_the_printed_grants_appends_but_cannot_tamper(people):
    """What a deployment adds on PostgreSQL: the application runs as a role that owns nothing."""
    case = case_build(people.aigul)
    out: list[str] = []

    class Out:
        def write(self, text: str) -> None:
            out.append(text)

    call_command("audit", "grants", "--role", "tirek_runtime_test", stdout=Out())
    statements = [line for line in "".join(out).splitlines() if line.strip()]
    with connection.cursor() as cursor:  # roles and grants roll back with the test
        cursor.execute("CREATE ROLE tirek_runtime_test NOLOGIN")
        for statement in statements:
            cursor.execute(statement)
        cursor.execute("SET ROLE tirek_runtime_test")
    try:
        case_events_record(
            [case_event_build(case=case, actor=people.aigul, kind=CaseEvent.Kind.CASE_VIEWED)]
        )
        audit_record(action="test", user_id=None, agency_id=None)
        for attempt in (
            "UPDATE cases_caseevent SET kind = 'case_updated'",
            "DELETE FROM cases_caseevent",
            "TRUNCATE cases_caseevent CASCADE",
            "DELETE FROM core_auditevent",
            "DELETE FROM core_chainhead",
            "DELETE FROM core_chainepoch",
            "ALTER TABLE cases_caseevent DISABLE TRIGGER USER",
        ):
            with pytest.raises(DatabaseError, match="permission denied|must be owner"):
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(attempt)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert CaseEvent.objects.filter(case=case).count() == 2


@pytest.mark.sqlite
def test_grants_are_refused_on_sqlite_with_a_clear_message(db):
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("audit", "grants", "--role", "tirek")


def test_every_guard_trigger_is_in_place_after_all_migrations(db):
    """SQLite drops a table's triggers when a migration rebuilds it: a later migration that
    alters an audit table must put them back (``append_only`` again), or this fails."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            expected = {
                "core_auditevent_no_update",
                "cases_caseevent_no_update",
                "core_chainhead_no_rewind",
            }
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
            expected = {
                f"{table}_{guard}"
                for table in ("core_auditevent", "cases_caseevent")
                for guard in ("append_only", "no_truncate")
            } | {"core_chainhead_no_rewind", "core_chainhead_no_truncate"}
        found = {name for (name,) in cursor.fetchall()}
    assert expected <= found, expected - found
