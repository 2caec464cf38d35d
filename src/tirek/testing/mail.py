"""An e-mail backend for tests that run a worker in another process.

Writes each message as a file in ``TIREK_TEST_MAIL_DIR``. With ``TIREK_TEST_MAIL_PAUSE_AFTER=n``
it stops for good when asked to send a message after the n-th one in that folder (writing a
``paused`` marker first), so a test can kill the worker in the middle of a task at a known point:
n messages handed over, the next one not.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


def mailbox_messages(folder: Path) -> list[str]:
    """The messages written so far, as text."""
    return [path.read_text() for path in sorted(folder.glob("*.eml"))]


class PausingFileBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        folder = Path(os.environ["TIREK_TEST_MAIL_DIR"])
        pause_after = int(os.environ.get("TIREK_TEST_MAIL_PAUSE_AFTER") or 0)
        for message in email_messages:
            if pause_after and len(list(folder.glob("*.eml"))) >= pause_after:
                (folder / "paused").touch()
                time.sleep(3600)
            name = uuid.uuid4().hex
            partial = folder / f"{name}.part"
            partial.write_bytes(message.message().as_bytes())
            partial.rename(folder / f"{name}.eml")
        return len(email_messages)
