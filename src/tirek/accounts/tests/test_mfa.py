"""Second factors: enrolment, verification, recovery codes, the API, and the admin's reset."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tirek.accounts.mfa.services import mfa_reset
from tirek.accounts.models import Membership, User
from tirek.accounts.roles import Role
from tirek.core.errors import NotFound
from tirek.core.models import AuditEvent
from tirek.testing.api import BASE
from tirek.web.tests.support import SecureClient


@pytest.fixture(autouse=True)
def mfa_required(settings):
    settings.TIREK_MFA_REQUIRED = True
    settings.TIREK_REAUTH_REQUIRED = True


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def signed_in(user: User) -> SecureClient:
    client = SecureClient()
    client.force_login(user)
    return client


def with_authenticator(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def with_recovery_codes(user: User, *codes: str) -> None:
    device = StaticDevice.objects.create(user=user, name="codes", confirmed=True)
    for code in codes:
        StaticToken.objects.create(device=device, token=code)


def verified(user: User) -> SecureClient:
    """A session that has passed the second factor with a (new) authenticator."""
    client = signed_in(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or with_authenticator(
        user
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def test_unverified_case_worker_is_sent_to_enrolment(people):
    response = signed_in(people.aigul.user).get(reverse("cases:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa:enrol") + "?next=")


def test_user_with_an_authenticator_is_sent_to_verification(people):
    with_authenticator(people.aigul.user)
    response = signed_in(people.aigul.user).get(reverse("web:home"))
    assert response["Location"].startswith(reverse("mfa:verify"))


def test_agency_admin_must_enrol_too(people):
    response = signed_in(people.agency_admin.user).get(reverse("web:home"))
    assert response["Location"].startswith(reverse("mfa:enrol"))


def test_django_admin_is_behind_the_second_factor(people):
    people.system_admin.user.is_staff = True
    people.system_admin.user.save()
    response = signed_in(people.system_admin.user).get("/admin/")
    assert response["Location"].startswith(reverse("mfa:enrol"))


def test_user_without_membership_or_staff_rights_is_not_asked(people):
    user = User.objects.create_user(username="no-agency", password="x-long-password-1")
    # The page saying they belong to no agency, not a redirect to enrolment.
    assert signed_in(user).get(reverse("web:home")).status_code == 403


def test_nobody_is_asked_when_mfa_is_not_required(people, settings):
    settings.TIREK_MFA_REQUIRED = False
    assert signed_in(people.aigul.user).get(reverse("web:home")).status_code == 200


def test_enrol_page_shows_a_qr_code_and_the_key_in_text(people):
    content = signed_in(people.aigul.user).get(reverse("mfa:enrol")).content.decode()
    device = TOTPDevice.objects.get(user=people.aigul.user, confirmed=False)
    assert 'src="data:image/svg+xml' in content
    assert device.config_url.split("secret=")[1][:4] in content.replace(" ", "")


def test_enrolment_with_a_valid_code_verifies_the_session(people):
    client = signed_in(people.aigul.user)
    client.get(reverse("mfa:enrol"))
    device = TOTPDevice.objects.get(user=people.aigul.user, confirmed=False)
    client.post(reverse("mfa:enrol"), {"code": code_for(device)})
    assert client.get(reverse("cases:list")).status_code == 200


def test_enrolment_shows_ten_recovery_codes_once(people):
    client = signed_in(people.aigul.user)
    client.get(reverse("mfa:enrol"))
    device = TOTPDevice.objects.get(user=people.aigul.user, confirmed=False)
    response = client.post(reverse("mfa:enrol"), {"code": code_for(device)})
    shown = re.findall(r'<code class="secret">([a-z2-7]{8})</code>', response.content.decode())
    assert sorted(shown) == sorted(
        StaticToken.objects.filter(device__user=people.aigul.user).values_list("token", flat=True)
    )
    assert len(shown) == 10


def test_enrolment_is_recorded_without_the_secret(people):
    client = signed_in(people.aigul.user)
    client.get(reverse("mfa:enrol"))
    device = TOTPDevice.objects.get(user=people.aigul.user, confirmed=False)
    client.post(reverse("mfa:enrol"), {"code": code_for(device)})
    event = AuditEvent.objects.get(action="mfa_enrolled")
    assert event.actor_user_id == people.aigul.user.pk
    assert device.key not in str(event.data) and "secret" not in str(event.data)


def test_wrong_enrolment_code_is_refused_with_a_clear_message(people):
    client = signed_in(people.aigul.user)
    client.get(reverse("mfa:enrol"))
    device = TOTPDevice.objects.get(user=people.aigul.user, confirmed=False)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("mfa:enrol"), {"code": wrong})
    assert response.status_code == 422
    assert "That code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=people.aigul.user, confirmed=True).exists()


def test_verification_with_the_app_code_opens_the_pages(people):
    device = with_authenticator(people.aigul.user)
    client = signed_in(people.aigul.user)
    client.post(reverse("mfa:verify"), {"code": code_for(device)})
    assert client.get(reverse("cases:list")).status_code == 200


def test_wrong_verification_code_is_refused(people):
    device = with_authenticator(people.aigul.user)
    client = signed_in(people.aigul.user)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("mfa:verify"), {"code": wrong})
    assert response.status_code == 422 and "That code is not right" in response.content.decode()


def test_verification_returns_to_the_page_asked_for(people):
    device = with_authenticator(people.aigul.user)
    client = signed_in(people.aigul.user)
    response = client.post(
        reverse("mfa:verify"), {"code": code_for(device), "next": reverse("cases:list")}
    )
    assert response["Location"] == reverse("cases:list")


def test_verification_does_not_return_to_another_site(people):
    device = with_authenticator(people.aigul.user)
    client = signed_in(people.aigul.user)
    response = client.post(
        reverse("mfa:verify"), {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("web:home")


def test_a_recovery_code_signs_in(people):
    with_authenticator(people.aigul.user)
    with_recovery_codes(people.aigul.user, "abcdefgh", "ijklmnop")
    client = signed_in(people.aigul.user)
    client.post(reverse("mfa:verify"), {"code": "abcd efgh"})
    assert client.get(reverse("cases:list")).status_code == 200


def test_a_recovery_code_works_only_once(people):
    with_authenticator(people.aigul.user)
    with_recovery_codes(people.aigul.user, "abcdefgh", "ijklmnop")
    signed_in(people.aigul.user).post(reverse("mfa:verify"), {"code": "abcdefgh"})
    response = signed_in(people.aigul.user).post(reverse("mfa:verify"), {"code": "abcdefgh"})
    assert response.status_code == 422


def test_unverified_user_with_an_app_cannot_enrol_another(people):
    with_authenticator(people.aigul.user)
    client = signed_in(people.aigul.user)
    client.get(reverse("mfa:enrol"))
    assert TOTPDevice.objects.filter(user=people.aigul.user).count() == 1


def test_security_page_lists_the_factors(people):
    with_recovery_codes(people.aigul.user, "abcdefgh", "ijklmnop")
    content = verified(people.aigul.user).get(reverse("mfa:security")).content.decode()
    assert "Set up on" in content and "2 unused" in content


def test_api_call_from_an_unverified_session_is_refused(people):
    response = signed_in(people.aigul.user).get(BASE + "/me", secure=True)
    assert response.status_code == 403 and response.json()["code"] == "mfa_required"


def test_api_call_with_a_token_is_not_asked_for_a_second_factor(people):
    from tirek.testing.api import ApiClient

    assert ApiClient(people.aigul).get("/me").status_code == 200


def test_api_call_from_a_verified_session_works(people):
    assert verified(people.aigul.user).get(BASE + "/me", secure=True).status_code == 200


# --- Reset by an administrator ---------------------------------------------------------------


def test_agency_admin_reset_removes_the_members_factors(people):
    with_authenticator(people.aigul.user)
    with_recovery_codes(people.aigul.user, "abcdefgh")
    mfa_reset(admin=people.agency_admin.user, member_id=people.aigul.user.pk)
    assert not TOTPDevice.objects.filter(user=people.aigul.user).exists()
    assert not StaticDevice.objects.filter(user=people.aigul.user).exists()


def test_after_a_reset_the_member_must_enrol_again(people):
    client = verified(people.aigul.user)
    mfa_reset(admin=people.agency_admin.user, member_id=people.aigul.user.pk)
    assert client.get(reverse("web:home"))["Location"].startswith(reverse("mfa:enrol"))


def test_reset_is_recorded(people):
    with_authenticator(people.aigul.user)
    mfa_reset(admin=people.agency_admin.user, member_id=people.aigul.user.pk)
    event = AuditEvent.objects.get(action="mfa_reset")
    assert (event.actor_user_id, event.object_id, event.actor_agency_id) == (
        people.agency_admin.user.pk,
        str(people.aigul.user.pk),
        people.crisis_centre.pk,
    )


def test_admin_of_another_agency_cannot_reset(people):
    with_authenticator(people.aigul.user)
    police_admin = User.objects.create_user(username="police-admin", password="x-long-pass-1")
    Membership.objects.create(user=police_admin, agency=people.police, role=Role.AGENCY_ADMIN)
    with pytest.raises(NotFound):
        mfa_reset(admin=police_admin, member_id=people.aigul.user.pk)
    assert TOTPDevice.objects.filter(user=people.aigul.user).exists()


def test_case_worker_cannot_reset_a_colleague(people):
    colleague = User.objects.create_user(username="colleague", password="x-long-pass-1")
    Membership.objects.create(user=colleague, agency=people.crisis_centre, role=Role.CASE_WORKER)
    with_authenticator(colleague)
    with pytest.raises(NotFound):
        mfa_reset(admin=people.aigul.user, member_id=colleague.pk)


def test_agency_admin_cannot_reset_a_system_admin(people):
    with_authenticator(people.system_admin.user)
    with pytest.raises(NotFound):
        mfa_reset(admin=people.agency_admin.user, member_id=people.system_admin.user.pk)


def test_system_admin_can_reset_anyone(people):
    with_authenticator(people.nurlan.user)
    mfa_reset(admin=people.system_admin.user, member_id=people.nurlan.user.pk)
    assert not TOTPDevice.objects.filter(user=people.nurlan.user).exists()


def test_reset_page_resets_after_reauthentication(people):
    with_authenticator(people.aigul.user)
    client = verified(people.agency_admin.user)
    url = reverse("mfa:member_reset", args=[people.aigul.user.pk])
    admin_device = TOTPDevice.objects.filter(user=people.agency_admin.user).get()
    client.post(
        reverse("mfa:reauth"),
        {"password": "correct-horse-battery-staple-42", "code": code_for(admin_device)},
    )
    client.post(url)
    assert not TOTPDevice.objects.filter(user=people.aigul.user).exists()


def test_reset_page_asks_for_reauthentication_first(people):
    with_authenticator(people.aigul.user)
    response = verified(people.agency_admin.user).post(
        reverse("mfa:member_reset", args=[people.aigul.user.pk])
    )
    assert response["Location"].startswith(reverse("mfa:reauth"))
    assert TOTPDevice.objects.filter(user=people.aigul.user).exists()


def test_members_page_lists_only_the_admins_agency(people):
    content = verified(people.agency_admin.user).get(reverse("mfa:members")).content.decode()
    assert "aigul" in content and "nurlan" not in content


def test_case_worker_cannot_open_the_members_page(people):
    assert verified(people.aigul.user).get(reverse("mfa:members")).status_code == 403


def test_django_admin_action_resets_after_reauthentication(people):
    user = people.system_admin.user
    user.is_staff = user.is_superuser = True
    user.save()
    with_authenticator(people.aigul.user)
    client = verified(user)
    session = client.session
    session["tirek_reauthenticated_at"] = __import__("time").time()
    session.save()
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "mfa_reset_selected", "_selected_action": [str(people.aigul.user.pk)]},
    )
    assert not TOTPDevice.objects.filter(user=people.aigul.user).exists()


def test_django_offers_no_device_admin(people):
    from django.contrib import admin

    assert not admin.site.is_registered(TOTPDevice)


def test_signing_in_with_the_login_form_leads_to_enrolment(people):
    """The whole way through the real login form (django-axes needs the request)."""
    client = SecureClient()
    response = client.post(
        reverse("login"),
        {"username": "aigul", "password": "correct-horse-battery-staple-42"},
        follow=True,
    )
    assert response.redirect_chain[-1][0].startswith(reverse("mfa:enrol"))


def test_security_page_is_in_the_navigation(people):
    content = verified(people.aigul.user).get(reverse("web:home")).content.decode()
    assert reverse("mfa:security") in content


def test_htmx_request_from_an_unverified_session_redirects_the_whole_page(people):
    response = signed_in(people.aigul.user).get(
        reverse("cases:list"), headers={"HX-Request": "true"}
    )
    assert response.status_code == 204 and response["HX-Redirect"] == reverse("mfa:enrol")
