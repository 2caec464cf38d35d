"""The acting person: a user acting for one agency with one role."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from tirek.accounts.models import Agency, Membership, User
from tirek.accounts.roles import role_can
from tirek.core.errors import Forbidden


@dataclass(frozen=True)
class Actor:
    """Who does something, for which agency, in which role. Every service and selector takes one."""

    user: User
    membership: Membership

    @property
    def agency(self) -> Agency:
        return self.membership.agency

    @property
    def agency_id(self) -> object:
        return self.membership.agency_id

    @property
    def role(self) -> str:
        return self.membership.role

    def can(self, capability: str) -> bool:
        return self.membership.is_active and role_can(self.role, capability)

    def require(self, capability: str) -> None:
        if not self.can(capability):
            raise Forbidden(_("Your role does not allow this action."))


def actor_for(user: User, membership_id: str | int | None = None) -> Actor | None:
    """The actor for a user: the chosen membership, else the first active one."""
    memberships = Membership.objects.select_related("agency").filter(
        user=user, is_active=True, agency__is_active=True
    )
    membership = None
    if membership_id:
        membership = memberships.filter(pk=membership_id).first()
    if membership is None:
        membership = memberships.order_by("created_at", "pk").first()
    return Actor(user=user, membership=membership) if membership else None
