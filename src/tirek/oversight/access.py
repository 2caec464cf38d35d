"""The access source break-glass registers with the case policy: one person, every section,
until the access expires (and while their role still holds ``break_glass``)."""

from __future__ import annotations

from collections.abc import Collection
from uuid import UUID

from django.db.models import Q
from django.utils import timezone

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Capability
from tirek.cases.choices import ALL_SECTIONS
from tirek.cases.policy import PersonalAccessSource
from tirek.oversight.models import BreakGlassAccess


def _active(actor: Actor) -> Q:
    return Q(
        user_id=actor.user.pk, agency_id=actor.membership.agency_id, expires_at__gt=timezone.now()
    )


def _case_filter(actor: Actor) -> Q:
    if not actor.can(Capability.BREAK_GLASS):
        return Q(pk__in=[])
    return Q(pk__in=BreakGlassAccess.objects.filter(_active(actor)).values("case_id"))


def _sections_many(actor: Actor, case_ids: Collection[UUID]) -> dict[UUID, frozenset[str]]:
    if not actor.can(Capability.BREAK_GLASS):
        return {}
    opened = BreakGlassAccess.objects.filter(_active(actor), case_id__in=list(case_ids))
    return {case_id: ALL_SECTIONS for case_id in opened.values_list("case_id", flat=True)}


BREAK_GLASS_ACCESS = PersonalAccessSource(
    name="break_glass", case_filter=_case_filter, sections_many=_sections_many
)
