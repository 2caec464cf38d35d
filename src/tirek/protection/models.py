"""Protection of the person: informed consent (HTCDS ``con_``), the reflection and recovery
period, risk assessments and the safety plan, needs and the support plan (HTCDS ``spl_``)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tirek.cases.choices import RiskLevel, Sex
from tirek.core.crypto import EncryptedCharField, EncryptedTextField
from tirek.core.models import BaseModel
from tirek.protection.choices import (
    BestInterestsDecision,
    GuardianRelation,
    ProceedingKind,
    ProceedingRole,
    ReflectionOutcome,
    RelationshipToTrafficker,
    SupportStatus,
    SupportType,
)


class Consent(BaseModel):
    """A person's informed consent, recorded by a worker; can be withdrawn, never edited."""

    class Purpose(models.TextChoices):
        REFERRAL = "referral", _("Referral to another agency for a service")
        DATA_PROCESSING = "data_processing", _("Processing of personal data")

    class Method(models.TextChoices):
        WRITTEN = "written", _("Written, signed")
        VERBAL = "verbal", _("Verbal, witnessed")
        GUARDIAN = "guardian", _("By the legal guardian (child)")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    recipient_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("shared with"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leave empty if the person agreed to referral to any agency of the mechanism."),
    )
    service_type = models.ForeignKey(
        "directory.ServiceType",
        verbose_name=_("for the service"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sections = models.JSONField(_("what may be shared"), default=list)
    method = models.CharField(_("how consent was given"), max_length=16, choices=Method.choices)
    given_on = models.DateField(_("date given"), default=datetime.date.today)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = EncryptedCharField(_("reason for withdrawal"), max_length=300, blank=True)

    class Meta:
        ordering = ["-given_on", "-created_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"Consent {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    def covers(self, *, agency_id: object, sections: set[str]) -> bool:
        """Whether this consent allows sharing ``sections`` with the agency for a referral."""
        return (
            self.is_active
            and self.purpose == self.Purpose.REFERRAL
            and (self.recipient_agency_id is None or self.recipient_agency_id == agency_id)
            and sections <= set(self.sections)
        )


class ReflectionPeriod(BaseModel):
    """A reflection and recovery period (Council of Europe Convention art. 13): time for the
    person to recover and decide, free of expulsion and of pressure to cooperate."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="reflection_periods"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    days_granted = models.PositiveSmallIntegerField(_("days granted"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=24, choices=ReflectionOutcome.choices, blank=True
    )
    outcome_note = EncryptedTextField(_("note on the outcome"), blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "-created_at"]
        verbose_name = _("reflection period")
        verbose_name_plural = _("reflection periods")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(ended_on__isnull=True),
                name="one_running_reflection_period_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"Reflection period {self.pk}"

    @property
    def is_running(self) -> bool:
        return self.ended_on is None

    def days_left(self, today: datetime.date) -> int:
        return (self.ends_on - today).days


class ReflectionExtension(BaseModel):
    """An extension of a running reflection period, with the reason for it."""

    period = models.ForeignKey(
        ReflectionPeriod, on_delete=models.CASCADE, related_name="extensions"
    )
    days = models.PositiveSmallIntegerField(_("extra days"))
    previous_ends_on = models.DateField()
    reason = EncryptedTextField(_("reason for the extension"))
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")

    def __str__(self) -> str:
        return f"Extension {self.pk}"


class RiskAssessment(BaseModel):
    """One assessment of the risks to the person; the latest one is the case's risk level."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="risk_assessments"
    )
    assessed_on = models.DateField(_("assessed on"), default=datetime.date.today)
    level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices)
    factors = models.JSONField(_("risk factors"), default=list, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_by_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-assessed_on", "-created_at"]
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")

    def __str__(self) -> str:
        return f"Risk assessment {self.pk}"


class SafetyPlan(BaseModel):
    """What keeps the person safe: the measures agreed, who to call, where to go."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="safety_plan")
    measures = EncryptedTextField(_("safety measures"))
    emergency_contacts = EncryptedTextField(_("who to call in an emergency"), blank=True)
    safe_place = EncryptedTextField(_("where to go if in danger"), blank=True)
    review_on = models.DateField(_("review on"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("safety plan")
        verbose_name_plural = _("safety plans")

    def __str__(self) -> str:
        return f"Safety plan {self.pk}"


class SupportPlan(BaseModel):
    """One need of the person and the plan to meet it (HTCDS ``spl_``), optionally delivered
    through a referral."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="support_plans")
    type = models.CharField(_("type"), max_length=40, choices=SupportType.choices)  # spl_Type
    status = models.CharField(
        _("status"), max_length=12, choices=SupportStatus.choices, default=SupportStatus.NEEDED
    )
    objectives = EncryptedTextField(_("objectives"))  # spl_Objectives
    action_plan = EncryptedTextField(_("action plan"), blank=True)  # spl_ActionPlan
    planned_start_date = models.DateField(_("planned start"), null=True, blank=True)
    actual_start_date = models.DateField(_("actual start"), null=True, blank=True)
    planned_end_date = models.DateField(  # spl_PlannedEndDate
        _("planned end"), null=True, blank=True
    )
    actual_end_date = models.DateField(_("actual end"), null=True, blank=True)  # spl_ActualEndDate
    referral = models.ForeignKey(
        "referrals.Referral",
        verbose_name=_("delivered through the referral"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_plans",
    )
    delivery_notes = EncryptedTextField(_("notes of the agency providing it"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("support plan")
        verbose_name_plural = _("support plans")

    def __str__(self) -> str:
        return f"Support plan {self.pk}"


class ChildGuardian(BaseModel):
    """The guardian or legal representative of a child (one per child's case)."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="guardian")
    name = EncryptedCharField(_("name"), max_length=200)
    relation = models.CharField(
        _("relation to the child"), max_length=24, choices=GuardianRelation.choices
    )
    organisation = EncryptedCharField(_("organisation"), max_length=200, blank=True)
    contact = EncryptedCharField(_("how to reach them"), max_length=300, blank=True)
    appointed_on = models.DateField(_("appointed on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("guardian or legal representative")
        verbose_name_plural = _("guardians and legal representatives")

    def __str__(self) -> str:
        return f"Guardian {self.pk}"  # never the name


class BestInterestsAssessment(BaseModel):
    """A best-interests assessment of a child and the decision taken on it (UNCRC art. 3)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="best_interests")
    assessed_on = models.DateField(_("assessed on"), default=datetime.date.today)
    assessment = EncryptedTextField(_("assessment"))
    childs_views = EncryptedTextField(_("the child's own views"), blank=True)
    decision = models.CharField(_("decision"), max_length=40, choices=BestInterestsDecision.choices)
    decision_note = EncryptedTextField(_("reasons for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-assessed_on", "-created_at"]
        verbose_name = _("best-interests assessment")
        verbose_name_plural = _("best-interests assessments")

    def __str__(self) -> str:
        return f"Best-interests assessment {self.pk}"


class Perpetrator(BaseModel):
    """A person who took part in the trafficking (HTCDS ``per_`` with ``prs_`` names); seen only
    by agencies granted the perpetrators section (police, prosecutors)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="perpetrators")
    name = EncryptedCharField(_("name or alias"), max_length=200, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    citizenship = models.JSONField(_("nationality"), default=list, blank=True)  # prs_Citizenship
    roles = models.JSONField(_("role in the trafficking"), default=list)  # per_RoleInProcess
    role_details = EncryptedTextField(_("details of the role"), blank=True)  # per_RoleDetails
    relationship = models.CharField(  # vic_RelationshipToTrafficker
        _("relationship to the person"),
        max_length=16,
        choices=RelationshipToTrafficker.choices,
        blank=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("perpetrator")
        verbose_name_plural = _("perpetrators")

    def __str__(self) -> str:
        return f"Perpetrator {self.pk}"  # never the name


class ReturnPlan(BaseModel):
    """Return and reintegration: where to, with whom, documents, the risk of return, the plan,
    and the contacts after return (one per case)."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="return_plan")
    destination_country = models.CharField(_("destination country"), max_length=3)  # ISO 3166
    destination_place = EncryptedCharField(
        _("destination (town, address)"), max_length=300, blank=True
    )
    embassy = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("embassy or consulate involved"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    travel_documents = EncryptedTextField(_("travel documents"), blank=True)
    return_risk = models.CharField(
        _("risk of return"), max_length=8, choices=RiskLevel.choices, blank=True
    )
    return_risk_notes = EncryptedTextField(_("risk assessment of the return"), blank=True)
    reintegration_plan = EncryptedTextField(_("reintegration plan"), blank=True)
    planned_on = models.DateField(_("planned return date"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    follow_up_contacts = EncryptedTextField(_("follow-up contacts after return"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("return and reintegration plan")
        verbose_name_plural = _("return and reintegration plans")

    def __str__(self) -> str:
        return f"Return plan {self.pk}"


class Proceeding(BaseModel):
    """Criminal, civil or other proceedings the person takes part in (several per case)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="proceedings")
    kind = models.CharField(
        _("proceedings"),
        max_length=16,
        choices=ProceedingKind.choices,
        default=ProceedingKind.CRIMINAL,
    )
    police_reference = EncryptedCharField(_("police case number"), max_length=100, blank=True)
    court_reference = EncryptedCharField(_("court case number"), max_length=100, blank=True)
    role = models.CharField(_("the person's role"), max_length=16, choices=ProceedingRole.choices)
    protection_measures = EncryptedTextField(_("protection measures"), blank=True)
    next_hearing_on = models.DateField(_("next hearing"), null=True, blank=True)
    hearings = EncryptedTextField(_("hearing dates and results"), blank=True)
    legal_aid = EncryptedTextField(_("legal aid (lawyer, organisation)"), blank=True)
    compensation = EncryptedTextField(_("compensation claims"), blank=True)
    non_punishment = EncryptedTextField(_("non-punishment note"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("proceedings")
        verbose_name_plural = _("proceedings")

    def __str__(self) -> str:
        return f"Proceedings {self.pk}"
