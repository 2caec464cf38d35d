"""Users, agencies (HTCDS organisations), memberships with a role, and API tokens."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tirek.accounts.roles import Role


class User(AbstractUser):
    """A person who uses Tirek. Acts for one agency at a time through a membership."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="ru"
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Agency(models.Model):
    """An organisation taking part in a referral mechanism (HTCDS ``org_``)."""

    class Type(models.TextChoices):
        # HTCDS 2.0 org_Type values
        NGO = "NGO", _("NGO")
        LAW_ENFORCEMENT = "LawEnforcement", _("Law enforcement")
        HEALTH = "HealthServiceOrganisation", _("Health service organisation")
        CENTRAL_GOVERNMENT = "CentralGovernmentOrganisation", _("Central government organisation")
        LOCAL_GOVERNMENT = "LocalGovernmentOrganisation", _("Local government organisation")
        IMMIGRATION = "ImmigrationService", _("Immigration service")
        LEGAL = "LegalService", _("Legal service")
        BUSINESS = "CorporateBusiness", _("Corporate business")
        SCHOOL = "SchoolOrCollege", _("School or college")
        # Additions needed by Kazakhstan's mechanism (not in HTCDS 2.0)
        EMBASSY = "EmbassyOrConsulate", _("Embassy or consulate")
        INTERNATIONAL = "InternationalOrganisation", _("International organisation")
        PROSECUTOR = "ProsecutorOffice", _("Prosecutor's office")
        COMMISSION = "CoordinatingCommission", _("Coordinating commission")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name (English)"), max_length=200, unique=True)  # org_Name
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True)  # HSDS organization
    website = models.URLField(_("website"), blank=True)
    type = models.CharField(_("type"), max_length=40, choices=Type.choices)  # org_Type
    place = models.ForeignKey(
        "directory.Place",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
    )
    country = models.CharField(_("country (ISO 3166 alpha-3)"), max_length=3, default="KAZ")
    phone = models.CharField(_("phone"), max_length=20, blank=True)  # org_Phone (E.164)
    email = models.EmailField(_("e-mail"), blank=True)
    services = models.ManyToManyField(
        "directory.ServiceType", verbose_name=_("services offered"), blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the active language (Kazakh, Russian), else the English ``name``."""
        language = (get_language() or "en")[:2]
        return str(getattr(self, f"name_{language}", "") or self.name)


class Membership(models.Model):
    """A user's role in an agency."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "agency"], name="one_membership_per_agency")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.agency} ({self.role})"


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 digest of the secret is stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class RoleGrant(models.Model):
    """A held change that would let a member read cases: it takes effect when a second person
    (another administrator of the agency, or a system administrator for the coordinating body)
    approves it. Nobody approves their own request or a grant to themselves."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        CANCELLED = "cancelled", _("Withdrawn")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role asked for"), max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        User, verbose_name=_("asked by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.UniqueConstraint(
                fields=["membership"],
                condition=models.Q(status="pending"),
                name="one_pending_grant_per_membership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} -> {self.role} ({self.status})"
