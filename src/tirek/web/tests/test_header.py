"""The header and navigation: inbox count and agency switcher, computed only when shown."""

from __future__ import annotations

from django.urls import reverse

from tirek.accounts.models import Membership
from tirek.accounts.roles import Role
from tirek.referrals.selectors import referrals_inbox
from tirek.testing.builders import case_build, referral_build
from tirek.web.tests.support import SecureClient


def _client(actor) -> SecureClient:
    client = SecureClient()
    client.force_login(actor.user)
    return client


def test_the_inbox_badge_shows_the_waiting_count(people):
    case = case_build(people.aigul)
    referral_build(people.aigul, case, to=people.employment, service=people.employment_service)
    page = _client(people.dana).get(reverse("web:home")).content.decode()
    assert '<span class="badge">1<' in page


def test_a_member_of_two_agencies_gets_the_agency_switcher(people):
    Membership.objects.create(user=people.dana.user, agency=people.police, role=Role.CASE_WORKER)
    page = _client(people.dana).get(reverse("web:home")).content.decode()
    assert reverse("accounts:membership_choose") in page


def test_live_search_results_do_not_count_the_inbox(people, monkeypatch):
    counted: list[int] = []

    def counting_inbox(**kwargs):
        counted.append(1)
        return referrals_inbox(**kwargs)

    monkeypatch.setattr("tirek.referrals.selectors.referrals_inbox", counting_inbox)
    response = _client(people.aigul).post(
        reverse("cases:search"), {"search_name": "synthetova"}, HTTP_HX_REQUEST="true"
    )
    assert (response.status_code, counted) == (200, [])
