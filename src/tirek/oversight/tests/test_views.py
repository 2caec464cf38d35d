from __future__ import annotations

import pytest
from django.urls import reverse

from tirek.cases.models import CaseEvent
from tirek.core.models import AuditEvent
from tirek.oversight.models import BreakGlassAccess
from tirek.oversight.services import Action, break_glass_open
from tirek.web.tests.support import SecureClient

REASON = "Police found her at the station at night and she needs shelter now."


@pytest.fixture
def client():
    return SecureClient()


def login(client, actor):
    client.force_login(actor.user)
    return client


def open_by_post(client, oversight, reference=None, reason=REASON):
    return login(client, oversight.police_chief).post(
        reverse("oversight:break_glass_open"),
        {"case_reference": reference or oversight.case.reference, "reason": reason},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_supervisor_sees_the_emergency_link(client, oversight):
    page = login(client, oversight.police_chief).get(reverse("web:home"))
    assert reverse("oversight:emergency") in page.content.decode()


def test_case_worker_sees_no_emergency_link(client, oversight):
    page = login(client, oversight.people.aigul).get(reverse("web:home"))
    assert reverse("oversight:emergency") not in page.content.decode()


def test_dpo_sees_the_audit_link(client, oversight):
    page = login(client, oversight.centre_dpo).get(reverse("web:home"))
    assert reverse("oversight:audit") in page.content.decode()


def test_case_worker_sees_no_audit_link(client, oversight):
    page = login(client, oversight.people.aigul).get(reverse("web:home"))
    assert reverse("oversight:audit") not in page.content.decode()


def test_break_glass_form_opens_the_case_page(client, oversight):
    response = open_by_post(client, oversight)
    assert response.headers["Location"] == reverse("cases:detail", args=[oversight.case.pk])


def test_opened_case_page_is_readable(client, oversight):
    open_by_post(client, oversight)
    page = client.get(reverse("cases:detail", args=[oversight.case.pk]))
    assert page.status_code == 200


def test_short_reason_is_refused_on_the_form(client, oversight):
    response = open_by_post(client, oversight, reason="urgent")
    assert (response.status_code, BreakGlassAccess.objects.count()) == (422, 0)


def test_unknown_reference_shows_the_neutral_message_on_the_form(client, oversight):
    response = open_by_post(client, oversight, reference="TK-AAAAAAAA")
    assert "cannot be opened in an emergency" in response.content.decode()


@pytest.mark.parametrize("persona", ["aigul", "outsider", "agency_admin"])
def test_others_cannot_post_break_glass(client, oversight, persona):
    response = login(client, getattr(oversight.people, persona)).post(
        reverse("oversight:break_glass_open"),
        {"case_reference": oversight.case.reference, "reason": REASON},
    )
    assert (response.status_code, BreakGlassAccess.objects.count()) == (403, 0)


def test_owner_supervisor_sees_the_waiting_count(client, oversight):
    break_glass_open(
        actor=oversight.police_chief, case_reference=oversight.case.reference, reason=REASON
    )
    page = login(client, oversight.centre_chief).get(reverse("web:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert '1<span class="visually-hidden"> waiting for review' in page.content.decode()


def test_owner_supervisor_reviews_on_the_page(client, oversight):
    access = break_glass_open(
        actor=oversight.police_chief, case_reference=oversight.case.reference, reason=REASON
    )
    login(client, oversight.centre_chief).post(
        reverse("oversight:access_review", args=[access.pk]), {"justified": "yes"}
    )
    access.refresh_from_db()
    assert access.review == BreakGlassAccess.Review.JUSTIFIED


def test_reviewer_reads_the_reason(client, oversight):
    access = break_glass_open(
        actor=oversight.police_chief, case_reference=oversight.case.reference, reason=REASON
    )
    page = login(client, oversight.centre_chief).get(
        reverse("oversight:access_detail", args=[access.pk])
    )
    assert "station at night" in page.content.decode()


def test_outsider_gets_404_on_an_access(client, oversight):
    access = break_glass_open(
        actor=oversight.police_chief, case_reference=oversight.case.reference, reason=REASON
    )
    page = login(client, oversight.people.outsider).get(
        reverse("oversight:access_detail", args=[access.pk])
    )
    assert page.status_code == 404


def test_supervisor_of_another_agency_cannot_review_on_the_page(client, oversight):
    access = break_glass_open(
        actor=oversight.police_chief, case_reference=oversight.case.reference, reason=REASON
    )
    response = login(client, oversight.police_chief).post(
        reverse("oversight:access_review", args=[access.pk]), {"justified": "yes"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["aigul", "outsider", "agency_admin", "system_admin"])
def test_case_worker_and_admins_get_404_on_the_audit_view(client, oversight, persona):
    page = login(client, getattr(oversight.people, persona)).get(reverse("oversight:audit"))
    assert page.status_code == 404


def test_supervisor_gets_404_on_the_audit_view(client, oversight):
    page = login(client, oversight.police_chief).get(reverse("oversight:audit"))
    assert page.status_code == 404


def test_dpo_filters_by_case_reference(client, oversight):
    page = login(client, oversight.commission_dpo).get(
        reverse("oversight:audit"),
        {"case_reference": oversight.case.reference, "kind": CaseEvent.Kind.CASE_REGISTERED},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "1 event" in page.content.decode()


def test_audit_view_shows_no_names_of_persons(client, oversight):
    page = login(client, oversight.commission_dpo).get(reverse("oversight:audit"))
    assert "Synthetova" not in page.content.decode()


def test_dpo_exports_csv(client, oversight):
    response = login(client, oversight.commission_dpo).post(
        reverse("oversight:audit_export"), {"case_reference": oversight.case.reference}
    )
    assert response["Content-Type"].startswith("text/csv")


def test_csv_export_on_the_page_is_recorded(client, oversight):
    login(client, oversight.commission_dpo).post(reverse("oversight:audit_export"), {})
    assert AuditEvent.objects.filter(action=Action.AUDIT_EXPORTED).count() == 1


def test_case_worker_gets_404_on_the_export(client, oversight):
    response = login(client, oversight.people.aigul).post(reverse("oversight:audit_export"), {})
    assert response.status_code == 404


def test_export_needs_a_recent_reauthentication(client, oversight, settings):
    settings.TIREK_REAUTH_REQUIRED = True
    response = login(client, oversight.commission_dpo).post(reverse("oversight:audit_export"), {})
    assert (
        response.status_code,
        AuditEvent.objects.filter(action=Action.AUDIT_EXPORTED).count(),
    ) == (
        302,
        0,
    )


def test_break_glass_needs_a_recent_reauthentication(client, oversight, settings):
    settings.TIREK_REAUTH_REQUIRED = True
    response = open_by_post(client, oversight)
    assert (response.status_code, BreakGlassAccess.objects.count()) == (302, 0)
