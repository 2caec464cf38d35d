"""The task framework in one process: enqueue on commit, retries, recovery, once-only delivery."""

from __future__ import annotations

import datetime
import smtplib

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tirek.core.tasks import RetryPolicy, deliver_once, task_enqueue_on_commit
from tirek.core.tasks.models import TaskDelivery, TaskWorker
from tirek.core.tasks.tests import tasks_for_tests as t
from tirek.core.tasks.worker import _safe_traceback, tasks_reap_abandoned
from tirek.testing.tasks import tasks_run_pending

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reset() -> None:
    t.calls.clear()
    t.failures_left.clear()


def only_result():
    [result] = DBTaskResult.objects.all()
    return result


def test_a_task_enqueued_in_a_rolled_back_transaction_never_runs() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        task_enqueue_on_commit(t.record_call, "rolled back")
        raise RuntimeError("the change failed")
    assert (DBTaskResult.objects.count(), tasks_run_pending(), t.calls) == (0, 0, [])


def test_a_task_enqueued_on_commit_runs_once() -> None:
    with transaction.atomic():
        task_enqueue_on_commit(t.record_call, "committed")
    assert tasks_run_pending() == 1
    assert tasks_run_pending() == 0  # a second pass finds nothing to do
    assert (t.calls, only_result().status) == (["committed"], TaskResultStatus.SUCCESSFUL)


def test_a_transient_failure_is_retried_later_with_a_growing_wait() -> None:
    t.failures_left["x"] = 2
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        t.flaky.enqueue("x")
        tasks_run_pending()
        first = only_result()
        assert (first.status, first.run_after) == (
            TaskResultStatus.READY,
            start + datetime.timedelta(seconds=10),
        )
        assert tasks_run_pending() == 0  # not before its time
        clock.shift(datetime.timedelta(seconds=10))
        tasks_run_pending()
        assert only_result().run_after == start + datetime.timedelta(seconds=30)  # 10 s, then 20 s
        clock.shift(datetime.timedelta(seconds=20))
        tasks_run_pending()
    result = only_result()
    assert (result.status, len(result.worker_ids), t.calls) == (
        TaskResultStatus.SUCCESSFUL,
        3,
        ["x", "x", "x"],
    )


def test_a_task_failing_after_all_its_retries_is_marked_failed_without_the_message() -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        t.always_down.enqueue("secret-server.example")
        for _ in range(3):
            tasks_run_pending()
            clock.shift(datetime.timedelta(hours=1))
    result = only_result()
    assert (result.status, len(t.calls)) == (TaskResultStatus.FAILED, 2)  # 1 try + 1 retry
    assert result.exception_class_path == "builtins.ConnectionRefusedError"
    assert "secret-server" not in result.traceback


def test_a_bug_is_not_retried() -> None:
    t.broken.enqueue("Testgul")
    tasks_run_pending()
    result = only_result()
    assert (result.status, t.calls) == (TaskResultStatus.FAILED, ["Testgul"])
    assert "Testgul" not in result.traceback


def test_the_saved_traceback_names_the_place_but_not_the_message() -> None:
    name = "Synthe" + "tova"
    try:
        raise ValueError(name)
    except ValueError as error:
        text = _safe_traceback(error)
    assert ("test_tasks.py" in text, "builtins.ValueError" in text, name in text) == (
        True,
        True,
        False,
    )


def test_backoff_doubles_and_is_capped() -> None:
    policy = RetryPolicy(backoff_seconds=30, max_backoff_seconds=100)
    assert [policy.delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 100, 100]


def test_deliver_once_sends_each_key_once() -> None:
    sent: list[int] = []
    first = deliver_once(key="test:1", send=lambda: sent.append(1))
    again = deliver_once(key="test:1", send=lambda: sent.append(2))
    assert (first, again, sent, TaskDelivery.objects.count()) == (True, False, [1], 1)


def test_a_failed_send_records_no_key_so_it_is_tried_again() -> None:
    def fail() -> None:
        raise smtplib.SMTPServerDisconnected("gone")

    with pytest.raises(smtplib.SMTPServerDisconnected):
        deliver_once(key="test:2", send=fail)
    assert not TaskDelivery.objects.filter(key="test:2").exists()


def test_delivery_keys_refuse_anything_but_codes_and_ids() -> None:
    with pytest.raises(ValueError):
        deliver_once(key="name:Testgul Synthetova", send=lambda: None)


class FailSecondRecipientOnce(LocmemBackend):
    """The mail server drops the connection at the second recipient, the first time only."""

    failed = False

    def send_messages(self, messages):
        if messages[0].to == [t.RECIPIENTS[1]] and not FailSecondRecipientOnce.failed:
            FailSecondRecipientOnce.failed = True
            raise smtplib.SMTPServerDisconnected("connection lost")
        return super().send_messages(messages)


@override_settings(EMAIL_BACKEND=f"{__name__}.FailSecondRecipientOnce")
def test_mail_server_failure_midway_is_retried_and_nobody_gets_two() -> None:
    FailSecondRecipientOnce.failed = False
    with time_machine.travel(timezone.now(), tick=False) as clock:
        t.notify_three.enqueue("n1")
        tasks_run_pending()
        assert [m.to for m in mail.outbox] == [[t.RECIPIENTS[0]]]
        clock.shift(datetime.timedelta(seconds=5))
        tasks_run_pending()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(t.RECIPIENTS)
    assert only_result().status == TaskResultStatus.SUCCESSFUL


def test_each_message_carries_a_message_id_made_from_its_key() -> None:
    t.notify_three.enqueue("n2")
    tasks_run_pending()
    ids = {m.extra_headers["Message-ID"] for m in mail.outbox}
    assert len(ids) == 3 and all(i.endswith("@127.0.0.1>") for i in ids)


def claimed_by(worker_id: str, *, minutes_ago: int):
    result = DBTaskResult.objects.get(pk=t.record_call.enqueue("lost").id)
    result.claim(worker_id)
    DBTaskResult.objects.filter(pk=result.pk).update(
        started_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )
    return result


def heartbeat(worker_id: str, *, minutes_ago: int, current: str = "") -> None:
    now = timezone.now()
    TaskWorker.objects.create(
        worker_id=worker_id,
        pid=1,
        started_at=now,
        last_seen_at=now - datetime.timedelta(minutes=minutes_ago),
        current_task_id=current,
    )


def test_a_task_of_a_worker_that_stopped_answering_goes_back_to_the_queue() -> None:
    result = claimed_by("dead", minutes_ago=10)
    heartbeat("dead", minutes_ago=5)
    assert tasks_reap_abandoned() == 1
    assert tasks_run_pending() == 1
    assert (t.calls, only_result().status) == (["lost"], TaskResultStatus.SUCCESSFUL)
    assert len(DBTaskResult.objects.get(pk=result.pk).worker_ids) == 2


def test_a_task_its_living_worker_is_running_is_left_alone() -> None:
    result = claimed_by("alive", minutes_ago=10)
    heartbeat("alive", minutes_ago=0, current=str(result.pk))
    assert (tasks_reap_abandoned(), only_result().status) == (0, TaskResultStatus.RUNNING)


def test_a_task_its_living_worker_dropped_goes_back_to_the_queue() -> None:
    claimed_by("alive", minutes_ago=10)
    heartbeat("alive", minutes_ago=0, current="")
    assert (tasks_reap_abandoned(), only_result().status) == (1, TaskResultStatus.READY)


def test_a_task_that_keeps_losing_its_worker_ends_failed() -> None:
    result = claimed_by("w1", minutes_ago=10)
    for worker in ("w2", "w3", "w4", "w5"):
        result.refresh_from_db()
        result.claim(worker)
    DBTaskResult.objects.filter(pk=result.pk).update(
        started_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    tasks_reap_abandoned()
    assert only_result().status == TaskResultStatus.FAILED  # 5 attempts > 3 retries
