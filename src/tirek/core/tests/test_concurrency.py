"""Real parallel transactions (one database connection per thread): nothing lost, no deadlock,
the loser gets a clear 409. Timeline events written by many readers at once are tested with the
audit chain (sec-chain)."""

from __future__ import annotations

import pytest

from tirek.accounts.actor import Actor
from tirek.accounts.models import Membership, User
from tirek.accounts.roles import Role
from tirek.cases.models import Case, CaseEvent
from tirek.cases.services import VictimInput, case_victim_update
from tirek.core.errors import DomainError
from tirek.referrals.models import Referral
from tirek.referrals.services import referral_accept, referral_decline
from tirek.testing.builders import case_build, referral_build
from tirek.testing.parallel import at_once, database_for_threads

# Committed data: other connections (threads) must see it.
pytestmark = pytest.mark.django_db(transaction=True)


def second_receiver(people) -> Actor:
    user = User.objects.create_user(username="gulnar", password="x" * 16, email="g@example.org")
    membership = Membership.objects.create(
        user=user, agency=people.employment, role=Role.SUPERVISOR
    )
    return Actor(user=user, membership=membership)


def test_two_receivers_answering_at_once_one_wins_the_other_gets_409(people) -> None:
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    gulnar = second_receiver(people)

    def outcome() -> tuple[str, int]:
        answers = [CaseEvent.Kind.REFERRAL_ACCEPTED, CaseEvent.Kind.REFERRAL_DECLINED]
        return (
            Referral.objects.get(pk=referral.pk).status,
            CaseEvent.objects.filter(case=case, kind__in=answers).count(),
        )

    with database_for_threads():
        results = at_once(
            lambda: referral_accept(actor=people.dana, referral_id=referral.pk),
            lambda: referral_decline(actor=gulnar, referral_id=referral.pk, reason="No places"),
        )
        [(status, answered)] = at_once(outcome)
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], DomainError), results
    assert errors[0].status_code == 409
    assert status in {Referral.Status.ACCEPTED, Referral.Status.DECLINED}
    assert answered == 1


def test_two_workers_editing_one_case_nothing_is_silently_overwritten(people) -> None:
    case = case_build(people.aigul)
    version = Case.objects.get(pk=case.pk).version
    colleague_user = User.objects.create_user(username="saule", password="x" * 16)
    colleague = Actor(
        user=colleague_user,
        membership=Membership.objects.create(
            user=colleague_user, agency=people.crisis_centre, role=Role.CASE_WORKER
        ),
    )

    def edit(actor: Actor, exploitation: str) -> Case:
        return case_victim_update(
            actor=actor,
            case=case,
            expected_version=version,
            victim=VictimInput(types_of_exploitation=[exploitation]),
        )

    def outcome() -> tuple[Case, int]:
        updates = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.CASE_UPDATED)
        return Case.objects.get(pk=case.pk), updates.count()

    with database_for_threads():
        results = at_once(
            lambda: edit(people.aigul, "ForcedLabour"),
            lambda: edit(colleague, "SexualExploitation"),
        )
        [(saved, updates)] = at_once(outcome)
    winners = [r for r in results if isinstance(r, Case)]
    losers = [r for r in results if isinstance(r, DomainError)]
    assert (len(winners), len(losers), losers[0].status_code) == (1, 1, 409), results
    assert (saved.version, saved.types_of_exploitation, updates) == (
        version + 1,
        winners[0].types_of_exploitation,
        1,
    )
