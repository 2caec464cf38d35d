"""E-mail from tasks: each message at most once per key, with a Message-ID made from the key."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any, Protocol
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import override

from tirek.core.tasks import deliver_once


def mail_send_once(*, key: str, subject: str, body: str, to: str) -> bool:
    """Send one e-mail to one address unless it was already sent under ``key``; True if sent.

    A failure of the mail server raises (``smtplib`` errors are ``OSError``s), so the task is
    retried later; recipients already served are skipped then.
    """
    domain = urlparse(settings.SITE_URL).hostname or "tirek.invalid"
    message_id = f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"

    def send() -> None:
        message = EmailMessage(
            subject, body, settings.DEFAULT_FROM_EMAIL, [to], headers={"Message-ID": message_id}
        )
        message.send(fail_silently=False)

    return deliver_once(key=key, send=send)


class _Recipient(Protocol):
    pk: Any
    email: str
    preferred_language: str


def mail_users_once(
    *, key: str, users: Iterable[_Recipient], compose: Callable[[], tuple[str, str]]
) -> int:
    """E-mail each user (with an address) once under ``key:<user id>``, in their own language.

    ``compose()`` returns (subject, body) and runs with the user's language active. Returns how
    many messages this call sent.
    """
    sent = 0
    for user in users:
        if not user.email:
            continue
        with override(user.preferred_language):
            subject, body = compose()
        sent += mail_send_once(key=f"{key}:{user.pk}", subject=subject, body=body, to=user.email)
    return sent
