"""Writes on second factors: enrol an authenticator app, verify, recovery codes, admin reset,
re-authentication. Every change leaves an audit event without secrets in it.

Throttling of wrong codes is django-otp's (each device doubles its wait after every failure), so
verification runs in its own transaction and a failure is committed before the error is raised.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tirek.accounts.models import Membership, User
from tirek.accounts.roles import Capability, Role, role_can
from tirek.core.audit import audit_record
from tirek.core.errors import NotFound

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"


def _agency_of(user: User) -> UUID | None:
    """The agency an account event is filed under: the user's first active membership."""
    return (
        Membership.objects.filter(user_id=user.pk, is_active=True)
        .order_by("created_at", "pk")
        .values_list("agency_id", flat=True)
        .first()
    )


def _record(action: str, user: User, data: dict[str, Any] | None = None) -> None:
    audit_record(
        action=action,
        user_id=user.pk,
        agency_id=_agency_of(user),
        object_type="user",
        object_id=user.pk,
        data=data,
    )


def code_normalise(code: str) -> str:
    """Codes as people type them: spaces and dashes dropped, recovery codes in lower case."""
    return "".join(code.split()).replace("-", "").lower()


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def mfa_enrolment_start(*, user: User) -> TOTPDevice:
    """The user's pending (unconfirmed) authenticator with a fresh secret, made if missing."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def _recovery_codes_replace(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_CODES_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def mfa_enrolment_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending authenticator with a code it shows; returns it and new recovery codes.

    Raises ValidationError on a wrong code (the failure counts towards throttling).
    """
    if has_authenticator(user):
        raise ValidationError(
            {"code": [_("You already have an authenticator app. Use it to sign in.")]}
        )
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("pk")
            .first()
        )
        accepted = device is not None and device.verify_token(code_normalise(code))
    if device is None or not accepted:
        raise ValidationError(
            {
                "code": [
                    _(
                        "That code is not right. Check that the time on your phone is correct "
                        "and enter the code the app shows now."
                    )
                ]
            }
        )
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = _recovery_codes_replace(user)
        _record("mfa_enrolled", user, {"factor": "totp", "recovery_codes": len(codes)})
    return device, codes


def mfa_verify(*, user: User, code: str) -> Device:
    """The confirmed factor that accepts ``code`` (app code or an unused recovery code).

    A recovery code works once. Raises ValidationError on a wrong or throttled code.
    """
    token = code_normalise(code)
    device: Device | None = None
    if token:
        with transaction.atomic():
            candidates: list[Device] = []
            if token.isdigit():
                candidates += list(
                    TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
                )
            else:
                candidates += list(
                    StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)
                )
            device = next((d for d in candidates if d.verify_token(token)), None)
    if device is None:
        _record("mfa_verification_failed", user)
        raise ValidationError(
            {
                "code": [
                    _(
                        "That code is not right, or was already used. Enter the code your "
                        "authenticator app shows now, or an unused recovery code. After several "
                        "wrong codes you must wait before trying again."
                    )
                ]
            }
        )
    method = "recovery_code" if isinstance(device, StaticDevice) else "totp"
    with transaction.atomic():
        data: dict[str, Any] = {"factor": method}
        if isinstance(device, StaticDevice):
            data["recovery_codes_left"] = device.token_set.count()
        _record("mfa_verified", user, data)
    return device


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """Replace the user's recovery codes with new ones (the old ones stop working)."""
    if not has_authenticator(user):
        raise ValidationError(_("Set up an authenticator app first."))
    codes = _recovery_codes_replace(user)
    _record("mfa_recovery_codes_regenerated", user, {"recovery_codes": len(codes)})
    return codes


def _may_reset(admin: User, member: User) -> UUID | None | bool:
    """False if ``admin`` may not reset ``member``; else the agency the reset is filed under."""
    admin_roles = list(
        Membership.objects.filter(
            user_id=admin.pk, is_active=True, agency__is_active=True
        ).values_list("agency_id", "role")
    )
    if admin.is_superuser or any(
        role_can(role, Capability.MANAGE_REFERENCE_DATA) for _a, role in admin_roles
    ):
        return admin_roles[0][0] if admin_roles else None
    if member.is_superuser:
        return False
    member_agencies = set(
        Membership.objects.filter(user_id=member.pk).values_list("agency_id", flat=True)
    )
    if Membership.objects.filter(user_id=member.pk, role=Role.SYSTEM_ADMIN).exists():
        return False
    for agency_id, role in admin_roles:
        if role_can(role, Capability.MANAGE_MEMBERS) and agency_id in member_agencies:
            return agency_id
    return False


@transaction.atomic
def mfa_reset(*, admin: User, member_id: UUID | str) -> int:
    """Remove all of a member's factors; they enrol again at their next sign-in.

    Only a system administrator, or an administrator of an agency the member belongs to, may do
    it; anyone else gets NotFound. Returns the number of factors removed.
    """
    member = User.objects.filter(pk=member_id).first()
    agency = _may_reset(admin, member) if member is not None else False
    if member is None or agency is False:
        raise NotFound()
    removed = TOTPDevice.objects.filter(user=member).delete()[1].get(
        "otp_totp.TOTPDevice", 0
    ) + StaticDevice.objects.filter(user=member).delete()[1].get("otp_static.StaticDevice", 0)
    audit_record(
        action="mfa_reset",
        user_id=admin.pk,
        agency_id=agency if isinstance(agency, UUID) else None,
        object_type="user",
        object_id=member.pk,
        data={"factors_removed": removed},
    )
    return removed


def reauthentication_check(*, user: User, password: str, code: str) -> None:
    """Check the password and, if the user has an authenticator, a fresh code (no recovery
    codes here). Raises ValidationError naming the wrong field; records the outcome."""
    errors: dict[str, list[str]] = {}
    if not user.check_password(password):
        errors["password"] = [_("The password is not right.")]
    if has_authenticator(user):
        with transaction.atomic():
            devices = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True))
            token = code_normalise(code)
            accepted = bool(token) and any(d.verify_token(token) for d in devices)
        if not accepted:
            errors["code"] = [_("The code is not right. Enter the code your app shows now.")]
    with transaction.atomic():
        _record("reauthentication_failed" if errors else "reauthenticated", user)
    if errors:
        raise ValidationError(errors)
