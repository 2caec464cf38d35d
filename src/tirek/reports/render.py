"""The report as a document: its content (from the statistics release), then PDF or XLSX.

The tables come from the statistics app's release (``statistics.services.statistics_release``),
so the report shows exactly what the dashboard would: the national tables protected (k,
complementary suppression, rounding), an agency's own as counted. Rendering runs inside
``translation.override(report.language)``.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from tirek.reports.models import ReportRun
from tirek.statistics.privacy import Table
from tirek.statistics.selectors import AGENCY, TABLES, Release, column_labels, row_heading

# The tables Eurostat and UNODC ask for, then the rest of the dashboard's.
EUROSTAT_TABLES = ("sex", "age_group", "sex_age", "citizenship", "exploitation")
WITHHELD = "×"


@dataclass
class TableBlock:
    name: str
    title: str
    columns: list[str]
    rows: list[tuple[str, list[str], str]]  # label, cells, row total
    totals: list[str]
    total: str
    withheld: int
    heading: str = ""  # above the row labels; the title when empty


@dataclass
class Document:
    title: str
    period: str
    scope: str
    protected: bool
    k: int
    rounding: int
    agency: str
    generated: str
    counted: str
    uncertain: int
    summary: list[tuple[str, str]]
    eurostat: list[TableBlock]
    others: list[TableBlock]
    notes: list[str] = field(default_factory=list)
    mechanism: list[TableBlock] = field(default_factory=list)  # mechanism performance


def shown(value: int | None) -> str:
    return WITHHELD if value is None else str(value)


def _block(release: Release, name: str) -> TableBlock:
    table: Table = release.tables[name]
    columns = column_labels(name)
    labels = release.labels[name]
    return TableBlock(
        name=name,
        title=str(TABLES[name]),
        columns=[columns[c] for c in table.columns],
        rows=[
            (labels[key], [shown(v) for v in cells], shown(total))
            for key, cells, total in zip(table.rows, table.cells, table.row_totals, strict=True)
        ],
        totals=[shown(v) for v in table.column_totals],
        total=shown(table.total),
        withheld=table.withheld,
        heading=row_heading(name),
    )


def _when(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _title(report: ReportRun) -> tuple[str, str]:
    if report.kind == ReportRun.Kind.QUARTERLY:
        return _("Quarterly report on trafficking in human beings"), report.period_name
    return _("Annual report on trafficking in human beings"), report.period_name


def report_document(report: ReportRun, release: Release, agency: str) -> Document:
    """What the report says, in the active language."""
    title, period = _title(report)
    blocks = {name: _block(release, name) for name in TABLES if name in release.tables}
    first = next(iter(release.tables.values()), None)
    summary: list[tuple[str, str]] = []
    if first is not None:
        columns = column_labels()
        summary = [
            (columns[c], shown(v)) for c, v in zip(first.columns, first.column_totals, strict=True)
        ]
        summary.append((_("People counted"), shown(first.total)))
    protected = release.scope != AGENCY
    document = Document(
        title=title,
        period=period,
        scope=_("My agency") if not protected else _("National (protected)"),
        protected=protected,
        k=release.k,
        rounding=release.rounding,
        agency=agency,
        generated=_when(timezone.now()),
        counted=_when(release.counted_at) if release.counted_at else "",
        uncertain=release.uncertain,
        summary=summary,
        eurostat=[blocks[n] for n in EUROSTAT_TABLES if n in blocks],
        others=[block for name, block in blocks.items() if name not in EUROSTAT_TABLES],
    )
    document.notes = method_notes(document)
    return document


def render_pdf(document: Document, language: str) -> bytes:
    """The document as PDF (WeasyPrint; fonts from the system, DejaVu for Kazakh letters)."""
    from weasyprint import HTML  # imported here: it loads Pango, which only reports need

    html = render_to_string("reports/document.html", {"doc": document, "language": language})
    pdf: Any = HTML(string=html, base_url=None).write_pdf()
    return bytes(pdf)


def _sheet_title(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:28] or "Table"
    name, n = base, 2
    while name in used:
        name, n = f"{base} {n}", n + 1
    used.add(name)
    return name


def render_xlsx(document: Document) -> bytes:
    """The document as a workbook: a summary sheet, then one sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    summary = workbook.active
    assert summary is not None  # noqa: S101 - a new workbook has one sheet
    used: set[str] = set()
    summary.title = _sheet_title(_("Summary"), used)
    bold = Font(bold=True)
    summary.append([document.title])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([_("Period"), document.period])
    summary.append([_("Whose work"), document.scope])
    summary.append([_("Agency"), document.agency])
    summary.append([_("Prepared on"), document.generated])
    summary.append([_("Figures as of"), document.counted])
    summary.append([])
    for label, value in document.summary:
        summary.append([label, value])
    summary.append([])
    for line in document.notes:
        summary.append([line])
        summary.cell(row=summary.max_row, column=1).alignment = Alignment(wrap_text=False)
    summary.column_dimensions["A"].width = 42
    summary.column_dimensions["B"].width = 24
    for block in [*document.eurostat, *document.others, *document.mechanism]:
        sheet = workbook.create_sheet(_sheet_title(block.title, used))
        sheet.append(
            [block.heading or block.title, *block.columns, *([_("Total")] if block.totals else [])]
        )
        for cell in sheet[1]:
            cell.font = bold
        for label, cells, total in block.rows:
            sheet.append(
                [label, *(_number(v) for v in cells), *([_number(total)] if total else [])]
            )
        if block.totals:
            sheet.append([_("Total"), *(_number(v) for v in block.totals), _number(block.total)])
            for cell in sheet[sheet.max_row]:
                cell.font = bold
        sheet.column_dimensions["A"].width = 40
        for letter in "BCD":
            sheet.column_dimensions[letter].width = 20
        sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _number(value: str) -> int | str:
    return int(value) if value.isdigit() else value


def method_notes(document: Document) -> list[str]:
    """How the figures were counted and protected (the report's last section)."""
    notes = [
        _(
            "Each person is counted once: the cases of one person, and of records that matching "
            "confirmed to be the same person, count as one."
        ),
        _(
            "Pairs of records that may be one person counted twice (matching is unsure, nobody "
            "has decided): %(count)s."
        )
        % {"count": document.uncertain},
    ]
    if document.protected:
        notes.append(
            _(
                "Every agency, protected: a value counting fewer than %(k)s people is withheld "
                "(×), so are the values that would reveal it, and every value is rounded to a "
                "multiple of %(base)s."
            )
            % {"k": document.k, "base": document.rounding}
        )
    else:
        notes.append(_("Your agency's cases, as counted."))
    return notes
