"""Local referral mechanisms as data: versions per territory, the NRM stages and their steps.

A mechanism is written by the agencies of a territory (a city, a region, the country) and kept
as versions: several drafts may coexist, one version is in force per territory, earlier ones are
retired. Each step says who acts or is told (an agency type or a named agency), for which
service, within which deadline counted from which event, and for whom it applies. The deadline
values are data the coordinators set.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tirek.accounts.models import Agency
from tirek.core.models import BaseModel
from tirek.directory.models import TrilingualLabel


class MechanismStage(models.TextChoices):
    """The stages of a referral mechanism (OSCE/ODIHR NRM handbook), in order."""

    IDENTIFICATION = "identification", _("Identification")
    FIRST_ASSISTANCE = "first_assistance", _("First assistance and protection")
    REFLECTION = "reflection", _("Reflection and recovery")
    LONG_TERM = "long_term", _("Long-term assistance and social inclusion")
    RETURN = "return", _("Return and reintegration")
    PROCEEDINGS = "proceedings", _("Criminal and civil proceedings")


class Mechanism(BaseModel):
    """One version of a territory's referral mechanism."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_FORCE = "in_force", _("In force")
        RETIRED = "retired", _("Retired")

    territory = models.ForeignKey(
        "directory.Place",
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        related_name="mechanisms",
    )
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    deadlines_illustrative = models.BooleanField(
        _("deadlines are illustrative"),
        default=False,
        help_text=_("The deadlines are examples, not values the agencies agreed on."),
    )
    reflection_days = models.PositiveSmallIntegerField(
        _("reflection period (days)"),
        null=True,
        blank=True,
        help_text=_(
            "How long the reflection and recovery period of a case under this mechanism is; "
            "empty: 30 days."
        ),
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    in_force_at = models.DateTimeField(_("in force since"), null=True, blank=True)
    in_force_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        ordering = ["territory__name_en", "-number"]
        verbose_name = _("referral mechanism")
        verbose_name_plural = _("referral mechanisms")
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "number"], name="mechanism_number_per_territory"
            ),
            models.UniqueConstraint(
                fields=["territory"],
                condition=models.Q(status="in_force"),
                name="one_mechanism_in_force_per_territory",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.territory} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Step(TrilingualLabel, BaseModel):
    """What must happen at a stage: who acts or is told, which service, by when, for whom."""

    class Action(models.TextChoices):
        ACT = "act", _("Acts")
        NOTIFY = "notify", _("Is notified")

    class Unit(models.TextChoices):
        HOURS = "hours", _("hours")
        DAYS = "days", _("days")
        WORKING_DAYS = "working_days", _("working days")

    class CountedFrom(models.TextChoices):
        STAGE_ENTERED = "stage_entered", _("the case entering the stage")
        CASE_REGISTERED = "case_registered", _("the case being registered")

    class AgeGroup(models.TextChoices):
        ANY = "any", _("adults and children")
        ADULT = "adult", _("adults only")
        CHILD = "child", _("children only")

    class Citizenship(models.TextChoices):
        ANY = "any", _("citizens and foreigners")
        CITIZEN = "citizen", _("citizens only")
        FOREIGNER = "foreigner", _("foreign nationals only")

    mechanism = models.ForeignKey(Mechanism, on_delete=models.CASCADE, related_name="steps")
    code = models.SlugField(_("code"), max_length=64)
    stage = models.CharField(_("stage"), max_length=20, choices=MechanismStage.choices)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    agency_type = models.CharField(
        _("agency type"), max_length=40, choices=Agency.Type.choices, blank=True
    )
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("named agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    service_type = models.ForeignKey(
        "directory.ServiceType",
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    deadline_value = models.PositiveIntegerField(_("deadline"), null=True, blank=True)
    deadline_unit = models.CharField(
        _("unit"), max_length=16, choices=Unit.choices, default=Unit.HOURS
    )
    counted_from = models.CharField(
        _("counted from"),
        max_length=20,
        choices=CountedFrom.choices,
        default=CountedFrom.STAGE_ENTERED,
    )
    escalate_after = models.PositiveIntegerField(
        _("escalate after (same unit)"), null=True, blank=True
    )
    age_group = models.CharField(
        _("applies to"), max_length=8, choices=AgeGroup.choices, default=AgeGroup.ANY
    )
    citizenship = models.CharField(
        _("citizenship"), max_length=12, choices=Citizenship.choices, default=Citizenship.ANY
    )
    exploitation = models.JSONField(_("forms of exploitation"), default=list, blank=True)

    class Meta:
        ordering = ["mechanism", "position", "code"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [
            models.UniqueConstraint(fields=["mechanism", "code"], name="step_code_per_mechanism"),
        ]


class CaseMechanism(models.Model):
    """The mechanism version a case started under; the case keeps it when another comes in force."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="mechanism_link"
    )
    mechanism = models.ForeignKey(Mechanism, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mechanism of a case")
        verbose_name_plural = _("mechanisms of cases")

    def __str__(self) -> str:
        return f"{self.case_id} -> {self.mechanism_id}"


class ChecklistItem(BaseModel):
    """A step of the mechanism that applies to one case, with its due time: the case's checklist.

    Made when the case enters the step's stage; closed by hand or by the referral (in Tirek or
    outside it) that delivers it; cancelled when the consent it depends on is withdrawn. Holds
    codes and ids only."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        NOT_DONE = "not_done", _("Not done")
        CANCELLED = "cancelled", _("Cancelled")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="checklist")
    step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(_("stage"), max_length=20, choices=MechanismStage.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    responsible_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("responsible agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        verbose_name=_("referral"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    outside_referral = models.ForeignKey(
        "referrals.OutsideReferral",
        verbose_name=_("referral outside Tirek"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)
    escalate_at = models.DateTimeField(_("escalated after"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    support_plans = models.ManyToManyField(
        "protection.SupportPlan",
        verbose_name=_("needs it delivers"),
        blank=True,
        related_name="checklist_items",
    )

    class Meta:
        ordering = ["due_at", "created_at"]
        verbose_name = _("checklist step")
        verbose_name_plural = _("checklist steps")
        constraints = [
            models.UniqueConstraint(fields=["case", "step"], name="one_item_per_step_and_case"),
        ]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.step_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


WEEKDAYS = (
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
)


class WorkingCalendar(BaseModel):
    """The weekend and the public holidays of a country, region or city: what deadlines in working
    days skip. A city's calendar adds to its country's (a regional holiday); the nearest calendar
    that exists gives the weekend."""

    territory = models.OneToOneField(
        "directory.Place",
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        related_name="working_calendar",
    )
    weekend_days = models.JSONField(
        _("weekend days"), default=list, help_text=_("0 is Monday, 6 is Sunday.")
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["territory__name_en"]
        verbose_name = _("working calendar")
        verbose_name_plural = _("working calendars")

    def __str__(self) -> str:
        return str(self.territory)


class CalendarDay(TrilingualLabel, BaseModel):
    """A public holiday (a day off) or a working day moved onto a weekend, in one calendar."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Day off")
        WORKING = "working", _("Working day")

    calendar = models.ForeignKey(WorkingCalendar, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.HOLIDAY)

    class Meta:
        ordering = ["calendar", "date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="one_entry_per_calendar_day"),
        ]
