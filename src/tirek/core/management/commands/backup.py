"""``tirek backup DIRECTORY``: write a backup folder (database + manifest [+ sealed keys])."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tirek.core.backup import BackupError, backup_create


def passphrase_from_environment() -> str | None:
    """``TIREK_BACKUP_PASSPHRASE`` or the file named by ``TIREK_BACKUP_PASSPHRASE_FILE``."""
    file_name = os.environ.get("TIREK_BACKUP_PASSPHRASE_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get("TIREK_BACKUP_PASSPHRASE") or None


class Command(BaseCommand):
    help = (
        "Back up the database into a new folder inside DIRECTORY. The data stays encrypted: keep "
        "the keys apart (docs/security.md), or add them sealed with a passphrase (--with-keys)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--with-keys",
            action="store_true",
            help="Also store the keys, sealed with TIREK_BACKUP_PASSPHRASE(_FILE).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        passphrase = None
        if options["with_keys"]:
            passphrase = passphrase_from_environment()
            if not passphrase:
                raise CommandError("--with-keys needs TIREK_BACKUP_PASSPHRASE or its _FILE.")
        try:
            folder = backup_create(destination=options["directory"], keys_passphrase=passphrase)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(folder))
        if passphrase is None:
            self.stderr.write(
                "The backup holds encrypted data but not the keys: it can only be restored "
                "where TIREK_ENCRYPTION_KEYS and TIREK_BLIND_INDEX_KEY are the same."
            )
