"""The case chains under real parallel transactions (one connection per thread).

On PostgreSQL people working on different cases never wait for each other: there is no global
chain head any more. Appends to one case queue on that case's head and stay one unbroken chain;
batches naming the same cases in different orders never deadlock; an anchor taken while others
append signs a state the rows reproduce exactly.
"""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test import override_settings

from tirek.cases.models import Case, CaseEvent
from tirek.cases.services import case_event_build, case_event_record, case_events_record
from tirek.core import anchor as anchor_module
from tirek.core.anchor import (
    AnchorBusy,
    anchor,
    chains_verify,
    checkpoint_latest,
    keys_generate,
)
from tirek.testing.builders import case_build
from tirek.testing.parallel import at_once, database_for_threads

pytestmark = pytest.mark.django_db(transaction=True)


def view(people, case: Case) -> CaseEvent:
    return case_event_record(case=case, actor=people.aigul, kind=CaseEvent.Kind.CASE_VIEWED)


def verified() -> bool:
    result = chains_verify()
    return result.ok


@pytest.mark.postgresql  # SQLite has one writer at a time
def test_an_open_transaction_on_one_case_does_not_hold_up_another_case(people) -> None:
    """Regression: every case event took one global head lock until its transaction ended, so
    one slow request on any case held up every other reader and writer."""
    first, second = case_build(people.aigul), case_build(people.aigul)
    appended, release = threading.Event(), threading.Event()

    def slow_on_first() -> int:
        with transaction.atomic():
            view(people, first)
            appended.set()
            release.wait(timeout=30)
        return 1

    def quick_on_second() -> str:
        appended.wait(timeout=30)
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '3s'")
                view(people, second)
            return "appended while the other case's transaction was open"
        finally:
            release.set()

    with database_for_threads():
        results = at_once(slow_on_first, quick_on_second)
    assert results == [1, "appended while the other case's transaction was open"], results
    assert verified()


def test_many_threads_appending_to_different_cases_all_land_and_verify(people) -> None:
    cases = [case_build(people.aigul) for _ in range(6)]

    def reader(case: Case):
        def run() -> int:
            for _ in range(10):
                with transaction.atomic():
                    view(people, case)
            return CaseEvent.objects.filter(case=case).count()

        return run

    with database_for_threads():
        counts = at_once(*(reader(case) for case in cases))
        [ok] = at_once(verified)
    assert counts == [11] * 6, counts
    assert ok


def test_many_threads_appending_to_one_case_keep_one_unbroken_chain(people) -> None:
    case = case_build(people.aigul)

    def reader() -> int:
        for _ in range(8):
            with transaction.atomic():
                view(people, case)
        return 8

    def seqs() -> list[int]:
        return list(
            CaseEvent.objects.filter(case=case).order_by("seq").values_list("seq", flat=True)
        )

    with database_for_threads():
        results = at_once(*(reader for _ in range(5)))
        [numbers] = at_once(seqs)
        [ok] = at_once(verified)
    assert results == [8] * 5, results
    assert numbers == list(range(1, 42))
    assert ok


def test_batches_naming_the_same_cases_in_other_orders_never_deadlock(people) -> None:
    cases = [case_build(people.aigul) for _ in range(8)]

    def lister(seed: int):
        def run() -> int:
            shuffled = random.Random(seed).sample(cases, len(cases))  # noqa: S311 - an order
            for _ in range(5):
                with transaction.atomic():
                    case_events_record(
                        [
                            case_event_build(
                                case=case, actor=people.aigul, kind=CaseEvent.Kind.CASE_VIEWED
                            )
                            for case in shuffled
                        ]
                    )
            return 5

        return run

    with database_for_threads():
        results = at_once(*(lister(seed) for seed in range(4)))
        [ok] = at_once(verified)
    assert results == [5] * 4, results
    assert ok


def test_an_anchor_taken_while_others_append_is_reproduced_by_the_rows(people, tmp_path) -> None:
    cases = [case_build(people.aigul) for _ in range(4)]
    path = Path(tmp_path) / "checkpoints.jsonl"
    private, _ = keys_generate()

    def reader(case: Case):
        def run() -> int:
            for _ in range(15):
                with transaction.atomic():
                    view(people, case)
            return 15

        return run

    def anchors() -> int:
        for _ in range(5):
            anchor(path)
        return 5

    def check() -> list[str]:
        checkpoint = checkpoint_latest(path)
        result = chains_verify(checkpoint)
        return result.checkpoint_problems + [str(r.broken) for r in result.reports if not r.ok]

    with override_settings(TIREK_AUDIT_ANCHOR_KEY=private), database_for_threads():
        results = at_once(*(reader(case) for case in cases), anchors)
        [problems] = at_once(check)
    assert results == [15, 15, 15, 15, 5], results
    assert problems == []
    assert len(path.read_text().splitlines()) == 5


@pytest.mark.postgresql  # SQLite has one writer at a time
def test_an_anchor_facing_a_long_transaction_gives_up_instead_of_stalling_everyone(
    people, tmp_path, monkeypatch
) -> None:
    case = case_build(people.aigul)
    path = Path(tmp_path) / "checkpoints.jsonl"
    private, _ = keys_generate()
    monkeypatch.setattr(anchor_module, "EPOCH_LOCK_TRY_SECONDS", 0.3)
    monkeypatch.setattr(anchor_module, "EPOCH_LOCK_QUEUE_MS", 300)
    appended, release = threading.Event(), threading.Event()

    def long_transaction() -> int:
        with transaction.atomic():
            view(people, case)
            appended.set()
            release.wait(timeout=30)
        return 1

    def anchor_while_busy() -> str:
        appended.wait(timeout=30)
        try:
            anchor(path)
        except AnchorBusy as error:
            return "busy" if "anchor again later" in str(error) else str(error)
        finally:
            release.set()
        return "anchored"

    with override_settings(TIREK_AUDIT_ANCHOR_KEY=private), database_for_threads():
        results = at_once(long_transaction, anchor_while_busy)
        [after] = at_once(lambda: anchor(path).events)
    assert results == [1, "busy"], results
    assert after == 2 and len(path.read_text().splitlines()) == 1
