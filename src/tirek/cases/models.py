"""Persons, cases (HTCDS ``prs_``, ``vic_``, ``cas_``), historic events and the case timeline."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tirek.cases.choices import (
    AgeGroup,
    BirthDatePrecision,
    CaseStatus,
    DecisionMakingOrg,
    Gender,
    HistoricEventType,
    NrmStage,
    RiskLevel,
    Sex,
    TraffickingStatus,
)
from tirek.core.chain import ChainedModel, Link
from tirek.core.crypto import EncryptedCharField, EncryptedDateField, EncryptedTextField
from tirek.core.models import BaseModel


def new_case_reference() -> str:
    """A short, non-enumerable, human-readable case reference (no personal data in it)."""
    alphabet = "ACDEFGHJKLMNPQRTUVWXY3479"
    return "TK-" + "".join(secrets.choice(alphabet) for _ in range(8))


def _whole_years(start: datetime.date, day: datetime.date) -> int:
    """Whole years from ``start`` to ``day`` (negative before ``start``)."""
    return day.year - start.year - ((day.month, day.day) < (start.month, start.day))


class Person(BaseModel):
    """A presumed or identified victim (HTCDS ``prs_``)."""

    first_name = EncryptedCharField(_("given name"), max_length=100, blank=True)  # prs_FirstName
    patronymic = EncryptedCharField(_("patronymic"), max_length=100, blank=True)  # prs_MiddleName
    family_name = EncryptedCharField(  # prs_SecondName
        _("family name"), max_length=100, blank=True
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    gender = models.CharField(  # prs_Gender
        _("gender"), max_length=24, choices=Gender.choices, default=Gender.UNKNOWN
    )
    birth_date = EncryptedDateField(_("birth date"), null=True, blank=True)  # prs_Birthdate
    birth_date_precision = models.CharField(
        _("birth date precision"),
        max_length=8,
        choices=BirthDatePrecision.choices,
        default=BirthDatePrecision.DAY,
    )
    approximate_age = models.PositiveSmallIntegerField(_("approximate age"), null=True, blank=True)
    age_estimated_on = models.DateField(_("age estimated on"), null=True, blank=True)
    citizenship = models.JSONField(_("citizenship"), default=list, blank=True)  # prs_Citizenship
    primary_language = models.CharField(  # prs_PrimaryLanguage
        _("primary language"), max_length=8, blank=True
    )
    secondary_language = models.CharField(  # prs_SecondaryLanguage
        _("secondary language"), max_length=8, blank=True
    )
    mobile_phone = EncryptedCharField(  # prs_MobilePhone
        _("mobile phone"), max_length=20, blank=True
    )
    email = EncryptedCharField(_("e-mail"), max_length=254, blank=True)  # prs_Email
    contact_notes = EncryptedCharField(_("safe way to contact"), max_length=300, blank=True)
    # One version per part that can be corrected on its own, so that two people correcting
    # different parts never refuse each other (``cases.corrections``).
    identity_version = models.PositiveIntegerField(default=1)
    contact_version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return f"Person {self.pk}"  # never the name: str() may reach logs

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.family_name, self.first_name, self.patronymic) if p)

    def age_on(self, day: datetime.date) -> int | None:
        """Age in whole years on ``day``, from the birth date or the estimate (which grows by
        the whole years since it was made, not by the New Years passed)."""
        if self.birth_date:
            return _whole_years(self.birth_date, day)
        if self.approximate_age is not None:
            since = self.age_estimated_on or day
            return self.approximate_age + max(0, _whole_years(since, day))
        return None


class Case(BaseModel):
    """One person's case, owned by one agency (HTCDS ``cas_`` and ``vic_``)."""

    reference = models.CharField(
        _("reference"), max_length=16, unique=True, default=new_case_reference, editable=False
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    owner_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("owning agency"),
        on_delete=models.PROTECT,
        related_name="owned_cases",
    )
    case_worker = models.ForeignKey(  # cas_CaseOwner
        settings.AUTH_USER_MODEL,
        verbose_name=_("case worker"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(  # cas_Status
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.ACTIVE
    )
    nrm_stage = models.CharField(
        _("stage"), max_length=20, choices=NrmStage.choices, default=NrmStage.IDENTIFICATION
    )
    trafficking_status = models.CharField(  # vic_TraffickingStatus
        _("trafficking status"),
        max_length=32,
        choices=TraffickingStatus.choices,
        default=TraffickingStatus.POSSIBLE,
    )
    trafficking_status_decision_org = models.CharField(  # vic_TraffickingStatusDecisionMakingOrg
        _("status decided by"), max_length=40, choices=DecisionMakingOrg.choices, blank=True
    )
    types_of_exploitation = models.JSONField(  # vic_TypeOfExploitation
        _("type of exploitation"), default=list, blank=True
    )
    methods_of_control = models.JSONField(  # vic_MethodsOfControl
        _("means of control"), default=list, blank=True
    )
    age_when_trafficked = models.PositiveSmallIntegerField(  # vic_AgeWhenTrafficked
        _("age when trafficked"), null=True, blank=True
    )
    agreement_to_manage_personal_data = models.BooleanField(  # vic_AgreementToManagePersonalData
        _("agrees to the processing of personal data"), default=False
    )
    risk_level = models.CharField(  # of the latest risk assessment (protection)
        _("risk"), max_length=8, choices=RiskLevel.choices, blank=True
    )
    is_child = models.BooleanField(_("child"), default=False)  # protection marks it
    opened_on = models.DateField(_("opened on"), default=datetime.date.today)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = EncryptedTextField(  # cas_ReasonForCaseClosure
        _("reason for closing the case"), blank=True
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    # De-identified statistics, copied from the person when the case is anonymised.
    stats_age_group = models.CharField(
        _("age group at identification"), max_length=8, choices=AgeGroup.choices, blank=True
    )
    stats_sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    stats_citizenship = models.JSONField(_("citizenship"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["owner_agency", "-created_at"]),
            # The case list's order: newest first, its first page read from the index without
            # sorting every visible case (issue 14, bench/load.py).
            models.Index(fields=["-created_at", "id"], name="cases_case_newest"),
        ]

    def __str__(self) -> str:
        return self.reference


class HistoricEvent(BaseModel):
    """Where and when recruitment, transit or exploitation happened (HTCDS ``hte_``)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="historic_events")
    type = models.CharField(_("type"), max_length=16, choices=HistoricEventType.choices)
    country = models.CharField(_("country"), max_length=3, blank=True)  # hte_Country (ISO 3166)
    place = models.ForeignKey(
        "directory.Place",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    city = EncryptedCharField(_("city (if not listed)"), max_length=100, blank=True)  # hte_City
    date = models.DateField(_("date"), null=True, blank=True)  # hte_Date
    description = EncryptedTextField(_("description"), blank=True)  # hte_Description

    class Meta:
        ordering = ["date", "created_at"]
        verbose_name = _("place and date")
        verbose_name_plural = _("places and dates")


class CaseEvent(ChainedModel):
    """The case timeline: append-only, one row per change (and per read) of case data.

    Written by the same service function that changes the data, in the same transaction.
    ``data`` holds codes and ids, never personal data.
    """

    class Kind(models.TextChoices):
        CASE_REGISTERED = "case_registered", _("Case registered")
        CASE_UPDATED = "case_updated", _("Case updated")
        CASE_VIEWED = "case_viewed", _("Case viewed")
        HISTORIC_EVENT_ADDED = "historic_event_added", _("Place and date added")
        CONSENT_RECORDED = "consent_recorded", _("Consent recorded")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
        REFERRAL_SENT = "referral_sent", _("Referral sent")
        REFERRAL_VIEWED = "referral_viewed", _("Referral opened")
        REFERRAL_ACCEPTED = "referral_accepted", _("Referral accepted")
        REFERRAL_DECLINED = "referral_declined", _("Referral declined")
        REFERRAL_WITHDRAWN = "referral_withdrawn", _("Referral withdrawn")
        REFERRAL_INFO_REQUESTED = "referral_info_requested", _("More information requested")
        REFERRAL_INFO_GIVEN = "referral_info_given", _("Requested information given")
        REFERRAL_SENT_OUTSIDE = "referral_sent_outside", _("Referred outside Tirek (printed form)")
        REFERRAL_OUTSIDE_OUTCOME = (
            "referral_outside_outcome",
            _("Outcome of a referral outside Tirek recorded"),
        )
        SCREENING_SAVED = "screening_saved", _("Screening saved")
        STATUS_DECIDED = "status_decided", _("Trafficking status decided")
        BREAK_GLASS_OPENED = "break_glass_opened", _("Emergency access opened")
        BREAK_GLASS_REVIEWED = "break_glass_reviewed", _("Emergency access reviewed")
        CASE_CLOSED = "case_closed", _("Case closed")
        CASE_REOPENED = "case_reopened", _("Case reopened")
        STAGE_CHANGED = "stage_changed", _("Stage changed")
        PERSON_UPDATED = "person_updated", _("Person's details corrected")
        NOTE_ADDED = "note_added", _("Note added")
        TASK_ADDED = "task_added", _("Task added")
        TASK_DONE = "task_done", _("Task done")
        TASK_UPDATED = "task_updated", _("Task changed")
        NOTE_DELETED = "note_deleted", _("Note deleted")
        ATTACHMENT_DELETED = "attachment_deleted", _("Document deleted")
        ATTACHMENT_ADDED = "attachment_added", _("Document attached")
        ATTACHMENT_DOWNLOADED = "attachment_downloaded", _("Document downloaded")
        CASE_ANONYMISED = "case_anonymised", _("Case anonymised after the retention period")
        CASE_ERASED = "case_erased", _("Personal data erased on request")
        SUBJECT_ACCESS_EXPORTED = "subject_access_exported", _("Person's data exported")
        CHECKLIST_STEP_CLOSED = "checklist_step_closed", _("Step of the mechanism closed")
        CHECKLIST_STEPS_CANCELLED = (
            "checklist_steps_cancelled",
            _("Steps of the mechanism cancelled"),
        )
        DEADLINE_ESCALATED = "deadline_escalated", _("Overdue step escalated to the coordinator")
        REFERRAL_OUTCOME = "referral_outcome", _("Referral outcome recorded")
        TRANSFER_PROPOSED = "transfer_proposed", _("Transfer of the case proposed")
        TRANSFER_VIEWED = "transfer_viewed", _("Proposed transfer opened")
        TRANSFER_ACCEPTED = "transfer_accepted", _("Transfer accepted: new owning agency")
        TRANSFER_DECLINED = "transfer_declined", _("Transfer declined")
        TRANSFER_WITHDRAWN = "transfer_withdrawn", _("Transfer withdrawn")
        TRANSFER_STOPPED = "transfer_stopped", _("Transfer stopped: consent withdrawn")
        TRANSFER_KEPT_REDUCED = "transfer_kept_reduced", _("Previous owner's kept sections reduced")
        REFLECTION_STARTED = "reflection_started", _("Reflection period started")
        REFLECTION_EXTENDED = "reflection_extended", _("Reflection period extended")
        REFLECTION_ENDED = "reflection_ended", _("Reflection period ended")
        REFLECTION_REMINDED = "reflection_reminded", _("Reminder: reflection period ending")
        RISK_ASSESSED = "risk_assessed", _("Risk assessed")
        SAFETY_PLAN_SAVED = "safety_plan_saved", _("Safety plan saved")
        SUPPORT_PLAN_ADDED = "support_plan_added", _("Need added to the support plan")
        SUPPORT_PLAN_UPDATED = "support_plan_updated", _("Support plan updated")
        SUPPORT_DELIVERY_RECORDED = (
            "support_delivery_recorded",
            _("Delivery of support recorded by the agency providing it"),
        )
        CHILD_MARKED = "child_marked", _("Marked as a child's case")
        GUARDIAN_RECORDED = "guardian_recorded", _("Guardian or legal representative recorded")
        BEST_INTERESTS_DECIDED = "best_interests_decided", _("Best-interests decision recorded")
        PERPETRATOR_ADDED = "perpetrator_added", _("Perpetrator added")
        PERPETRATOR_UPDATED = "perpetrator_updated", _("Perpetrator's details changed")
        PERPETRATOR_REMOVED = "perpetrator_removed", _("Perpetrator removed")
        RETURN_PLAN_SAVED = "return_plan_saved", _("Return and reintegration plan saved")
        FOLLOW_UP_RECORDED = "follow_up_recorded", _("Follow-up contact recorded")
        PROCEEDING_ADDED = "proceeding_added", _("Proceedings recorded")
        PROCEEDING_UPDATED = "proceeding_updated", _("Proceedings updated")
        HEARING_ADDED = "hearing_added", _("Hearing date added")

    READ_KINDS = frozenset({Kind.CASE_VIEWED, Kind.REFERRAL_VIEWED, Kind.TRANSFER_VIEWED})

    CHAIN = "case"  # one chain per case: "case:<case id>"

    id = models.BigAutoField(primary_key=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(db_index=True)
    kind = models.CharField(_("what"), max_length=32, choices=Kind.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    actor_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", null=True
    )
    section = models.CharField(max_length=32, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        indexes = [models.Index(fields=["case", "at"])]
        constraints = [
            models.UniqueConstraint(fields=["case", "seq"], name="one_link_per_case_and_seq")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"

    def chain_name(self) -> str:
        return f"{self.CHAIN}:{self.case_id}"

    @classmethod
    def chain_rows(cls) -> Iterator[ChainedModel]:
        return cls._default_manager.order_by("case_id", "seq").iterator(chunk_size=2000)

    @classmethod
    def chain_heads_as_of(cls, epoch: int) -> list[Link]:
        """Each case's last event written in an epoch up to ``epoch`` (one index lookup each)."""
        rows = cls._default_manager.filter(epoch__lte=epoch)
        last = rows.filter(case_id=models.OuterRef("case_id")).order_by("-seq").values("seq")[:1]
        found = rows.filter(seq=models.Subquery(last)).values_list("case_id", "seq", "hash")
        return [Link(f"{cls.CHAIN}:{case_id}", seq, hash_) for case_id, seq, hash_ in found]

    def chain_content(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "epoch": self.epoch,
            "at": self.at,
            "case": str(self.case_id),
            "kind": self.kind,
            "user": str(self.actor_user_id or ""),
            "agency": str(self.actor_agency_id or ""),
            "section": self.section,
            "data": self.data,
        }


class CaseRevision(BaseModel):
    """What a timeline event changed that is personal data, kept encrypted beside the event:
    the old and new values of a correction to the person, the reason a case went back a stage.

    ``section`` decides who may read it on the timeline: those who see that section of the case
    (empty: the owning agency only). Erased with the person.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="revisions")
    event = models.OneToOneField(CaseEvent, on_delete=models.PROTECT, related_name="revision")
    section = models.CharField(max_length=32, blank=True)
    part = models.CharField(max_length=16, blank=True)
    part_version = models.PositiveIntegerField(null=True, blank=True)
    content = EncryptedTextField(blank=True)  # JSON: {"reason": ...} or {"changes": [...]}

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")

    def __str__(self) -> str:
        return f"Revision {self.pk}"
