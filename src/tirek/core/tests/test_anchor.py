"""Signed checkpoints: what the chains alone cannot show (a chain cut short with its head moved
back, a table emptied) is caught against the latest checkpoint, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from tirek.cases.models import CaseEvent
from tirek.cases.services import case_event_build, case_events_record
from tirek.core.anchor import anchor_schedule_register, audit_anchor, keys_generate
from tirek.core.audit import audit_record
from tirek.core.chain import GENESIS, ChainHead, chain_hash
from tirek.core.db import chain_guards_lifted
from tirek.core.models import AuditEvent
from tirek.core.tasks import _periodic_jobs, periodic_jobs
from tirek.core.tasks.schedule import schedule_tick
from tirek.testing.builders import case_build
from tirek.testing.tasks import tasks_run_pending

PRIVATE, PUBLIC = keys_generate()


@pytest.fixture
def checkpoints(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "anchors" / "checkpoints.jsonl"
    with override_settings(
        TIREK_AUDIT_ANCHOR_KEY=PRIVATE,
        TIREK_AUDIT_ANCHOR_PUBLIC_KEY="",
        TIREK_AUDIT_ANCHOR_FILE=str(path),
    ):
        yield path


def run(*args: str) -> tuple[str, str]:
    out: list[str] = []
    err: list[str] = []

    class Sink:
        def __init__(self, into: list[str]) -> None:
            self.into = into

        def write(self, text: str) -> None:
            self.into.append(text)

        def flush(self) -> None:
            pass

    try:
        call_command("audit", *args, stdout=Sink(out), stderr=Sink(err))
    except CommandError as error:
        err.append(f"ERROR {error}")
    return "".join(out), "".join(err)


def fails(*args: str) -> str:
    out, err = run(*args)
    assert "ERROR" in err, (out, err)
    assert "Testgul" not in err and "Synthetova" not in err  # ids and counts only
    return err


def passes(*args: str) -> str:
    out, err = run(*args)
    assert "ERROR" not in err, (out, err)
    return out


@contextmanager
def as_the_tables_owner() -> Iterator[None]:
    """What someone who can run SQL as the tables' owner can do: switch the guards off."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # rolled back with the test's transaction
            cursor.execute("DROP TRIGGER core_chainhead_no_rewind")
        yield
    else:
        with chain_guards_lifted(connection):
            yield


def view(case, people, times: int = 1) -> None:
    case_events_record(
        [
            case_event_build(case=case, actor=people.aigul, kind=CaseEvent.Kind.CASE_VIEWED)
            for _ in range(times)
        ]
    )


def cut_last_event_and_rewind_head(case) -> None:
    last, before = CaseEvent.objects.filter(case=case).order_by("-seq")[:2]
    with as_the_tables_owner(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_caseevent WHERE id = %s", [last.pk])
        cursor.execute(
            "UPDATE core_chainhead SET seq = %s, hash = %s WHERE name = %s",
            [before.seq, before.hash, before.chain_name()],
        )


def test_anchor_then_verify_passes_and_later_events_do_not_disturb_it(people, checkpoints):
    case = case_build(people.aigul)
    audit_record(action="test", user_id=None, agency_id=None)
    out = passes("anchor")
    assert "checkpoint 1: 2 chains, 2 events" in out
    line = json.loads(checkpoints.read_text())
    assert (line["epoch"], line["chains"], line["events"], line["audit_seq"]) == (1, 2, 2, 1)
    view(case, people, times=2)
    case_build(people.aigul)
    assert "checkpoint 1" in passes("verify")
    assert set(CaseEvent.objects.filter(case=case).values_list("epoch", flat=True)) == {1, 2}


def test_a_case_chain_cut_short_with_its_head_moved_back_is_caught(people, checkpoints):
    """Regression: deleting the last row and moving the head back passed verify."""
    case = case_build(people.aigul)
    view(case, people)
    passes("anchor")
    cut_last_event_and_rewind_head(case)
    assert "chain intact" in passes("verify", "--checkpoints", "/nonexistent/none.jsonl")
    assert "chain intact" in passes("verify", "--chains-only")
    err = fails("verify")
    assert "checkpoint 1" in err and "signed 2 events; the database holds 1" in err


def test_a_link_rewritten_with_valid_hashes_and_the_same_counts_is_caught(people, checkpoints):
    """The hash formula is public: a forger recomputes the hashes of the links they replace."""
    case = case_build(people.aigul)
    view(case, people)
    passes("anchor")
    cut_last_event_and_rewind_head(case)
    before = CaseEvent.objects.get(case=case, seq=1)
    forged = CaseEvent(
        case=case, kind=CaseEvent.Kind.CASE_UPDATED, seq=2, epoch=1, prev_hash=before.hash
    )
    forged.at = timezone.now()
    forged.hash = chain_hash(before.hash, forged.chain_content())
    CaseEvent.objects.bulk_create([forged])
    ChainHead.objects.filter(name=forged.chain_name()).update(seq=2, hash=forged.hash)
    assert "chain intact" in passes("verify", "--checkpoints", "/nonexistent/none.jsonl")
    assert "checkpoint 1 " in fails("verify") and "rewritten" in fails("verify")


def test_a_whole_case_chain_gone_with_its_head_is_caught(people, checkpoints):
    case = case_build(people.aigul)
    case_build(people.aigul)
    passes("anchor")
    ids = list(CaseEvent.objects.filter(case=case).values_list("pk", flat=True))
    with as_the_tables_owner(), connection.cursor() as cursor:
        cursor.executemany("DELETE FROM cases_caseevent WHERE id = %s", [[pk] for pk in ids])
        cursor.execute("DELETE FROM core_chainhead WHERE name = %s", [f"case:{case.pk}"])
    assert "chain intact" in passes("verify", "--checkpoints", "/nonexistent/none.jsonl")
    assert "signed 2 chains; the database holds 1" in fails("verify")


def test_an_emptied_audit_is_caught(people, checkpoints):
    """Regression: with the tables emptied and the heads deleted, verify said "chain intact"."""
    case_build(people.aigul)
    audit_record(action="test", user_id=None, agency_id=None)
    passes("anchor")
    with as_the_tables_owner(), connection.cursor() as cursor:
        for table in ("cases_caseevent", "core_auditevent", "core_chainhead"):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
    err = fails("verify")
    assert "signed 2 chains; the database holds 0" in err
    assert "the audit chain's link 1 is missing" in err


def test_the_audit_chain_cut_short_is_caught(people, checkpoints):
    audit_record(action="first", user_id=None, agency_id=None)
    audit_record(action="second", user_id=None, agency_id=None)
    passes("anchor")
    first = AuditEvent.objects.get(seq=1)
    with as_the_tables_owner(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE seq >= 2")
        cursor.execute(
            "UPDATE core_chainhead SET seq = 1, hash = %s WHERE name = 'audit'", [first.hash]
        )
    assert "the audit chain's link 2 is missing" in fails("verify")


def test_an_altered_checkpoint_is_refused(people, checkpoints):
    case_build(people.aigul)
    passes("anchor")
    line = json.loads(checkpoints.read_text())
    line["events"] = 0
    checkpoints.write_text(json.dumps(line) + "\n")
    assert "signature does not match" in fails("verify")


def test_a_checkpoint_signed_with_another_key_is_refused(people, checkpoints):
    case_build(people.aigul)
    passes("anchor")
    _, other_public = keys_generate()
    assert "signed with another key" in fails("verify", f"--public-key={other_public}")
    assert "checkpoint 1" in passes("verify", f"--public-key={PUBLIC}")


def test_anchor_refuses_to_sign_over_a_database_that_lost_signed_events(people, checkpoints):
    case = case_build(people.aigul)
    view(case, people)
    passes("anchor")
    cut_last_event_and_rewind_head(case)
    assert "signed 2 events" in fails("anchor")
    assert len(checkpoints.read_text().splitlines()) == 1
    refused = AuditEvent.objects.get(action="audit.anchor_refused")
    assert refused.object_id == "1" and "signed 2 events" in refused.data["problems"][0]


def test_each_checkpoint_is_on_the_audit_chain_for_the_dpo(people, checkpoints):
    case_build(people.aigul)
    passes("anchor")
    passes("anchor")
    anchored = AuditEvent.objects.filter(action="audit.anchored").order_by("seq")
    assert [(row.object_id, row.data["events"]) for row in anchored] == [("1", 1), ("2", 2)]
    assert "checkpoint 2" in passes("verify")


def test_anchor_print_writes_no_file(people, checkpoints):
    case_build(people.aigul)
    out = passes("anchor", "--print")
    assert json.loads(out)["events"] == 1
    assert not checkpoints.exists()


def test_without_a_key_anchor_says_how_to_make_one(db, tmp_path):
    with override_settings(TIREK_AUDIT_ANCHOR_KEY="", TIREK_AUDIT_ANCHOR_FILE=""):
        assert "tirek audit keygen" in fails("anchor")


def test_keygen_prints_a_working_pair(db, tmp_path):
    out = passes("keygen")
    keys = dict(line.split("=", 1) for line in out.splitlines())
    path = tmp_path / "c.jsonl"
    with override_settings(TIREK_AUDIT_ANCHOR_KEY=keys["TIREK_AUDIT_ANCHOR_KEY"]):
        passes("anchor", "--checkpoints", str(path))
        passes(
            "verify",
            "--checkpoints",
            str(path),
            "--public-key",
            keys["TIREK_AUDIT_ANCHOR_PUBLIC_KEY"],
        )


def test_the_periodic_task_appends_a_checkpoint(people, checkpoints):
    case_build(people.aigul)
    audit_anchor.call()
    audit_anchor.call()
    epochs = [json.loads(line)["epoch"] for line in checkpoints.read_text().splitlines()]
    assert epochs == [1, 2]


def test_the_scheduler_anchors_when_a_key_and_a_file_are_configured(people, checkpoints):
    saved = dict(_periodic_jobs)
    try:
        _periodic_jobs.clear()
        with override_settings(TIREK_AUDIT_ANCHOR_MINUTES=15):
            assert anchor_schedule_register()
        [job] = periodic_jobs()
        assert (job.name, job.every) == ("audit.anchor", datetime.timedelta(minutes=15))
        case_build(people.aigul)
        assert schedule_tick() == ["audit.anchor"]
        tasks_run_pending()
        assert json.loads(checkpoints.read_text())["events"] == 1
        _periodic_jobs.clear()
        with override_settings(TIREK_AUDIT_ANCHOR_MINUTES=0):
            assert not anchor_schedule_register()
        with override_settings(TIREK_AUDIT_ANCHOR_KEY=""):
            assert not anchor_schedule_register()
        assert periodic_jobs() == []
    finally:
        _periodic_jobs.clear()
        _periodic_jobs.update(saved)


def test_heads_cannot_be_reset_to_genesis_quietly(people, checkpoints):
    """Even the chains alone catch a head moved back while its rows remain."""
    case = case_build(people.aigul)
    with as_the_tables_owner(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_chainhead SET seq = 0, hash = %s WHERE name = %s",
            [GENESIS, f"case:{case.pk}"],
        )
    assert f"chain case:{case.pk} broken" in fails("verify")
    assert ChainHead.objects.filter(name=f"case:{case.pk}").exists()
