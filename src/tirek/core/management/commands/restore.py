"""``tirek restore FOLDER``: replace the database with a backup, then check it is all readable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tirek.core.backup import BackupError, backup_restore
from tirek.core.management.commands.backup import passphrase_from_environment


class Command(BaseCommand):
    help = (
        "Restore a backup folder written by `tirek backup`, replacing the whole database; then "
        "check that every encrypted value decrypts and that the audit chains verify."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Confirm that the data now in the database is to be replaced.",
        )
        parser.add_argument(
            "--with-keys",
            action="store_true",
            help="Use the keys sealed in the backup (passphrase from TIREK_BACKUP_PASSPHRASE).",
        )
        parser.add_argument(
            "--keys-out",
            type=Path,
            help="With --with-keys: write the unsealed keys as files here (encryption_keys, "
            "blind_index_key), for TIREK_ENCRYPTION_KEYS_FILE and TIREK_BLIND_INDEX_KEY_FILE.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        passphrase = None
        if options["with_keys"]:
            passphrase = passphrase_from_environment()
            if not passphrase:
                raise CommandError("--with-keys needs TIREK_BACKUP_PASSPHRASE or its _FILE.")
        elif options["keys_out"]:
            raise CommandError("--keys-out needs --with-keys.")
        try:
            report = backup_restore(
                source=options["folder"],
                keys_passphrase=passphrase,
                keys_out=options["keys_out"],
                replace=options["replace"],
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        for path in report.keys_written:
            self.stdout.write(f"key written: {path}")
        total = sum(report.rows.values())
        self.stdout.write(f"restored {total} rows in {len(report.rows)} tables")
        if not report.readable:
            broken = ", ".join(f"{label}: {n}" for label, n in report.unreadable.items() if n)
            raise CommandError(f"Restored, but some encrypted values do not decrypt ({broken}).")
        self.stdout.write("every encrypted value decrypts")
        call_command("audit", "verify", "--chains-only", stdout=self.stdout, stderr=self.stderr)
        if settings.TIREK_AUDIT_ANCHOR_FILE:
            self.stdout.write(
                "The latest audit checkpoint may vouch for events newer than this backup: "
                "`tirek audit verify` shows what the backup lacks. Keep that checkpoint file as "
                "evidence and point TIREK_AUDIT_ANCHOR_FILE at a new one."
            )
        if passphrase is not None:
            self.stdout.write("Configure the unsealed keys before starting Tirek again.")
