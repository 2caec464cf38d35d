"""The background work of the CTDC export: building one, and deleting files past their keeping
time (the same path as the official reports: progress shown, file kept for a while)."""

from __future__ import annotations

from typing import Any

from tirek.accounts.actor import Actor
from tirek.core.tasks import background_task
from tirek.exchange.models import CtdcExport
from tirek.reports.tasks import file_build, file_mark, files_expire

# Progress shown to the person who asked, in percent, at each stage of the work.
STARTED, LINKED, COUNTED = 5, 50, 80


def _mark(export_id: Any, **fields: object) -> None:
    file_mark(CtdcExport, export_id, **fields)


@background_task(retries=3, backoff_seconds=30)
def ctdc_build(*, export_id: str) -> str:
    """Link same-person records, count each victim once, anonymise; idempotent (a finished
    export is left alone)."""
    from tirek.exchange.selectors import ctdc_victims, exchange_require, same_person_links
    from tirek.exchange.services import ctdc_build_record

    export = (
        CtdcExport.objects.defer("content")
        .select_related("membership__user", "membership__agency")
        .filter(pk=export_id)
        .first()
    )
    if export is None or export.finished:
        return "skipped"
    _mark(export.pk, status=CtdcExport.Status.RUNNING, progress=STARTED)
    actor = Actor(user=export.membership.user, membership=export.membership)

    def build() -> bytes:
        exchange_require(actor)  # the person may have lost the role since asking
        links = same_person_links()
        _mark(export.pk, progress=LINKED)
        victims = ctdc_victims(links)
        _mark(export.pk, progress=COUNTED)
        content = ctdc_build_record(actor=actor, export=export, victims=victims)
        return content

    return file_build(CtdcExport, export.pk, build)


@background_task(retries=3, backoff_seconds=60)
def ctdc_exports_expire() -> int:
    """Delete the files of exports past their keeping time (the record of who asked stays)."""
    return files_expire(CtdcExport)
