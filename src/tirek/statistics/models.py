"""The pre-aggregated statistics: de-identified facts, the cells summed from them, a watermark.

Nothing here names a person. A :class:`Fact` is one person as counted (nationally, or within one
agency's own work) with generalised dimensions only: the quarter, the territory (a region), and
codes such as the sex, the age group or the forms of exploitation. Its ``key`` is a keyed hash
(HMAC) that lets the refresh replace a person's facts when their cases change; it cannot be
turned back into an id. :class:`Cell` holds the counts summed from the facts, one row per
scope, quarter, territory, dimension, value and series, so that a dashboard sums a few thousand
rows instead of reading a million cases (docs/statistics.md).
"""

from __future__ import annotations

from django.db import models

NATIONAL = ""  # the scope of national facts and cells; otherwise an agency's id


class Fact(models.Model):
    """One person as counted in one scope, with generalised dimensions only."""

    id = models.BigAutoField(primary_key=True)
    unit = models.CharField(max_length=16, default="person")
    scope = models.CharField(max_length=36, blank=True)  # NATIONAL or the agency's id
    key = models.CharField(max_length=32)  # HMAC of the person group, not an id
    quarter = models.PositiveIntegerField()  # year * 10 + quarter: 20264
    territory = models.CharField(max_length=32)
    series = models.CharField(max_length=16)  # presumed or identified
    dims = models.JSONField(default=dict)  # dimension -> code, or list of codes
    noise_key = models.BigIntegerField()  # random, kept while the person's facts are refreshed

    class Meta:
        indexes = [
            models.Index(fields=["unit", "scope", "quarter"], name="statistics_fact_scope"),
            # A refresh finds a person's facts by key and unit: with the key alone SQLite's
            # planner chose the (unit, ...) index and read every fact of the unit (3 s at
            # 100,000 people).
            models.Index(fields=["key", "unit"], name="statistics_fact_key"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.scope or 'national'} {self.quarter}"


class Cell(models.Model):
    """How many facts of one scope, quarter and territory have a value of a dimension."""

    id = models.BigAutoField(primary_key=True)
    unit = models.CharField(max_length=16, default="person")
    scope = models.CharField(max_length=36, blank=True)
    quarter = models.PositiveIntegerField()
    territory = models.CharField(max_length=32)
    dimension = models.CharField(max_length=32)
    value = models.CharField(max_length=64)
    series = models.CharField(max_length=16)
    n = models.IntegerField(default=0)
    key_sum = models.BigIntegerField(default=0)  # sum of the facts' noise keys (cell key)

    class Meta:
        # The release reads one territory (or all together) of one scope, grouped by dimension,
        # value and series; the quarter and territory tables read the sex cells.
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "scope", "territory", "dimension", "value", "series", "quarter"],
                name="statistics_one_cell",
            )
        ]
        indexes = [
            models.Index(
                fields=["unit", "scope", "dimension", "territory", "series", "quarter"],
                name="statistics_cell_dimension",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dimension}={self.value} {self.series}: {self.n}"


class Watermark(models.Model):
    """How far the refresh has read the case timeline and the matching decisions."""

    name = models.CharField(max_length=32, primary_key=True)
    case_event_id = models.BigIntegerField(default=0)
    pair_decision_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class StepFact(models.Model):
    """One step of a case's checklist as counted for the mechanism's performance.

    Holds the step, the mechanism version, the region of the agency owning the case, agency ids,
    the stage, whether it was met, and durations; no case id, no name. ``key`` is a keyed hash
    of the checklist item (it lets the refresh replace the fact and cannot be turned back into
    an id). Open steps keep their due time: whether one is overdue is decided when read.
    """

    id = models.BigAutoField(primary_key=True)
    key = models.CharField(max_length=32, unique=True)
    mechanism = models.ForeignKey(
        "mechanisms.Mechanism", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    step = models.ForeignKey("mechanisms.Step", on_delete=models.CASCADE, related_name="+")
    step_code = models.CharField(max_length=64)
    stage = models.CharField(max_length=20)
    agency_type = models.CharField(max_length=40, blank=True)  # who the step says acts
    territory = models.CharField(max_length=32)  # region of the agency owning the case
    owner_agency_id = models.CharField(max_length=36)
    acting_agency_id = models.CharField(max_length=36)  # who had to act (referral, named, owner)
    quarter = models.PositiveIntegerField()  # of the due time (of the start without a deadline)
    status = models.CharField(max_length=12)  # the checklist item's status
    started_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True)
    late = models.BooleanField(null=True)  # closed after its due time; None while open
    wait_minutes = models.PositiveIntegerField(null=True)  # start to closing; None while open
    allowed_minutes = models.PositiveIntegerField(null=True)  # start to due time (the deadline)
    noise_key = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["mechanism", "quarter"], name="statistics_stepfact_mechanism"),
            models.Index(fields=["quarter", "territory"], name="statistics_stepfact_quarter"),
            # A release reads the open steps of the current quarter and later (overdue or not
            # at the moment of reading): without the status first it read every step of those
            # quarters.
            models.Index(fields=["status", "quarter"], name="statistics_stepfact_open"),
        ]

    def __str__(self) -> str:
        return f"{self.step_code} {self.territory} {self.quarter}"


class StepCell(models.Model):
    """Step facts summed, so that a performance release reads a few thousand rows, not a
    million facts (docs/statistics.md).

    One row per scope (NATIONAL or an agency's id: the steps of its cases and those it had to
    act on), quarter of the due time (``year * 10 + quarter``; ``year * 10``: the whole year,
    :func:`year_row`; ``ALL_QUARTERS``: every quarter together), mechanism version, step and
    territory, and per ``measure``: how many steps were met, late, not done
    or are open with a due time (with the sum of their noise keys), or how many steps done took
    (``taken``) or were allowed (``allowed``) ``minutes`` — a duration as shown, whole hours up
    to two days and whole days beyond, so that percentiles are read from a histogram.
    """

    ALL_QUARTERS = 0  # and year * 10 for a whole year (the quarters are year * 10 + 1..4)

    id = models.BigAutoField(primary_key=True)
    scope = models.CharField(max_length=36, blank=True)
    quarter = models.PositiveIntegerField()
    mechanism = models.ForeignKey(
        "mechanisms.Mechanism", on_delete=models.CASCADE, related_name="+"
    )
    stage = models.CharField(max_length=20)
    step_code = models.CharField(max_length=64)
    territory = models.CharField(max_length=32)
    measure = models.CharField(max_length=12)
    minutes = models.PositiveIntegerField(default=0)  # a duration bucket; 0 for the counts
    n = models.IntegerField(default=0)
    key_sum = models.BigIntegerField(default=0)  # sum of the steps' noise keys (cell key)

    class Meta:
        # A release reads one scope and quarter (or a range of quarters) grouped by step,
        # territory, measure and minutes: the unique index in that order serves it.
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "scope",
                    "quarter",
                    "stage",
                    "step_code",
                    "territory",
                    "measure",
                    "minutes",
                    "mechanism",
                ],
                name="statistics_one_step_cell",
            )
        ]
        indexes = [
            # PostgreSQL reads a release's cells from this index alone (an index-only scan):
            # the national cells lie scattered among the agencies' (90 % of the rows), and
            # fetching them from the table took 450 ms of 590 at 1,000,000 steps. Django makes
            # no index with ``include`` where the database has none (SQLite).
            models.Index(
                fields=["scope", "quarter", "measure"],
                include=["stage", "step_code", "territory", "minutes", "mechanism", "n", "key_sum"],
                name="statistics_stepcell_release",
            )
        ]

    def __str__(self) -> str:
        return f"{self.step_code} {self.territory} {self.quarter} {self.measure}: {self.n}"


def year_row(quarter: int) -> int:
    """The ``StepCell.quarter`` of the whole year a quarter (``year * 10 + q``) lies in."""
    return quarter // 10 * 10


class PrivacyBudgetYear(models.Model):
    """The row a differentially private release locks while it checks and spends the year's
    privacy budget (the ledger itself is the audit chain: ``selectors.dp_spent``). Holding it
    (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's write lock, taken when the transaction
    begins) makes two releases at once check and spend one after the other, so they cannot
    both spend the last of the budget."""

    year = models.PositiveSmallIntegerField(primary_key=True)

    def __str__(self) -> str:
        return str(self.year)
