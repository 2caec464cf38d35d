"""``tirek audit verify|anchor|keygen``: check the hash chains, anchor them outside the database.

- ``verify``: recompute every chain; with a checkpoint file (``TIREK_AUDIT_ANCHOR_FILE`` or
  ``--checkpoints``), also check the database against the latest signed checkpoint.
- ``anchor``: sign the chain heads (``TIREK_AUDIT_ANCHOR_KEY``), append the checkpoint to the
  file, or print it with ``--print`` for a second system to keep.
- ``keygen``: print a new signing key and its public key.
- ``grants --role ROLE``: print the PostgreSQL statements that let the application run as a role
  that can append to the audit tables but never change, delete or truncate them.
- ``grants --apply``: run as the owner (``migrate`` does, after migrating), create the runtime role
  named in ``TIREK_RUNTIME_DATABASE_URL`` (or ``--role``) if needed, set its password from that
  URL, and run those statements.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tirek.core.anchor import (
    AnchorError,
    Checkpoint,
    anchor,
    chains_verify,
    checkpoint_latest,
    keys_generate,
    runtime_grants,
    runtime_role_apply,
    verifying_key,
)


class Command(BaseCommand):
    help = "Verify the audit and case-event chains, anchor them in signed checkpoints, make keys."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "anchor", "keygen", "grants"])
        parser.add_argument("--role", default="", help="grants: the runtime role")
        parser.add_argument(
            "--apply",
            action="store_true",
            help="grants: create the runtime role if needed and run the statements (as the owner)",
        )
        parser.add_argument(
            "--checkpoints",
            help="checkpoint file (default: TIREK_AUDIT_ANCHOR_FILE)",
        )
        parser.add_argument(
            "--public-key",
            default="",
            help="public key to check checkpoints with (default: TIREK_AUDIT_ANCHOR_PUBLIC_KEY, "
            "else the signing key's)",
        )
        parser.add_argument(
            "--chains-only",
            action="store_true",
            help="verify: check the chains without comparing them with a checkpoint",
        )
        parser.add_argument(
            "--print",
            action="store_true",
            dest="print_only",
            help="anchor: print the checkpoint instead of appending it to the file",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path_text = options["checkpoints"] or settings.TIREK_AUDIT_ANCHOR_FILE
        path = Path(path_text) if path_text and not options["chains_only"] else None
        try:
            if options["action"] == "keygen":
                self._keygen()
            elif options["action"] == "grants":
                self._grants(options["role"], apply=options["apply"])
            elif options["action"] == "anchor":
                self._anchor(None if options["print_only"] else path, options["public_key"])
            else:
                self._verify(path, options["public_key"])
        except AnchorError as error:
            raise CommandError(str(error)) from None

    def _grants(self, role: str, *, apply: bool) -> None:
        password: str | None = None
        if settings.TIREK_RUNTIME_DATABASE_URL:
            try:
                runtime = dj_database_url.parse(settings.TIREK_RUNTIME_DATABASE_URL)
            except ValueError:
                raise CommandError(
                    "TIREK_RUNTIME_DATABASE_URL is not valid: use "
                    "postgres://role:password@host:5432/name."
                ) from None
            if role in ("", runtime.get("USER")):
                role, password = str(runtime.get("USER") or ""), runtime.get("PASSWORD") or None
        if not role:
            raise CommandError(
                "grants needs --role ROLE or TIREK_RUNTIME_DATABASE_URL (the role the "
                "application runs as)."
            )
        if not apply:
            for statement in runtime_grants(role):
                self.stdout.write(statement)
            return
        statements = runtime_role_apply(role, password)
        self.stdout.write(
            f"The runtime role {role} can read and write the data and append to the audit "
            f"tables, and cannot change or remove audit rows ({len(statements)} statements)."
        )

    def _keygen(self) -> None:
        private, public = keys_generate()
        self.stdout.write(f"TIREK_AUDIT_ANCHOR_KEY={private}")
        self.stdout.write(f"TIREK_AUDIT_ANCHOR_PUBLIC_KEY={public}")
        self.stderr.write(
            "Keep the signing key secret, like the encryption keys; give the public key to "
            "whoever verifies the checkpoints."
        )

    def _anchor(self, path: Path | None, public_key: str) -> None:
        checkpoint = anchor(path, public_key=public_key)
        if path is None:
            self.stdout.write(checkpoint.line())
        else:
            self.stdout.write(
                f"checkpoint {checkpoint.epoch}: {checkpoint.chains} chains, "
                f"{checkpoint.events} events, appended to the checkpoint file"
            )

    def _verify(self, path: Path | None, public_key: str) -> None:
        checkpoint: Checkpoint | None = None
        if path is not None:
            checkpoint = checkpoint_latest(path)
            if checkpoint is None:
                self.stderr.write("No checkpoint yet: the chains are checked on their own.")
            else:
                checkpoint.signature_check(verifying_key(public_key))
        result = chains_verify(checkpoint)
        for report in result.reports:
            if report.ok:
                self.stdout.write(
                    f"{report.table}: {report.rows} rows in {report.chains} chains, chain intact"
                )
            for chain, seq in report.broken:
                self.stderr.write(f"{report.table}: chain {chain} broken at seq {seq}")
        for name, seq in result.orphan_heads:
            self.stderr.write(f"chain {name}: its {seq} rows are missing")
        for problem in result.checkpoint_problems:
            self.stderr.write(problem)
        if not result.ok:
            raise CommandError("Audit chain verification failed.")
        if checkpoint is not None:
            self.stdout.write(
                f"checkpoint {checkpoint.epoch} ({checkpoint.at}): signature valid, every "
                f"chain holds the {checkpoint.events} events it signed"
            )
