"""The periodic schedule: each registered job is enqueued once per period, whoever asks."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tirek.core.tasks import _periodic_jobs, periodic_jobs, periodic_register
from tirek.core.tasks.schedule import schedule_tick
from tirek.core.tasks.tests import tasks_for_tests as t
from tirek.testing.tasks import tasks_run_pending

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def only_test_job():
    saved = dict(_periodic_jobs)
    _periodic_jobs.clear()
    periodic_register(name="test.sweep", task=t.sweep, every=HOUR)
    yield
    _periodic_jobs.clear()
    _periodic_jobs.update(saved)


def enqueued() -> int:
    return DBTaskResult.objects.count()


def test_a_due_job_is_enqueued_once_per_period(only_test_job) -> None:
    now = timezone.now()
    first = schedule_tick(now=now)
    again = schedule_tick(now=now + datetime.timedelta(minutes=59))
    later = schedule_tick(now=now + HOUR)
    assert (first, again, later, enqueued()) == (["test.sweep"], [], ["test.sweep"], 2)


def test_two_schedulers_at_the_same_moment_enqueue_one_run(only_test_job) -> None:
    now = timezone.now()
    schedule_tick(now=now)
    schedule_tick(now=now)
    assert enqueued() == 1


def test_missed_periods_run_once_not_once_per_missed_period(only_test_job) -> None:
    now = timezone.now()
    schedule_tick(now=now)
    assert schedule_tick(now=now + 10 * HOUR) == ["test.sweep"]
    assert enqueued() == 2


def test_registering_one_name_for_two_tasks_is_refused(only_test_job) -> None:
    with pytest.raises(ValueError):
        periodic_register(name="test.sweep", task=t.other_sweep, every=HOUR)


def test_apps_register_their_jobs_at_start_up() -> None:
    assert "tasks.prune" in [job.name for job in periodic_jobs()]


def test_pruning_deletes_old_finished_results_and_keys() -> None:
    from tirek.core.tasks.housekeeping import tasks_prune
    from tirek.core.tasks.models import TaskDelivery

    old = timezone.now() - datetime.timedelta(days=365)
    t.record_call.enqueue("old")
    tasks_run_pending()
    DBTaskResult.objects.update(finished_at=old)
    TaskDelivery.objects.create(key="test:old", delivered_at=old)
    t.record_call.enqueue("waiting")
    assert tasks_prune.call() == {"results": 1, "deliveries": 1}
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["READY"]


def test_scheduler_command_lists_and_enqueues(only_test_job, capsys) -> None:
    call_command("scheduler", "--list")
    call_command("scheduler", "--once")
    out = capsys.readouterr().out
    assert ("test.sweep" in out, "enqueued test.sweep" in out, enqueued()) == (True, True, 1)
