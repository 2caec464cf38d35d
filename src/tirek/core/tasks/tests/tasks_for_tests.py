"""Module-level tasks used by the task framework's tests (a task must be importable by path)."""

from __future__ import annotations

from tirek.core.tasks import TransientError, background_task
from tirek.core.tasks.mail import mail_send_once

calls: list[str] = []
failures_left: dict[str, int] = {}

RECIPIENTS = ["one@agency.test", "two@agency.test", "three@agency.test"]


@background_task(retries=3, backoff_seconds=10)
def record_call(label: str) -> str:
    calls.append(label)
    return label


@background_task(retries=3, backoff_seconds=10)
def flaky(label: str) -> str:
    """Fails with a transient error while ``failures_left[label]`` is positive."""
    calls.append(label)
    if failures_left.get(label, 0) > 0:
        failures_left[label] -= 1
        raise TransientError("mail server away")
    return label


@background_task(retries=1, backoff_seconds=10)
def always_down(label: str) -> None:
    calls.append(label)
    raise ConnectionRefusedError(f"refused by {label}")


@background_task(retries=5)
def broken(label: str) -> None:
    calls.append(label)
    raise ValueError(f"a bug quoting {label}")


@background_task(retries=5, backoff_seconds=1)
def notify_three(notice: str) -> int:
    """Three e-mails, one per recipient, each at most once per notice."""
    sent = 0
    for number, address in enumerate(RECIPIENTS):
        sent += mail_send_once(
            key=f"test:{notice}:{number}",
            subject=f"Notice {notice}",
            body="Sign in to see it.",
            to=address,
        )
    return sent


@background_task()
def sweep() -> str:
    calls.append("sweep")
    return "sweep"


@background_task()
def other_sweep() -> str:
    return "other"
