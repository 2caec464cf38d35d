"""The access sources referrals register with the case policy: an accepted referral, under a
consent that still stands, grants the receiving agency the sections it names; an accepted
transfer of ownership leaves the previous owner the sections it chose to keep."""

from __future__ import annotations

from collections.abc import Collection
from uuid import UUID

from django.db.models import Q

from tirek.cases.policy import AccessSource
from tirek.referrals.models import CaseTransfer, Referral


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


# --- the previous owner of a transferred case ------------------------------------------------


def _kept(agency_id: UUID) -> Q:
    return Q(from_agency_id=agency_id, status=CaseTransfer.Status.ACCEPTED) & ~Q(kept_sections=[])


def _kept_case_filter(agency_id: UUID) -> Q:
    return Q(pk__in=CaseTransfer.objects.filter(_kept(agency_id)).values("case_id"))


def _kept_sections_many(agency_id: UUID, case_ids: Collection[UUID]) -> dict[UUID, frozenset[str]]:
    kept: dict[UUID, set[str]] = {}
    rows = CaseTransfer.objects.filter(_kept(agency_id), case_id__in=list(case_ids))
    for case_id, sections in rows.values_list("case_id", "kept_sections"):
        kept.setdefault(case_id, set()).update(sections)
    return {case_id: frozenset(sections) for case_id, sections in kept.items()}


KEPT_AFTER_TRANSFER = AccessSource(
    name="kept_after_transfer", case_filter=_kept_case_filter, sections_many=_kept_sections_many
)
