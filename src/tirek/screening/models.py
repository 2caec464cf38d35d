"""Indicator catalogues (versioned), screenings and trafficking-status decisions.

A catalogue version, once created, never changes: a coordinator's edit makes a new version, and a
screening keeps the version it was made with, so it shows the same result forever.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tirek.cases.choices import DecisionMakingOrg, TraffickingStatus
from tirek.core.crypto import EncryptedTextField
from tirek.core.models import BaseModel
from tirek.screening.rules import (
    AgeGroup,
    Dimension,
    ExploitationScope,
    ListKey,
    Outcome,
    Strength,
)


class DimensionChoices(models.TextChoices):
    DECEPTIVE_RECRUITMENT = Dimension.DECEPTIVE_RECRUITMENT.value, _("Deceptive recruitment")
    COERCIVE_RECRUITMENT = Dimension.COERCIVE_RECRUITMENT.value, _("Coercive recruitment")
    RECRUITMENT_ABUSE_OF_VULNERABILITY = (
        Dimension.RECRUITMENT_ABUSE_OF_VULNERABILITY.value,
        _("Recruitment by abuse of vulnerability"),
    )
    EXPLOITATIVE_CONDITIONS = Dimension.EXPLOITATIVE_CONDITIONS.value, _("Exploitative conditions")
    COERCION_AT_DESTINATION = Dimension.COERCION_AT_DESTINATION.value, _("Coercion at destination")
    ABUSE_OF_VULNERABILITY_AT_DESTINATION = (
        Dimension.ABUSE_OF_VULNERABILITY_AT_DESTINATION.value,
        _("Abuse of vulnerability at destination"),
    )


class StrengthChoices(models.TextChoices):
    STRONG = Strength.STRONG.value, _("Strong")
    MEDIUM = Strength.MEDIUM.value, _("Medium")
    WEAK = Strength.WEAK.value, _("Weak")


class ListKeyChoices(models.TextChoices):
    ADULT_LABOUR = ListKey.ADULT_LABOUR.value, _("Adults, labour exploitation")
    CHILD_LABOUR = ListKey.CHILD_LABOUR.value, _("Children, labour exploitation")
    ADULT_SEXUAL = ListKey.ADULT_SEXUAL.value, _("Adults, sexual exploitation")
    CHILD_SEXUAL = ListKey.CHILD_SEXUAL.value, _("Children, sexual exploitation")


class AgeGroupChoices(models.TextChoices):
    ADULT = AgeGroup.ADULT.value, _("Adult")
    CHILD = AgeGroup.CHILD.value, _("Child")


class ScopeChoices(models.TextChoices):
    LABOUR = ExploitationScope.LABOUR.value, _("Labour exploitation")
    SEXUAL = ExploitationScope.SEXUAL.value, _("Sexual exploitation")
    BOTH = ExploitationScope.BOTH.value, _("Labour and sexual exploitation")


class OutcomeChoices(models.TextChoices):
    PRESUMED_VICTIM = Outcome.PRESUMED_VICTIM.value, _("Presumed victim of trafficking")
    NOT_ENOUGH_INDICATORS = Outcome.NOT_ENOUGH_INDICATORS.value, _("Not enough indicators")


class Catalogue(BaseModel):
    """One version of the indicator catalogue (all four lists). Never changed once created."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    based_on = models.ForeignKey(
        "self", verbose_name=_("based on"), on_delete=models.PROTECT, null=True, blank=True
    )
    change_note = models.TextField(_("what changed"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        verbose_name = _("indicator catalogue")
        verbose_name_plural = _("indicator catalogues")

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"


class IndicatorList(models.Model):
    """One of the four lists in a catalogue version, with its source and verification status."""

    id = models.BigAutoField(primary_key=True)
    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="lists")
    key = models.CharField(_("list"), max_length=16, choices=ListKeyChoices.choices)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ru = models.CharField(_("title (Russian)"), max_length=200)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=200)
    source = models.TextField(_("source"))
    is_verified = models.BooleanField(_("checked against the source"), default=False)
    verification_note = models.TextField(_("verification note"), blank=True)

    class Meta:
        ordering = ["catalogue", "id"]
        verbose_name = _("indicator list")
        verbose_name_plural = _("indicator lists")
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "key"], name="screening_list_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.catalogue_id}:{self.key}"

    def title(self, language: str) -> str:
        return str(getattr(self, f"title_{language[:2]}", "") or self.title_en)


class Indicator(models.Model):
    """One indicator of a catalogue version: a stable code shared by the lists, and its strength
    on each list (blank: not on that list)."""

    id = models.BigAutoField(primary_key=True)
    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=16)
    dimension = models.CharField(_("dimension"), max_length=40, choices=DimensionChoices.choices)
    position = models.PositiveSmallIntegerField(_("position"))
    label_en = models.CharField(_("label (English)"), max_length=300)
    label_ru = models.CharField(_("label (Russian)"), max_length=300)
    label_kk = models.CharField(_("label (Kazakh)"), max_length=300)
    strength_adult_labour = models.CharField(
        _("adults, labour"), max_length=8, choices=StrengthChoices.choices, blank=True
    )
    strength_child_labour = models.CharField(
        _("children, labour"), max_length=8, choices=StrengthChoices.choices, blank=True
    )
    strength_adult_sexual = models.CharField(
        _("adults, sexual"), max_length=8, choices=StrengthChoices.choices, blank=True
    )
    strength_child_sexual = models.CharField(
        _("children, sexual"), max_length=8, choices=StrengthChoices.choices, blank=True
    )

    class Meta:
        ordering = ["catalogue", "position"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="screening_indicator_code")
        ]

    def __str__(self) -> str:
        return self.code

    def strength_on(self, list_key: ListKey | str) -> str:
        return str(getattr(self, f"strength_{ListKey(list_key).value}"))

    def label(self, language: str) -> str:
        return str(getattr(self, f"label_{language[:2]}", "") or self.label_en)


class Screening(BaseModel):
    """One screening against a catalogue version: on a case, or anonymous (no case, no personal
    data). Saved once and never changed; a new screening is a new row."""

    catalogue = models.ForeignKey(Catalogue, on_delete=models.PROTECT, related_name="screenings")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="screenings"
    )
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    agency_type = models.CharField(_("agency type"), max_length=40)  # org_Type, for statistics
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    age_group = models.CharField(_("age group"), max_length=8, choices=AgeGroupChoices.choices)
    age_at_exploitation = models.PositiveSmallIntegerField(
        _("age at the time of exploitation"), null=True, blank=True
    )
    has_signs_of_childhood = models.BooleanField(_("signs of childhood"), default=False)
    scope = models.CharField(
        _("suspected exploitation"), max_length=8, choices=ScopeChoices.choices
    )
    outcome = models.CharField(
        _("outcome"), max_length=24, choices=OutcomeChoices.choices, db_index=True
    )
    presumed_exploitation = models.JSONField(_("presumed exploitation"), default=list, blank=True)
    result = models.JSONField(_("result"), default=dict)  # rules.ScreeningAssessment.as_dict()
    # An anonymous screening (a hotline call) whose person later agreed to a case: the screening
    # on that case carries its indicators over and points back to it, once. Statistics count the
    # interview once: an anonymous screening with ``carried_over_to`` is the same one.
    carried_over_from = models.OneToOneField(
        "self",
        verbose_name=_("carried over from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_over_to",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        indexes = [
            models.Index(fields=["agency", "-created_at"]),
            models.Index(fields=["case", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"Screening {self.pk}"


class ObservedIndicator(models.Model):
    """An indicator ticked in a screening, with where the evidence came from."""

    class Source(models.TextChoices):
        SELF_REPORT = "self_report", _("Self-report")
        DOCUMENT = "document", _("Document")
        OBSERVATION = "observation", _("Observation")

    id = models.BigAutoField(primary_key=True)
    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="observed")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=16, db_index=True)  # for statistics
    dimension = models.CharField(_("dimension"), max_length=40, choices=DimensionChoices.choices)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, blank=True)
    note = EncryptedTextField(_("evidence"), blank=True)

    class Meta:
        ordering = ["screening", "indicator__position"]
        verbose_name = _("observed indicator")
        verbose_name_plural = _("observed indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["screening", "indicator"], name="screening_observed_once"
            )
        ]

    def __str__(self) -> str:
        return self.code


class StatusDecision(BaseModel):
    """A recorded trafficking-status decision (HTCDS ``vic_TraffickingStatus`` and
    ``vic_TraffickingStatusDecisionMakingOrg``), citing the screening it relied on."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="status_decisions"
    )
    screening = models.ForeignKey(
        Screening, on_delete=models.PROTECT, related_name="status_decisions"
    )
    status = models.CharField(
        _("trafficking status"), max_length=32, choices=TraffickingStatus.choices
    )
    decision_org = models.CharField(
        _("status decided by"), max_length=40, choices=DecisionMakingOrg.choices
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("decided on"))
    reasons = EncryptedTextField(_("reasons"), blank=True)

    class Meta:
        ordering = ["-decided_on", "-created_at"]
        verbose_name = _("trafficking status decision")
        verbose_name_plural = _("trafficking status decisions")

    def __str__(self) -> str:
        return f"{self.status} {self.decided_on}"
