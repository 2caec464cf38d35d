"""``tirek demo``: what it builds, that it builds it once, and that it refuses outside demo mode."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from tirek.accounts.actor import actor_for
from tirek.accounts.models import Agency, Membership, User
from tirek.accounts.roles import Role
from tirek.cases.models import Case, CaseEvent
from tirek.cases.selectors import case_view, cases_visible_to
from tirek.core.chain import ChainHead, table_verify
from tirek.core.errors import NotFound
from tirek.protection.models import Consent
from tirek.referrals.models import Referral
from tirek.web.management.demo_data import CASES, DEMO_PASSWORD, OUTSIDER

pytestmark = pytest.mark.django_db


def demo_run(*args: str) -> str:
    out = StringIO()
    with override_settings(DEBUG=False, DEMO_MODE=True):
        call_command("demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "agencies": Agency.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "cases": Case.objects.count(),
        "consents": Consent.objects.count(),
        "referrals": Referral.objects.count(),
        "events": CaseEvent.objects.count(),
    }


def actor(username: str):  # noqa: ANN201
    found = actor_for(User.objects.get(username=username))
    assert found is not None
    return found


@pytest.fixture
def demo() -> str:
    return demo_run()


def test_demo_creates_agencies_of_every_kind_in_the_mechanism(demo: str) -> None:
    kinds = set(Agency.objects.values_list("type", flat=True))
    assert kinds >= {
        Agency.Type.NGO,
        Agency.Type.LAW_ENFORCEMENT,
        Agency.Type.IMMIGRATION,
        Agency.Type.HEALTH,
        Agency.Type.LOCAL_GOVERNMENT,
        Agency.Type.CENTRAL_GOVERNMENT,
        Agency.Type.PROSECUTOR,
        Agency.Type.EMBASSY,
        Agency.Type.INTERNATIONAL,
        Agency.Type.COMMISSION,
    }


def test_demo_creates_one_login_per_role(demo: str) -> None:
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)


def test_demo_logins_use_the_published_password(demo: str) -> None:
    assert User.objects.get(username="ngo.worker").check_password(DEMO_PASSWORD)


def test_demo_creates_a_dozen_cases(demo: str) -> None:
    assert Case.objects.count() == len(CASES) == 12


def test_demo_cases_cover_every_referral_state(demo: str) -> None:
    assert set(Referral.objects.values_list("status", flat=True)) == set(Referral.Status.values)


def test_demo_cases_include_presumed_victims_screened_for_labour_and_sexual_exploitation(
    demo: str,
) -> None:
    from tirek.screening.models import Screening

    outcomes = {
        (tuple(s.result["presumed_exploitation"]), s.result["outcome"])
        for s in Screening.objects.exclude(case=None)
    }
    assert outcomes == {(("labour",), "presumed_victim"), (("sexual",), "presumed_victim")}


def test_demo_includes_a_child_known_only_by_approximate_age(demo: str) -> None:
    assert Case.objects.filter(
        person__birth_date__isnull=True, person__approximate_age__lt=18
    ).exists()


def test_demo_run_twice_creates_nothing_new(demo: str) -> None:
    before = counts()
    demo_run()
    assert counts() == before


def test_demo_reset_rebuilds_the_same_mechanism(demo: str) -> None:
    before = counts()
    demo_run("--reset")
    assert counts() == before


def test_demo_reset_leaves_the_case_timeline_chain_intact(demo: str) -> None:
    demo_run("--reset")
    heads = {head.name: head for head in ChainHead.objects.all()}
    report = table_verify(CaseEvent, heads=heads)
    assert report.ok and report.chains == Case.objects.count()
    assert not [name for name, head in heads.items() if name.startswith("case:")]


def test_demo_prints_the_logins_and_password(demo: str) -> None:
    assert "commission.coordinator" in demo and DEMO_PASSWORD in demo


def test_demo_says_logins_exist_only_in_demo_mode(demo: str) -> None:
    assert "only in demo mode" in demo


def test_demo_refuses_without_debug_or_demo_mode() -> None:
    with override_settings(DEBUG=False, DEMO_MODE=False), pytest.raises(CommandError):
        call_command("demo", stdout=StringIO())


def test_demo_refused_creates_nothing() -> None:
    with override_settings(DEBUG=False, DEMO_MODE=False), pytest.raises(CommandError):
        call_command("demo", stdout=StringIO())
    assert not User.objects.filter(username="ngo.worker").exists()


def test_demo_runs_when_debug_is_on() -> None:
    with override_settings(DEBUG=True, DEMO_MODE=False):
        call_command("demo", stdout=StringIO())
    assert Case.objects.count() == len(CASES)


def test_every_demo_case_is_readable_by_a_case_worker_of_its_owner(demo: str) -> None:
    owners = {
        m.agency_id: m.user
        for m in Membership.objects.filter(role=Role.CASE_WORKER).select_related("user")
    }
    for case in Case.objects.all():
        reader = actor_for(owners[case.owner_agency_id])
        assert reader is not None
        assert case_view(actor=reader, case_id=case.pk).is_owner


def test_the_outsider_sees_no_demo_case(demo: str) -> None:
    assert not cases_visible_to(actor=actor(OUTSIDER)).exists()


def test_the_outsider_cannot_open_any_demo_case(demo: str) -> None:
    outsider = actor(OUTSIDER)
    refused = 0
    for case in Case.objects.all():
        with pytest.raises(NotFound):
            case_view(actor=outsider, case_id=case.pk)
        refused += 1
    assert refused == len(CASES)


def test_accepted_referrals_open_the_case_to_the_receiving_agency(demo: str) -> None:
    accepted = Referral.objects.filter(status=Referral.Status.ACCEPTED)
    assert accepted.exists()
    for referral in accepted:
        member = Membership.objects.filter(agency=referral.to_agency, role=Role.CASE_WORKER).first()
        assert member is not None
        reader = actor_for(member.user)
        assert reader is not None
        view = case_view(actor=reader, case_id=referral.case_id)
        assert set(referral.sections) <= view.sections


def test_waiting_referrals_do_not_open_the_case_yet(demo: str) -> None:
    waiting = Referral.objects.get(
        status=Referral.Status.SENT, to_agency__name="Department of Employment (demo)"
    )
    with pytest.raises(NotFound):
        case_view(actor=actor("employment.worker"), case_id=waiting.case_id)
