"""The Django admin is for configuration: case data is never in it."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client

from tirek.accounts.models import User
from tirek.cases.models import Case, CaseEvent, HistoricEvent, Person
from tirek.core.models import AuditEvent
from tirek.protection.models import Consent
from tirek.referrals.models import Referral

CASE_DATA_APPS = ("cases", "protection", "referrals", "screening", "matching")


class HttpsClient(Client):
    """Outside DEBUG plain HTTP is redirected to HTTPS, so every request goes over HTTPS."""

    def generic(self, *args: Any, **kwargs: Any) -> Any:
        return super().generic(*args, **{**kwargs, "secure": True})


@pytest.fixture
def client() -> Client:
    return HttpsClient()


def test_case_data_models_are_not_registered_in_the_admin() -> None:
    named = {Person, Case, HistoricEvent, CaseEvent, Consent, Referral}
    assert not named & set(admin.site._registry)


def test_no_model_of_a_case_data_app_is_registered_in_the_admin() -> None:
    registered = {
        model._meta.label
        for model in admin.site._registry
        if model._meta.app_label in CASE_DATA_APPS
    }
    assert registered == set()


def test_case_data_apps_are_known_to_django() -> None:
    # Guards the test above against a renamed app label that would make it vacuous.
    assert {"cases", "protection", "referrals"} <= {c.label for c in apps.get_app_configs()}


@pytest.mark.django_db
def test_superuser_gets_404_for_persons_in_the_admin(client: Client) -> None:
    client.force_login(User.objects.create_superuser("root-demo", "root@example.org", "x" * 16))
    assert client.get("/admin/cases/person/").status_code == 404


@pytest.mark.django_db
def test_superuser_gets_404_for_cases_in_the_admin(client: Client) -> None:
    client.force_login(User.objects.create_superuser("root-demo", "root@example.org", "x" * 16))
    assert client.get("/admin/cases/case/").status_code == 404


@pytest.mark.django_db
def test_audit_events_are_listed_read_only(client: Client) -> None:
    client.force_login(User.objects.create_superuser("root-demo", "root@example.org", "x" * 16))
    assert client.get("/admin/core/auditevent/").status_code == 200


@pytest.mark.django_db
def test_audit_events_cannot_be_added_in_the_admin(client: Client) -> None:
    client.force_login(User.objects.create_superuser("root-demo", "root@example.org", "x" * 16))
    assert client.get("/admin/core/auditevent/add/").status_code == 403


def test_audit_event_admin_allows_no_change() -> None:
    model_admin = admin.site._registry[AuditEvent]
    assert not model_admin.has_change_permission(request=None)  # type: ignore[arg-type]
