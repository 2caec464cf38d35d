"""The exports: each one is an audit event, and every case in an identified export a read."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.cases.reads import case_reads_record
from tirek.core.audit import audit_record
from tirek.core.errors import NotFound
from tirek.core.tasks import task_enqueue_on_commit
from tirek.exchange.ctdc import COLUMNS, anonymise, ctdc_row
from tirek.exchange.htcds import htcds_columns, htcds_flat, htcds_record
from tirek.exchange.models import CtdcExport
from tirek.exchange.selectors import (
    FORMATS,
    Victims,
    cases_for_export,
    consented_sections,
    ctdc_export_for,
    exchange_require,
    partner_for,
    relations_of,
)
from tirek.exchange.tasks import ctdc_build

HTCDS_EXPORTED = "exchange.htcds_exported"
CTDC_REQUESTED = "exchange.ctdc_requested"
CTDC_EXPORTED = "exchange.ctdc_exported"
CTDC_DOWNLOADED = "exchange.ctdc_downloaded"
VIA_EXPORT = "export"  # how the cases were shown, in their read records


@dataclass(frozen=True)
class Export:
    filename: str
    content_type: str
    body: str
    count: int


def _format_check(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValidationError({"format": [_("Choose CSV or JSON.")]})


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def htcds_export(*, actor: Actor, partner_id: UUID | str | None, fmt: str, channel: str) -> Export:
    """The agency's cases in HTCDS fields for a partner: only cases whose person consented to
    this partner, only the sections consented to. Every case exported is recorded as read."""
    exchange_require(actor)
    partner = partner_for(actor, partner_id)
    _format_check(fmt)
    with transaction.atomic():
        covered = consented_sections(actor, partner)
        cases = cases_for_export(list(covered))
        relations = relations_of([case.pk for case in cases])
        records = [htcds_record(case, covered[case.pk], relations[case.pk]) for case in cases]
        case_reads_record(
            actor=actor, reads=[(case, covered[case.pk]) for case in cases], via=VIA_EXPORT
        )
        audit_record(
            action=HTCDS_EXPORTED,
            user_id=actor.user.pk,
            agency_id=actor.membership.agency_id,
            object_type="agency",
            object_id=partner.pk,
            data={"format": fmt, "channel": channel, "cases": len(records)},
        )
    if fmt == "json":
        body = json.dumps(
            {"standard": "HTCDS 2.0", "partner_id": str(partner.pk), "cases": records},
            ensure_ascii=False,
            indent=1,
        )
    else:
        sections: set[str] = set().union(*covered.values()) if covered else set()
        columns = htcds_columns(sections)
        body = _csv(columns, [htcds_flat(record, columns) for record in records])
    return Export(
        filename=f"tirek-htcds-{_stamp()}.{fmt}",
        content_type="application/json" if fmt == "json" else "text/csv; charset=utf-8",
        body=body,
        count=len(records),
    )


def ctdc_request(*, actor: Actor, fmt: str, channel: str) -> CtdcExport:
    """Queue the de-identified dataset for the actor; the worker builds it (``tasks.ctdc_build``)
    and keeps the file for the actor to download for ``TIREK_REPORT_KEEP_HOURS``."""
    exchange_require(actor)
    _format_check(fmt)
    with transaction.atomic():
        export = CtdcExport.objects.create(
            format=fmt, requested_by=actor.user, membership=actor.membership
        )
        _ctdc_audit(CTDC_REQUESTED, actor, export, {"channel": channel})
        task_enqueue_on_commit(ctdc_build, export_id=str(export.pk))
    return export


def _ctdc_audit(action: str, actor: Actor, export: CtdcExport, data: dict[str, Any]) -> None:
    audit_record(
        action=action,
        user_id=actor.user.pk,
        agency_id=actor.membership.agency_id,
        object_type="ctdc_export",
        object_id=export.pk,
        data={"format": export.format, **data},
    )


def ctdc_build_record(*, actor: Actor, export: CtdcExport, victims: Victims) -> bytes:
    """Anonymise the victims (k-anonymous, l-diverse), record the export and return its file."""
    k = settings.TIREK_STATISTICS_K
    l_div = settings.TIREK_CTDC_L
    result = anonymise([ctdc_row(person) for person in victims.people], k=k, l_div=l_div)
    counts = {
        "k": k,
        "l": l_div,
        "rows": len(result.rows),
        "suppressed": result.suppressed,
        "merged": victims.merged,
        "uncertain_duplicates": victims.uncertain,
    }
    with transaction.atomic():
        _ctdc_audit(CTDC_EXPORTED, actor, export, counts | {"steps": list(result.steps)})
    if export.format == "json":
        body = json.dumps(
            {
                "k": k,
                "l": l_div,
                "generalisation": list(result.steps),
                "suppressed": result.suppressed,
                "counted_once": victims.merged,
                "uncertain_duplicates": victims.uncertain,
                "rows": result.rows,
            },
            ensure_ascii=False,
            indent=1,
        )
    else:
        body = _csv(list(COLUMNS), [[row[c] for c in COLUMNS] for row in result.rows])
    CtdcExport.objects.filter(pk=export.pk).update(
        k=k,
        l_div=l_div,
        rows=len(result.rows),
        suppressed=result.suppressed,
        merged=victims.merged,
        uncertain=victims.uncertain,
    )
    return body.encode()


def ctdc_download(*, actor: Actor, export_id: Any, channel: str) -> tuple[CtdcExport, bytes]:
    """The file of one of the actor's finished exports (each download recorded); not found once
    deleted."""
    export = ctdc_export_for(actor, export_id)
    content = CtdcExport.objects.filter(pk=export.pk).values_list("content", flat=True).first()
    if export.status != CtdcExport.Status.DONE or content is None:
        raise NotFound()
    with transaction.atomic():
        _ctdc_audit(CTDC_DOWNLOADED, actor, export, {"channel": channel})
    return export, bytes(content)
