"""The report as a document: its content (from the statistics release), then PDF or XLSX.

The tables come from the statistics app's release (``statistics.services.statistics_release``),
so the report shows exactly what the dashboard would: the national tables protected (k,
complementary suppression, rounding), an agency's own as counted. Rendering runs inside
``translation.override(report.language)``.
"""

from __future__ import annotations

import datetime
import io
import math
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
    privacy: Privacy | None = None  # a differentially private report's ε, δ and noise


@dataclass(frozen=True)
class Privacy:
    """What a differentially private report states: its ε, δ and noise, and the tables left
    out because differential privacy has no mechanism for them."""

    epsilon: str
    delta: str
    mechanism: str
    epsilon_each: str  # ε of each table (split evenly)
    tables: int
    left_out: list[str]


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
    privacy = _privacy(release)
    if privacy is not None:
        scope = _("National (differential privacy)")
    else:
        scope = _("My agency") if not protected else _("National (protected)")
    document = Document(
        title=title,
        period=period,
        scope=scope,
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
        privacy=privacy,
    )
    document.notes = method_notes(document)
    return document


def _power_of_ten(value: float) -> str:
    """δ as written in a report: 10⁻⁷ rather than 1e-07."""
    if value <= 0:
        return "0"
    exponent = round(math.log10(value))
    if math.isclose(value, 10.0**exponent):
        digits = str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
        return f"10{digits}"
    return f"{value:g}"


def _privacy(release: Release) -> Privacy | None:
    budget = release.budget
    if budget is None:
        return None
    mechanisms = dict(ReportRun.Mechanism.choices)
    shares = list(budget.per_table.values())
    left_out = [str(title) for name, title in TABLES.items() if name not in release.tables]
    return Privacy(
        epsilon=f"{budget.epsilon:g}",
        delta=_power_of_ten(budget.delta),
        mechanism=str(mechanisms.get(budget.mechanism, budget.mechanism)),
        epsilon_each=f"{max(shares):.3g}" if shares else "0",
        tables=len(shares),
        left_out=[*left_out, _("Mechanism performance")],
    )


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
    if document.privacy is not None:
        summary.append([_("Protection"), _("Differential privacy")])
        summary.append([_("Noise"), document.privacy.mechanism])
        summary.append(["ε", float(document.privacy.epsilon)])
        summary.append(["δ", document.privacy.delta])
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


def privacy_notes(privacy: Privacy) -> list[str]:
    """How a differentially private report was protected: ε, δ, the noise, what is left out."""
    return [
        _(
            "Pairs of records that may be one person counted twice are not released under "
            "differential privacy: one person may lie in any number of pairs."
        ),
        _(
            "Differential privacy (OpenDP): random noise from the %(mechanism)s mechanism was "
            "added to every value of the national tables. The whole report spends ε = "
            "%(epsilon)s of this year's national privacy budget, split evenly over its "
            "%(tables)s tables (ε = %(each)s each); δ = %(delta)s."
        )
        % {
            "mechanism": privacy.mechanism,
            "epsilon": privacy.epsilon,
            "tables": privacy.tables,
            "each": privacy.epsilon_each,
            "delta": privacy.delta,
        },
        _(
            "No value is withheld or rounded: a negative noisy count is shown as 0, and every "
            "total is the sum of the values shown, so the totals of two tables may differ a "
            "little."
        ),
        _(
            "Left out of this report, because differential privacy has no mechanism for them "
            "(one person may count in them any number of times): %(tables)s."
        )
        % {"tables": "; ".join(privacy.left_out)},
    ]


def method_notes(document: Document) -> list[str]:
    """How the figures were counted and protected (the report's last section)."""
    notes = [
        _(
            "Each person is counted once: the cases of one person, and of records that matching "
            "confirmed to be the same person, count as one."
        ),
    ]
    if document.privacy is not None:
        return notes + privacy_notes(document.privacy)
    notes.append(
        _(
            "Pairs of records that may be one person counted twice (matching is unsure, nobody "
            "has decided): %(count)s."
        )
        % {"count": document.uncertain}
    )
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
