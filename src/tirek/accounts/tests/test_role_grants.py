"""Nobody widens their own rights; a case-reading role needs a second person; every change of
users, memberships, agencies and tokens is in the audit chain.

Regression for a self-escalation: an agency administrator gave their own membership the role
``supervisor`` through the admin, and their API token then listed and opened the agency's cases.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency, ApiToken, Membership, RoleGrant, User
from tirek.accounts.roles import Role
from tirek.accounts.services import (
    MembershipOutcome,
    api_token_create,
    membership_save,
    role_grant_decide,
)
from tirek.core.errors import Forbidden
from tirek.core.models import AuditEvent
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build
from tirek.testing.personas import PASSWORD


class HttpsClient(Client):
    def generic(self, *args: Any, **kwargs: Any) -> Any:
        return super().generic(*args, **{**kwargs, "secure": True})


def admin_client(user: User) -> HttpsClient:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = HttpsClient(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


def grant_admin_rights(user: User) -> None:
    from django.contrib.auth.models import Permission

    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="accounts",
            codename__in=[
                "add_user",
                "change_user",
                "view_user",
                "add_membership",
                "change_membership",
                "view_membership",
            ],
        )
    )


def second_admin(people) -> Actor:
    user = User.objects.create_user(username="admin-two", password=PASSWORD)
    membership = Membership.objects.create(
        user=user, agency=people.crisis_centre, role=Role.AGENCY_ADMIN
    )
    return Actor(user=user, membership=membership)


def held(outcome: MembershipOutcome) -> RoleGrant:
    assert outcome.grant is not None
    return outcome.grant


def newcomer(people) -> User:
    return User.objects.create_user(username="newcomer", password=PASSWORD)


def inline_post(
    user: User, membership: Membership | None, agency: Agency, role: str
) -> dict[str, str]:
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": user.email,
        "preferred_language": "ru",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1" if membership else "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-agency": str(agency.pk),
        "memberships-0-role": role,
        "memberships-0-is_active": "on",
        "memberships-0-user": str(user.pk),
    }
    if membership:
        data["memberships-0-id"] = str(membership.pk)
    return data


# --- The attack ---------------------------------------------------------------------------


def test_agency_admin_cannot_make_themselves_supervisor_through_the_admin(people):
    admin = people.agency_admin
    grant_admin_rights(admin.user)
    client = admin_client(admin.user)
    case_build(people.aigul)
    _token, secret = api_token_create(actor=admin, name="script")
    client.post(
        f"/admin/accounts/user/{admin.user.pk}/change/",
        inline_post(admin.user, admin.membership, people.crisis_centre, Role.SUPERVISOR),
    )
    admin.membership.refresh_from_db()
    cases = ApiClient(secret=secret).get("/cases")
    assert admin.membership.role == Role.AGENCY_ADMIN and cases.json()["count"] == 0


def test_own_memberships_are_read_only_in_the_admin(people):
    admin = people.agency_admin
    grant_admin_rights(admin.user)
    page = admin_client(admin.user).get(f"/admin/accounts/user/{admin.user.pk}/change/")
    formset = page.context["inline_admin_formsets"][0]
    assert not formset.has_change_permission and not formset.has_add_permission


def test_own_rights_are_read_only_in_the_admin(people):
    admin = people.system_admin
    grant_admin_rights(admin.user)
    page = admin_client(admin.user).get(f"/admin/accounts/user/{admin.user.pk}/change/")
    assert not {"is_active", "is_staff", "is_superuser", "groups"} & set(
        page.context["adminform"].form.fields
    )


def test_the_service_refuses_a_change_of_ones_own_membership(people):
    admin = people.system_admin
    with pytest.raises(Forbidden):
        membership_save(
            by=admin.user,
            user=admin.user,
            agency=people.crisis_centre,
            role=Role.SUPERVISOR,
            membership_id=admin.membership.pk,
        )


# --- Two persons for a case-reading role --------------------------------------------------


def test_a_case_reading_role_waits_for_a_second_administrator(people):
    user = newcomer(people)
    outcome = membership_save(
        by=people.agency_admin.user, user=user, agency=people.crisis_centre, role=Role.CASE_WORKER
    )
    assert not outcome.applied and not outcome.membership.is_active
    assert outcome.grant is not None and outcome.grant.status == RoleGrant.Status.PENDING


def test_the_asker_cannot_approve_their_own_request(people):
    outcome = membership_save(
        by=people.agency_admin.user,
        user=newcomer(people),
        agency=people.crisis_centre,
        role=Role.CASE_WORKER,
    )
    with pytest.raises(Forbidden):
        role_grant_decide(by=people.agency_admin.user, grant_id=held(outcome).pk, approve=True)


def test_a_second_administrator_approves_and_the_role_takes_effect(people):
    outcome = membership_save(
        by=people.agency_admin.user,
        user=newcomer(people),
        agency=people.crisis_centre,
        role=Role.CASE_WORKER,
    )
    role_grant_decide(by=second_admin(people).user, grant_id=held(outcome).pk, approve=True)
    outcome.membership.refresh_from_db()
    assert outcome.membership.is_active and outcome.membership.role == Role.CASE_WORKER


def test_the_coordinating_body_may_be_the_second_person(people):
    outcome = membership_save(
        by=people.agency_admin.user,
        user=newcomer(people),
        agency=people.crisis_centre,
        role=Role.CASE_WORKER,
    )
    grant = role_grant_decide(by=people.system_admin.user, grant_id=held(outcome).pk, approve=True)
    assert grant.status == RoleGrant.Status.APPROVED


def test_nobody_approves_a_role_for_themselves(people):
    """Two administrators cannot each approve what the other asked for themselves."""
    other = second_admin(people)
    outcome = membership_save(
        by=people.agency_admin.user,
        user=other.user,
        agency=people.crisis_centre,
        role=Role.SUPERVISOR,
        membership_id=other.membership.pk,
    )
    with pytest.raises(Forbidden):
        role_grant_decide(by=other.user, grant_id=held(outcome).pk, approve=True)


def test_an_administrator_of_another_agency_cannot_see_the_grant(people):
    police_admin = User.objects.create_user(username="police-admin", password=PASSWORD)
    Membership.objects.create(user=police_admin, agency=people.police, role=Role.AGENCY_ADMIN)
    outcome = membership_save(
        by=people.agency_admin.user,
        user=newcomer(people),
        agency=people.crisis_centre,
        role=Role.CASE_WORKER,
    )
    from tirek.core.errors import NotFound

    with pytest.raises(NotFound):
        role_grant_decide(by=police_admin, grant_id=held(outcome).pk, approve=True)


def test_widening_a_role_waits_but_narrowing_applies_at_once(people):
    worker = people.aigul
    widened = membership_save(
        by=people.agency_admin.user,
        user=worker.user,
        agency=people.crisis_centre,
        role=Role.SUPERVISOR,
        membership_id=worker.membership.pk,
    )
    supervisor = User.objects.create_user(username="boss", password=PASSWORD)
    boss = Membership.objects.create(
        user=supervisor, agency=people.crisis_centre, role=Role.SUPERVISOR
    )
    narrowed = membership_save(
        by=people.agency_admin.user,
        user=supervisor,
        agency=people.crisis_centre,
        role=Role.CASE_WORKER,
        membership_id=boss.pk,
    )
    assert (widened.applied, narrowed.applied) == (False, True)


def test_reactivating_a_case_reading_membership_waits(people):
    worker = people.aigul
    membership_save(
        by=people.agency_admin.user,
        user=worker.user,
        agency=people.crisis_centre,
        role=Role.CASE_WORKER,
        is_active=False,
        membership_id=worker.membership.pk,
    )
    again = membership_save(
        by=people.agency_admin.user,
        user=worker.user,
        agency=people.crisis_centre,
        role=Role.CASE_WORKER,
        is_active=True,
        membership_id=worker.membership.pk,
    )
    assert not again.applied and not Membership.objects.get(pk=worker.membership.pk).is_active


def test_agency_admin_cannot_make_a_system_administrator(people):
    with pytest.raises(Forbidden):
        membership_save(
            by=people.agency_admin.user,
            user=newcomer(people),
            agency=people.crisis_centre,
            role=Role.SYSTEM_ADMIN,
        )


# --- Tokens follow the membership ---------------------------------------------------------


def _live_tokens(membership: Membership) -> int:
    return ApiToken.objects.filter(membership=membership, revoked_at__isnull=True).count()


def test_changing_the_role_revokes_the_memberships_tokens(people):
    supervisor = User.objects.create_user(username="boss", password=PASSWORD)
    boss = Membership.objects.create(
        user=supervisor, agency=people.crisis_centre, role=Role.SUPERVISOR
    )
    api_token_create(actor=Actor(user=supervisor, membership=boss), name="script")
    membership_save(
        by=people.agency_admin.user,
        user=supervisor,
        agency=people.crisis_centre,
        role=Role.CASE_WORKER,
        membership_id=boss.pk,
    )
    assert _live_tokens(boss) == 0


def test_approving_a_move_to_another_agency_revokes_the_tokens(people):
    worker = people.aigul
    api_token_create(actor=worker, name="script")
    outcome = membership_save(
        by=people.system_admin.user,
        user=worker.user,
        agency=people.police,
        role=Role.CASE_WORKER,
        membership_id=worker.membership.pk,
    )
    assert _live_tokens(worker.membership) == 1  # held: nothing changes yet
    root = User.objects.create_superuser(username="root", password=PASSWORD)
    role_grant_decide(by=root, grant_id=held(outcome).pk, approve=True)
    assert _live_tokens(worker.membership) == 0


def test_deactivating_revokes_the_tokens(people):
    worker = people.aigul
    api_token_create(actor=worker, name="script")
    membership_save(
        by=people.agency_admin.user,
        user=worker.user,
        agency=people.crisis_centre,
        role=Role.CASE_WORKER,
        is_active=False,
        membership_id=worker.membership.pk,
    )
    assert _live_tokens(worker.membership) == 0


# --- The audit chain ----------------------------------------------------------------------


def test_the_request_is_in_the_audit_chain_with_before_and_after(people):
    worker = people.aigul
    outcome = membership_save(
        by=people.agency_admin.user,
        user=worker.user,
        agency=people.crisis_centre,
        role=Role.SUPERVISOR,
        membership_id=worker.membership.pk,
    )
    event = AuditEvent.objects.get(
        action="role_grant_requested", object_id=str(worker.membership.pk)
    )
    assert (event.data["before"]["role"], event.data["after"]["role"], event.data["grant"]) == (
        Role.CASE_WORKER,
        Role.SUPERVISOR,
        str(held(outcome).pk),
    )


def test_the_approval_is_in_the_audit_chain_with_the_approver(people):
    outcome = membership_save(
        by=people.agency_admin.user,
        user=newcomer(people),
        agency=people.crisis_centre,
        role=Role.CASE_WORKER,
    )
    role_grant_decide(by=people.system_admin.user, grant_id=held(outcome).pk, approve=True)
    event = AuditEvent.objects.get(action="role_grant_approved")
    assert event.actor_user_id == people.system_admin.user.pk
    assert (event.data["before"]["is_active"], event.data["after"]["is_active"]) == (False, True)


def test_a_member_added_in_the_admin_is_audited_and_held(people):
    admin = people.agency_admin
    grant_admin_rights(admin.user)
    admin_client(admin.user).post(
        "/admin/accounts/user/add/",
        {
            "username": "ngo.newcomer",
            "email": "ngo.newcomer@example.org",
            "preferred_language": "kk",
            "password1": "a-long-test-passphrase-2026",
            "password2": "a-long-test-passphrase-2026",
            "usable_password": "true",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "1",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-agency": str(people.crisis_centre.pk),
            "memberships-0-role": Role.CASE_WORKER,
            "memberships-0-is_active": "on",
        },
    )
    membership = Membership.objects.get(user__username="ngo.newcomer")
    assert not membership.is_active and RoleGrant.objects.filter(membership=membership).exists()
    assert {"user_created", "membership_created", "role_grant_requested"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )


def test_a_second_membership_at_the_same_agency_is_refused_clearly(people):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        membership_save(
            by=people.agency_admin.user,
            user=people.aigul.user,
            agency=people.crisis_centre,
            role=Role.CASE_WORKER,
        )


def test_user_rights_changed_in_the_admin_are_audited_with_before_and_after(people):
    staff = User.objects.create_superuser(username="root", password=PASSWORD)
    client = admin_client(staff)
    worker = people.aigul.user
    data = inline_post(worker, people.aigul.membership, people.crisis_centre, Role.CASE_WORKER)
    data["is_staff"] = "on"
    client.post(f"/admin/accounts/user/{worker.pk}/change/", data)
    event = AuditEvent.objects.get(action="user_changed", object_id=str(worker.pk))
    assert (event.data["before"], event.data["after"]) == ({"is_staff": False}, {"is_staff": True})


def test_agency_changes_in_the_admin_are_audited(people):
    staff = User.objects.create_superuser(username="root", password=PASSWORD)
    agency = people.police
    admin_client(staff).post(
        f"/admin/accounts/agency/{agency.pk}/change/",
        {
            "name": agency.name,
            "short_name": "",
            "type": agency.type,
            "place": str(agency.place_id),
            "country": "KAZ",
            "phone": "",
            "email": "",
            "is_active": "",
            "services": [str(pk) for pk in agency.services.values_list("pk", flat=True)],
        },
    )
    event = AuditEvent.objects.get(action="agency_changed", object_id=str(agency.pk))
    assert (event.data["before"], event.data["after"]) == (
        {"is_active": True},
        {"is_active": False},
    )


def test_the_audit_records_no_password(people):
    staff = User.objects.create_superuser(username="root", password=PASSWORD)
    client = admin_client(staff)
    client.post(
        f"/admin/accounts/user/{people.aigul.user.pk}/password/",
        {"password1": "another-long-passphrase-77", "password2": "another-long-passphrase-77"},
    )
    event = AuditEvent.objects.get(action="user_password_set")
    assert "another-long" not in str(event.data)


# --- Web page and API ---------------------------------------------------------------------


def test_the_second_administrator_approves_on_the_web_page(people):
    outcome = membership_save(
        by=people.agency_admin.user,
        user=newcomer(people),
        agency=people.crisis_centre,
        role=Role.CASE_WORKER,
    )
    client = HttpsClient(headers={"Accept-Language": "en"})
    client.force_login(second_admin(people).user)
    client.post(
        "/accounts/role-grants/", {"grant_id": str(held(outcome).pk), "decision": "approve"}
    )
    outcome.membership.refresh_from_db()
    assert outcome.membership.is_active


def test_the_asker_sees_no_approve_button(people):
    membership_save(
        by=people.agency_admin.user,
        user=newcomer(people),
        agency=people.crisis_centre,
        role=Role.CASE_WORKER,
    )
    client = HttpsClient(headers={"Accept-Language": "en"})
    client.force_login(people.agency_admin.user)
    page = client.get("/accounts/role-grants/").content.decode()
    assert "newcomer" in page and 'value="approve"' not in page


def test_the_api_lists_waiting_grants_for_administrators(people):
    membership_save(
        by=people.agency_admin.user,
        user=newcomer(people),
        agency=people.crisis_centre,
        role=Role.CASE_WORKER,
    )
    listed = ApiClient(second_admin(people)).get("/role-grants").json()
    assert [(g["member"]["username"], g["role"]) for g in listed] == [
        ("newcomer", Role.CASE_WORKER)
    ]


def test_the_api_approves_from_a_session(people):
    outcome = membership_save(
        by=people.agency_admin.user,
        user=newcomer(people),
        agency=people.crisis_centre,
        role=Role.CASE_WORKER,
    )
    client = ApiClient(second_admin(people), session=True)
    response = client.post(f"/role-grants/{held(outcome).pk}/approve")
    assert response.status_code == 200 and response.json()["status"] == "approved"


def test_the_outsider_cannot_list_grants(people):
    assert ApiClient(people.outsider).get("/role-grants").status_code == 403
