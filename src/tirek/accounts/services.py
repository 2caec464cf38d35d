"""Writes on accounts: API tokens, the agency a user acts for, memberships and role grants."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import asdict, dataclass
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency, ApiToken, Membership, RoleGrant, User
from tirek.accounts.roles import ROLE_CAPABILITIES, Capability, Role, role_can
from tirek.accounts.selectors import administered_agency_ids
from tirek.core.audit import audit_record
from tirek.core.errors import Forbidden, InvalidState, NotFound

TOKEN_PREFIX = "tirek_"  # noqa: S105 - a public prefix, not a secret
MAX_TOKEN_DAYS = 366


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, actor: Actor, name: str, expires_in_days: int | None = 90
) -> tuple[ApiToken, str]:
    """Create a personal API token for the actor's current membership.

    Returns the token row and the secret, which is shown once and never stored.
    """
    name = name.strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the token a name, e.g. the program that will use it.")]
    elif len(name) > 100:
        errors["name"] = [_("The name is too long (100 characters at most).")]
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_TOKEN_DAYS:
        errors["expires_in_days"] = [_("A token lasts between 1 and 366 days.")]
    if errors:
        raise ValidationError(errors)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor.user,
        membership=actor.membership,
        name=name,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        digest=token_digest(secret),
        expires_at=(
            timezone.now() + datetime.timedelta(days=expires_in_days) if expires_in_days else None
        ),
    )
    audit_record(
        action="api_token_created",
        user_id=actor.user.pk,
        agency_id=actor.membership.agency_id,
        object_type="api_token",
        object_id=token.pk,
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, user: User, token_id: UUID | str) -> ApiToken:
    """Revoke one of the user's own tokens; it stops working at once."""
    try:
        token = ApiToken.objects.get(pk=token_id, user=user)
    except (ApiToken.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not updated:
        raise InvalidState(_("This token has already been revoked."))
    token.refresh_from_db()
    audit_record(
        action="api_token_revoked",
        user_id=user.pk,
        agency_id=token.membership.agency_id,
        object_type="api_token",
        object_id=token.pk,
    )
    return token


def api_token_authenticate(secret: str) -> Actor | None:
    """The actor behind a token secret, or None if unknown, revoked, expired or inactive."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user", "membership", "membership__agency")
        .filter(digest=token_digest(secret), revoked_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if token is None or (token.expires_at is not None and token.expires_at <= now):
        return None
    membership = token.membership
    if not (token.user.is_active and membership.is_active and membership.agency.is_active):
        return None
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return Actor(user=token.user, membership=membership)


def membership_choose(*, user: User, membership_id: str | int) -> Membership:
    """Check that the user may act for the membership's agency (the view stores the choice)."""
    membership = (
        Membership.objects.select_related("agency")
        .filter(pk=membership_id, user=user, is_active=True, agency__is_active=True)
        .first()
    )
    if membership is None:
        raise NotFound()
    return membership


# --- Memberships and role grants -------------------------------------------------------------


@dataclass(frozen=True)
class MembershipState:
    """What a membership lets its user do: the part of it that the audit log shows before/after."""

    agency_id: str
    role: str
    is_active: bool

    @classmethod
    def of(cls, membership: Membership) -> MembershipState:
        return cls(str(membership.agency_id), membership.role, membership.is_active)


def membership_needs_second_person(before: MembershipState | None, after: MembershipState) -> bool:
    """Whether ``after`` lets the member read cases in a way ``before`` did not.

    Granting a case-reading role, activating a membership that has one, moving it to another
    agency, or widening it (case worker -> supervisor) needs a second person; narrowing does not.
    """
    if not (after.is_active and role_can(after.role, Capability.READ_CASES)):
        return False
    if before is None or not before.is_active or before.agency_id != after.agency_id:
        return True
    return not ROLE_CAPABILITIES.get(after.role, frozenset()) <= ROLE_CAPABILITIES.get(
        before.role, frozenset()
    )


@dataclass(frozen=True)
class MembershipOutcome:
    membership: Membership
    applied: bool  # False: held until a second person approves ``grant``
    grant: RoleGrant | None = None


def _may_administer(by: User, agency_id: Any) -> bool:
    scope = administered_agency_ids(by)
    return scope is None or agency_id in scope


def _membership_audit(
    action: str,
    *,
    by: User,
    membership: Membership,
    before: MembershipState | None,
    after: MembershipState | None,
    **data: Any,
) -> None:
    audit_record(
        action=action,
        user_id=by.pk,
        agency_id=None,
        object_type="membership",
        object_id=membership.pk,
        data={
            "member": str(membership.user_id),
            "before": asdict(before) if before else None,
            "after": asdict(after) if after else None,
            **data,
        },
    )


def _tokens_revoke(membership: Membership) -> int:
    """Tokens bound to a membership whose agency, role or activity changed stop working."""
    return ApiToken.objects.filter(membership=membership, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def _membership_apply(membership: Membership, after: MembershipState) -> int:
    before = MembershipState.of(membership)
    membership.agency_id = after.agency_id
    membership.role = after.role
    membership.is_active = after.is_active
    membership.save(update_fields=["agency", "role", "is_active"])
    changed_access = (before.agency_id, before.role) != (after.agency_id, after.role)
    return _tokens_revoke(membership) if changed_access or not after.is_active else 0


def _membership_check(
    *, by: User, user: User, agency: Agency, role: str, current: Membership | None
) -> None:
    if by.pk == user.pk:
        raise Forbidden(
            _("Nobody changes their own roles or memberships. Ask another administrator.")
        )
    if role not in Role.values:
        raise ValidationError({"role": [_("Choose a role from the list.")]})
    for agency_id in {agency.pk, current.agency_id if current else agency.pk}:
        if not _may_administer(by, agency_id):
            raise Forbidden(_("You may manage the members of your own agency only."))
    if role == Role.SYSTEM_ADMIN and administered_agency_ids(by) is not None:
        raise Forbidden(_("Only system administrators make system administrators."))


@transaction.atomic
def membership_save(
    *,
    by: User,
    user: User,
    agency: Agency,
    role: str,
    is_active: bool = True,
    membership_id: int | None = None,
) -> MembershipOutcome:
    """Create or change a membership. A change that would let the member read cases is held as a
    ``RoleGrant`` until a second person approves it; every change is in the audit chain, and the
    tokens of a membership whose agency or role changes are revoked."""
    current = None
    if membership_id is not None:
        current = Membership.objects.select_for_update().filter(pk=membership_id, user=user).first()
        if current is None:
            raise NotFound()
    _membership_check(by=by, user=user, agency=agency, role=role, current=current)
    clash = Membership.objects.filter(user=user, agency=agency)
    if (clash.exclude(pk=current.pk) if current else clash).exists():
        raise ValidationError(
            {"agency": [_("This user is already a member of this agency: change that membership.")]}
        )
    before = MembershipState.of(current) if current else None
    after = MembershipState(str(agency.pk), role, is_active)
    if before == after and current is not None:
        return MembershipOutcome(membership=current, applied=True)
    if membership_needs_second_person(before, after):
        if current is None:
            current = Membership.objects.create(
                user=user, agency=agency, role=role, is_active=False
            )
            _membership_audit(
                "membership_created",
                by=by,
                membership=current,
                before=None,
                after=MembershipState.of(current),
            )
        RoleGrant.objects.filter(membership=current, status=RoleGrant.Status.PENDING).update(
            status=RoleGrant.Status.CANCELLED, decided_by=by, decided_at=timezone.now()
        )
        grant = RoleGrant.objects.create(
            membership=current, role=role, agency=agency, requested_by=by
        )
        _membership_audit(
            "role_grant_requested",
            by=by,
            membership=current,
            before=MembershipState.of(current),
            after=after,
            grant=str(grant.pk),
        )
        return MembershipOutcome(membership=current, applied=False, grant=grant)
    if current is None:
        current = Membership.objects.create(
            user=user, agency=agency, role=role, is_active=is_active
        )
        _membership_audit("membership_created", by=by, membership=current, before=None, after=after)
        return MembershipOutcome(membership=current, applied=True)
    revoked = _membership_apply(current, after)
    _membership_audit(
        "membership_changed",
        by=by,
        membership=current,
        before=before,
        after=after,
        tokens_revoked=revoked,
    )
    return MembershipOutcome(membership=current, applied=True)


@transaction.atomic
def role_grant_decide(*, by: User, grant_id: UUID | str, approve: bool) -> RoleGrant:
    """Approve or refuse a held grant. The approver is a second person: neither who asked nor
    who would receive it, and an administrator of the agency (or a system administrator)."""
    grant = (
        RoleGrant.objects.select_for_update()
        .select_related("membership")
        .filter(pk=grant_id)
        .first()
        if _is_uuid(grant_id)
        else None
    )
    if grant is None or not (
        _may_administer(by, grant.agency_id) and _may_administer(by, grant.membership.agency_id)
    ):
        raise NotFound()
    if grant.status != RoleGrant.Status.PENDING:
        raise InvalidState(_("This role grant has already been decided."))
    membership = grant.membership
    if by.pk == membership.user_id:
        raise Forbidden(
            _("Nobody changes their own roles or memberships. Ask another administrator.")
        )
    if approve and by.pk == grant.requested_by_id:
        raise Forbidden(_("A second administrator must approve what you asked for."))
    before = MembershipState.of(membership)
    after = MembershipState(str(grant.agency_id), grant.role, True)
    grant.decided_by = by
    grant.decided_at = timezone.now()
    if approve:
        grant.status = RoleGrant.Status.APPROVED
        revoked = _membership_apply(membership, after)
        action, data = "role_grant_approved", {"tokens_revoked": revoked}
    else:
        withdrawn = by.pk == grant.requested_by_id
        grant.status = RoleGrant.Status.CANCELLED if withdrawn else RoleGrant.Status.REFUSED
        action, data = ("role_grant_withdrawn" if withdrawn else "role_grant_refused"), {}
    grant.save(update_fields=["status", "decided_by", "decided_at"])
    _membership_audit(
        action,
        by=by,
        membership=membership,
        before=before,
        after=after,
        grant=str(grant.pk),
        **data,
    )
    return grant


def _is_uuid(value: object) -> bool:
    try:
        UUID(str(value))
    except ValueError:
        return False
    return True
