"""Admin for configuration staff: system administrators configure, agency administrators manage
their own agency's members only, and nobody edits API tokens except to revoke them."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from tirek.accounts.actor import actor_for
from tirek.accounts.models import ApiToken, Membership, User
from tirek.accounts.roles import Role
from tirek.accounts.services import api_token_create
from tirek.core.models import AuditEvent

pytestmark = pytest.mark.django_db


class HttpsClient(Client):
    """Outside DEBUG plain HTTP is redirected to HTTPS, so every request goes over HTTPS."""

    def generic(self, *args: Any, **kwargs: Any) -> Any:
        return super().generic(*args, **{**kwargs, "secure": True})


@pytest.fixture
def client() -> Client:
    return HttpsClient()


@pytest.fixture
def demo() -> None:
    with override_settings(DEMO_MODE=True):
        call_command("demo", stdout=StringIO())


def login(client: Client, username: str) -> User:
    user = User.objects.get(username=username)
    client.force_login(user)
    return user


def change_url(username: str) -> str:
    return f"/admin/accounts/user/{User.objects.get(username=username).pk}/change/"


def test_system_admin_sees_the_agency_list(demo: None, client: Client) -> None:
    login(client, "sysadmin")
    assert client.get("/admin/accounts/agency/").status_code == 200


def test_system_admin_sees_service_types(demo: None, client: Client) -> None:
    login(client, "sysadmin")
    assert client.get("/admin/directory/servicetype/").status_code == 200


def test_system_admin_gets_404_for_persons(demo: None, client: Client) -> None:
    login(client, "sysadmin")
    assert client.get("/admin/cases/person/").status_code == 404


def test_agency_admin_cannot_open_agencies(demo: None, client: Client) -> None:
    login(client, "ngo.admin")
    assert client.get("/admin/accounts/agency/").status_code == 403


def test_agency_admin_lists_only_own_agency_members(demo: None, client: Client) -> None:
    login(client, "ngo.admin")
    listed = set(client.get("/admin/accounts/user/").context["cl"].result_list)
    assert {u.username for u in listed} == {
        "ngo.worker",
        "ngo.supervisor",
        "ngo.child",
        "ngo.admin",
    }


def test_agency_admin_can_open_a_member_of_own_agency(demo: None, client: Client) -> None:
    login(client, "ngo.admin")
    assert client.get(change_url("ngo.worker")).status_code == 200


def test_agency_admin_cannot_open_a_member_of_another_agency(demo: None, client: Client) -> None:
    login(client, "ngo.admin")
    # The admin redirects with "does not exist" rather than revealing the user.
    assert client.get(change_url("police.officer")).status_code == 302


def test_agency_admin_cannot_grant_staff_rights(demo: None, client: Client) -> None:
    login(client, "ngo.admin")
    form = client.get(change_url("ngo.worker")).context["adminform"].form
    assert not {"is_staff", "is_superuser", "groups", "user_permissions"} & set(form.fields)


def test_agency_admin_can_place_members_only_in_own_agency(demo: None, client: Client) -> None:
    login(client, "ngo.admin")
    formset = client.get(change_url("ngo.worker")).context["inline_admin_formsets"][0].formset
    agencies = {a.name for a in formset.forms[0].fields["agency"].queryset}
    assert agencies == {"Crisis Centre «Umit-Demo»"}


def test_agency_admin_cannot_make_system_administrators(demo: None, client: Client) -> None:
    login(client, "ngo.admin")
    formset = client.get(change_url("ngo.worker")).context["inline_admin_formsets"][0].formset
    roles = {value for value, _ in formset.forms[0].fields["role"].choices}
    assert Role.SYSTEM_ADMIN not in roles


def test_agency_admin_adds_a_member_to_own_agency(demo: None, client: Client) -> None:
    admin_user = login(client, "ngo.admin")
    agency = Membership.objects.get(user=admin_user).agency
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "ngo.newcomer",
            "first_name": "Жаңа",
            "last_name": "Демоқызы",
            "email": "ngo.newcomer@example.org",
            "preferred_language": "kk",
            "password1": "a-long-demo-passphrase-2026",
            "password2": "a-long-demo-passphrase-2026",
            "usable_password": "true",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "1",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-agency": str(agency.pk),
            "memberships-0-role": Role.CASE_WORKER,
            "memberships-0-is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Membership.objects.filter(
        user__username="ngo.newcomer", agency=agency, role=Role.CASE_WORKER
    ).exists()


def test_agency_admin_cannot_delete_users(demo: None, client: Client) -> None:
    login(client, "ngo.admin")
    url = change_url("ngo.worker").replace("/change/", "/delete/")
    assert client.get(url).status_code == 403


def test_api_tokens_cannot_be_edited_in_the_admin(demo: None, client: Client) -> None:
    worker = actor_for(User.objects.get(username="ngo.worker"))
    assert worker is not None
    token, _ = api_token_create(actor=worker, name="demo script")
    login(client, "sysadmin")
    response = client.post(
        f"/admin/accounts/apitoken/{token.pk}/change/", {"name": "renamed by staff"}
    )
    token.refresh_from_db()
    assert response.status_code == 403 and token.name == "demo script"


def test_system_admin_revokes_a_token(demo: None, client: Client) -> None:
    worker = actor_for(User.objects.get(username="ngo.worker"))
    assert worker is not None
    token, _ = api_token_create(actor=worker, name="demo script")
    login(client, "sysadmin")
    client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [str(token.pk)]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_staff_revocation_is_audited_with_the_staff_member(demo: None, client: Client) -> None:
    worker = actor_for(User.objects.get(username="ngo.worker"))
    assert worker is not None
    token, _ = api_token_create(actor=worker, name="demo script")
    staff = login(client, "sysadmin")
    client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [str(token.pk)]},
    )
    assert AuditEvent.objects.filter(
        action="api_token_revoked_by_staff", actor_user_id=staff.pk, object_id=str(token.pk)
    ).exists()


def test_agency_admin_cannot_see_api_tokens(demo: None, client: Client) -> None:
    login(client, "ngo.admin")
    assert client.get("/admin/accounts/apitoken/").status_code == 403


def test_token_list_never_shows_the_digest(demo: None, client: Client) -> None:
    worker = actor_for(User.objects.get(username="ngo.worker"))
    assert worker is not None
    token, _ = api_token_create(actor=worker, name="demo script")
    login(client, "sysadmin")
    page = client.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    assert ApiToken.objects.get(pk=token.pk).digest not in page
