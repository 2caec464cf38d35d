"""The access source referrals register with the case policy: an accepted referral, under a
consent that still stands, grants the receiving agency the sections it names."""

from __future__ import annotations

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


def _sections(agency_id: UUID, case_id: UUID) -> frozenset[str]:
    granted: set[str] = set()
    for sections in Referral.objects.filter(_granting(agency_id), case_id=case_id).values_list(
        "sections", flat=True
    ):
        granted.update(sections)
    return frozenset(granted)


ACCEPTED_REFERRALS = AccessSource(
    name="accepted_referrals", case_filter=_case_filter, sections=_sections
)
