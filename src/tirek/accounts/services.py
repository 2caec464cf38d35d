"""Writes on accounts: API tokens and the agency a user acts for."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.accounts.models import ApiToken, Membership, User
from tirek.core.audit import audit_record
from tirek.core.errors import InvalidState, NotFound

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
        raise NotFound(_("No such token.")) from None
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
        raise NotFound(_("No such membership."))
    return membership
