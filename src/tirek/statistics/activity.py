"""De-identified facts of the mechanism's work: screenings and referrals (docs/statistics.md).

Beside the person facts (``facts.py``) the fact table holds one row per screening (unit
``screening``) and one per referral and scope (unit ``referral``), with generalised values only:

- a screening: the quarter it was saved in, the region of the agency that screened, the outcome
  (the series) and the type of that agency (HTCDS ``org_Type``); nationally and for the agency;
- a referral: the quarter it was sent in, the region of the sending agency, its state (the series:
  waiting, overdue, accepted, declined, withdrawn), the service type and the provider (the
  receiving agency); nationally, for the sender and for the receiver.

Their keys are keyed hashes of the row's id (HMAC), so a refresh can replace them. A referral's
state changes with time alone when its answer falls due: the refresh also reads the referrals
whose due time passed since the last run, so refreshing and rebuilding give the same facts.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from tirek.referrals.models import Referral
from tirek.screening.models import OutcomeChoices, Screening
from tirek.statistics.facts import BATCH, facts_swap, quarter_of, territory_of
from tirek.statistics.models import NATIONAL, Fact

SCREENING = "screening"
REFERRAL = "referral"

# The states of a referral as counted (the columns of the referral tables; they add up to the
# referrals sent).
WAITING = "waiting"
OVERDUE = "overdue"
REFERRAL_STATES = (
    WAITING,
    OVERDUE,
    Referral.Status.ACCEPTED.value,
    Referral.Status.DECLINED.value,
    Referral.Status.WITHDRAWN.value,
)
# The outcome of a screening as a series code (the series column holds at most 16 letters).
SCREENING_OUTCOMES = {
    OutcomeChoices.PRESUMED_VICTIM.value: "presumed_victim",
    OutcomeChoices.NOT_ENOUGH_INDICATORS.value: "not_enough",
}
# The dimensions of each unit (none holds several values).
DIMENSIONS = {SCREENING: ("agency_type",), REFERRAL: ("service_type", "provider")}


def row_key(unit: str, pk: Any) -> str:
    """The keyed hash standing for one screening or referral (not its id)."""
    secret = f"tirek.statistics.{unit}:{settings.SECRET_KEY}".encode()
    return hmac.new(secret, str(pk).encode(), hashlib.sha256).hexdigest()[:32]


def referral_state(status: str, due_at: datetime.datetime | None, now: datetime.datetime) -> str:
    """The column a referral counts in: a referral still awaiting its answer is overdue once its
    answer is due (the deadline of the mechanism's step), otherwise waiting."""
    if status == Referral.Status.SENT:
        return OVERDUE if due_at is not None and due_at < now else WAITING
    return status


def _day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _fact(
    unit: str, pk: Any, scope: str, moment: datetime.datetime, place: Any, **rest: Any
) -> Fact:
    return Fact(
        unit=unit,
        scope=scope,
        key=row_key(unit, pk),
        quarter=quarter_of(_day(moment)),
        territory=territory_of(place),
        noise_key=0,
        **rest,
    )


def screening_facts(screenings: Iterable[Screening]) -> list[Fact]:
    """One national fact and one for the screening agency per screening counted.

    A screening carried over from an anonymous one (a hotline call that became a case) is the same
    interview: only the anonymous one counts.
    """
    result = []
    for screening in screenings:
        if screening.carried_over_from_id is not None:
            continue
        for scope in (NATIONAL, str(screening.agency_id)):
            result.append(
                _fact(
                    SCREENING,
                    screening.pk,
                    scope,
                    screening.created_at,
                    screening.agency.place,
                    series=SCREENING_OUTCOMES.get(screening.outcome, "unknown"),
                    dims={"agency_type": screening.agency_type or "unknown"},
                )
            )
    return result


def referral_facts(referrals: Iterable[Referral], now: datetime.datetime) -> list[Fact]:
    """One national fact, one for the sender and one for the provider per referral."""
    result = []
    for referral in referrals:
        for scope in (NATIONAL, str(referral.from_agency_id), str(referral.to_agency_id)):
            result.append(
                _fact(
                    REFERRAL,
                    referral.pk,
                    scope,
                    referral.sent_at,
                    referral.from_agency.place,
                    series=referral_state(referral.status, referral.due_at, now),
                    dims={
                        "service_type": referral.service_type.code,
                        "provider": str(referral.to_agency_id),
                    },
                )
            )
    return result


def _screenings(ids: list[Any]) -> list[Screening]:
    return list(Screening.objects.filter(pk__in=ids).select_related("agency__place__parent"))


def _referrals(ids: list[Any]) -> list[Referral]:
    return list(
        Referral.objects.filter(pk__in=ids).select_related(
            "from_agency__place__parent", "service_type"
        )
    )


def activity_replace(
    *, screening_ids: Iterable[Any], referral_ids: Iterable[Any], now: datetime.datetime
) -> int:
    """Recompute the facts of these screenings and referrals (in batches); returns facts written."""
    written = 0
    screening_list = sorted(set(screening_ids), key=str)
    for start in range(0, len(screening_list), BATCH):
        ids = screening_list[start : start + BATCH]
        keys = [row_key(SCREENING, pk) for pk in ids]
        written += facts_swap(SCREENING, keys, screening_facts(_screenings(ids)))
    referral_list = sorted(set(referral_ids), key=str)
    for start in range(0, len(referral_list), BATCH):
        ids = referral_list[start : start + BATCH]
        keys = [row_key(REFERRAL, pk) for pk in ids]
        written += facts_swap(REFERRAL, keys, referral_facts(_referrals(ids), now))
    return written


def activity_refresh(
    *,
    case_ids: set[Any],
    since: datetime.datetime | None,
    now: datetime.datetime,
) -> int:
    """Count again the screenings and referrals changed since ``since`` (None: all of them):
    those of the cases whose timeline moved, those saved or changed since, and the referrals
    whose answer fell due since."""
    screenings = Screening.objects.all()
    referrals = Referral.objects.all()
    if since is not None:
        screenings = screenings.filter(Q(case_id__in=case_ids) | Q(created_at__gte=since))
        referrals = referrals.filter(
            Q(case_id__in=case_ids)
            | Q(updated_at__gte=since)
            | Q(status=Referral.Status.SENT, due_at__gte=since, due_at__lte=now)
        )
    return activity_replace(
        screening_ids=screenings.values_list("pk", flat=True),
        referral_ids=referrals.values_list("pk", flat=True),
        now=now,
    )
