"""The access source referrals register with the case policy: an accepted referral, under a
consent that still stands, grants the receiving agency the sections it names."""

from __future__ import annotations

from collections.abc import Collection
from uuid import UUID

from django.db.models import Q

from tirek.cases.policy import AccessSource
from tirek.referrals.models import Referral


def _granting(agency_id: UUID) -> Q:
    return Q(
        to_agency_id=agency_id,
        status=Referral.Status.ACCEPTED,
        consent__withdrawn_at__isnull=True,
    )


def _case_filter(agency_id: UUID) -> Q:
    return Q(pk__in=Referral.objects.filter(_granting(agency_id)).values("case_id"))


def _sections_many(agency_id: UUID, case_ids: Collection[UUID]) -> dict[UUID, frozenset[str]]:
    granted: dict[UUID, set[str]] = {}
    rows = Referral.objects.filter(_granting(agency_id), case_id__in=list(case_ids))
    for case_id, sections in rows.values_list("case_id", "sections"):
        granted.setdefault(case_id, set()).update(sections)
    return {case_id: frozenset(sections) for case_id, sections in granted.items()}


ACCEPTED_REFERRALS = AccessSource(
    name="accepted_referrals", case_filter=_case_filter, sections_many=_sections_many
)
