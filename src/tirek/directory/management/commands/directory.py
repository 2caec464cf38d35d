"""``tirek directory export FILE`` / ``tirek directory import FILE``: the service directory as
an Open Referral HSDS 3 datapackage (ZIP), e.g. to load a city's existing directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tirek.directory.hsds import DirectoryImportError, hsds_export, hsds_import


class Command(BaseCommand):
    help = "Export or import the service directory as an HSDS 3 datapackage (ZIP)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["export", "import"])
        parser.add_argument("file", help="The ZIP file to write or to read.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if options["action"] == "export":
            path.write_bytes(hsds_export())
            self.stdout.write(f"Directory written to {path}.")
            return
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        try:
            report = hsds_import(actor=None, data=data)
        except DirectoryImportError as refused:
            raise CommandError(
                f"{refused.message}\n" + "\n".join(f"  - {p}" for p in refused.problems)
            ) from refused
        self.stdout.write(
            f"Loaded: {report.organizations_created} organizations created, "
            f"{report.organizations_updated} updated; {report.services_created} services "
            f"created, {report.services_updated} updated; {report.locations} locations."
        )
