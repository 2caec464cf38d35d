from __future__ import annotations

import pytest
from django.urls import reverse

from tirek.accounts.middleware import SESSION_MEMBERSHIP_KEY
from tirek.accounts.models import Membership, User
from tirek.accounts.roles import Role
from tirek.testing.builders import case_build
from tirek.testing.personas import PASSWORD
from tirek.web.tests.support import SecureClient


@pytest.fixture
def client():
    return SecureClient()


def test_home_requires_sign_in(client, db):
    response = client.get(reverse("web:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_login_page_renders(client, db):
    assert 'name="username"' in client.get(reverse("login")).content.decode()


def test_login_with_the_password_signs_in(client, people):
    response = client.post(reverse("login"), {"username": "aigul", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("web:home")


def test_login_with_a_wrong_password_stays_on_the_page(client, people):
    response = client.post(reverse("login"), {"username": "aigul", "password": "wrong"})
    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated


def test_dashboard_shows_the_agencys_recent_cases(client, people):
    case = case_build(people.aigul)
    client.force_login(people.aigul.user)
    assert case.reference in client.get(reverse("web:home")).content.decode()


def test_header_shows_agency_and_role(client, people):
    client.force_login(people.aigul.user)
    content = client.get(reverse("web:home")).content.decode()
    assert "Crisis Centre Test-Umit" in content and "Case worker" in content


@pytest.mark.parametrize("persona", ["agency_admin", "system_admin"])
def test_administrators_get_the_admin_page_without_cases(client, people, persona):
    case = case_build(people.aigul)
    client.force_login(getattr(people, persona).user)
    content = client.get(reverse("web:home")).content.decode()
    assert 'href="/admin/"' in content and case.reference not in content


def test_administrators_have_no_case_navigation(client, people):
    client.force_login(people.agency_admin.user)
    content = client.get(reverse("web:home")).content.decode()
    assert reverse("cases:list") not in content


def test_user_without_membership_is_told_so(client, db):
    user = User.objects.create_user(username="nomember", password=PASSWORD)
    client.force_login(user)
    response = client.get(reverse("web:home"))
    assert response.status_code == 403
    assert "not a member of any agency" in response.content.decode()


def test_html_lang_follows_the_language(client, people):
    client.force_login(people.aigul.user)
    response = client.get(reverse("web:home"), HTTP_ACCEPT_LANGUAGE="kk")
    assert '<html lang="kk">' in response.content.decode()


def test_language_switch_sets_the_language(client, people):
    client.force_login(people.aigul.user)
    client.post(reverse("set_language"), {"language": "kk", "next": "/"})
    response = client.get(reverse("web:home"))
    assert '<html lang="kk">' in response.content.decode()


def test_membership_switch_changes_the_agency(client, people):
    Membership.objects.create(user=people.aigul.user, agency=people.police, role=Role.CASE_WORKER)
    membership = Membership.objects.get(user=people.aigul.user, agency=people.police)
    client.force_login(people.aigul.user)
    client.post(reverse("accounts:membership_choose"), {"membership_id": membership.pk})
    assert client.session[SESSION_MEMBERSHIP_KEY] == membership.pk


def test_membership_switch_shows_in_the_header(client, people):
    Membership.objects.create(user=people.aigul.user, agency=people.police, role=Role.CASE_WORKER)
    client.force_login(people.aigul.user)
    content = client.get(reverse("web:home")).content.decode()
    assert 'id="membership-switch"' in content


def test_membership_switch_refuses_another_users_membership(client, people):
    client.force_login(people.aigul.user)
    response = client.post(
        reverse("accounts:membership_choose"), {"membership_id": people.dana.membership.pk}
    )
    assert response.status_code == 404
    assert SESSION_MEMBERSHIP_KEY not in client.session


def test_logout_is_a_post(client, people):
    client.force_login(people.aigul.user)
    client.post(reverse("logout"))
    assert client.get(reverse("web:home")).status_code == 302


def test_pages_load_no_script_from_another_origin(client, people):
    client.force_login(people.aigul.user)
    content = client.get(reverse("cases:register")).content.decode()
    assert "<script>" not in content and "https://" not in content
