"""The mechanism pages: read by everyone, drafted and edited by coordinators."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.mechanisms.models import Mechanism
from tirek.mechanisms.services import mechanism_create, mechanism_update, step_save
from tirek.mechanisms.tests.test_mechanisms import police_step
from tirek.testing.api import ApiClient
from tirek.testing.personas import Personas
from tirek.web.tests.support import SecureClient

pytestmark = pytest.mark.django_db


def client_for(actor: Actor, language: str = "en") -> SecureClient:
    client = SecureClient(headers={"Accept-Language": language})
    client.force_login(actor.user)
    return client


@pytest.fixture
def draft(coordinator: Actor, people: Personas) -> Mechanism:
    mechanism = mechanism_create(actor=coordinator, territory_id=people.almaty.pk, title="Almaty")
    step_save(
        actor=coordinator,
        mechanism_id=mechanism.pk,
        expected_version=1,
        data=police_step(name_kk="Полицияға хабарланды <script>"),
    )
    mechanism.refresh_from_db()
    return mechanism


def test_a_case_worker_reads_the_table_and_the_diagram_but_cannot_edit(
    draft: Mechanism, people: Personas
) -> None:
    client = client_for(people.aigul, "kk")
    page = client.get(reverse("mechanisms:detail", args=[draft.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in text and "Полицияға хабарланды &lt;script&gt;" in text
    assert reverse("mechanisms:step_add", args=[draft.pk]) not in text
    svg = client.get(reverse("mechanisms:diagram", args=[draft.pk]))
    assert svg["Content-Type"].startswith("image/svg+xml")
    assert "<script" not in svg.content.decode()
    refused = client.post(reverse("mechanisms:step_add", args=[draft.pk]), {})
    assert refused.status_code == 403


def test_a_coordinator_adds_a_step_through_the_form(draft: Mechanism, coordinator: Actor) -> None:
    client = client_for(coordinator)
    url = reverse("mechanisms:step_add", args=[draft.pk])
    assert client.get(url + "?stage=first_assistance").status_code == 200
    data = {
        "version": draft.version,
        "stage": "first_assistance",
        "code": "shelter",
        "name_en": "Shelter placement",
        "action": "act",
        "agency_type": Agency.Type.NGO,
        "deadline_value": "24",
        "deadline_unit": "hours",
        "counted_from": "stage_entered",
        "escalate_after": "12",
        "age_group": "any",
        "citizenship": "any",
    }
    bad = client.post(url, data | {"code": "x y"})
    assert bad.status_code == 422
    assert "Latin letters" in bad.content.decode()
    response = client.post(url, data)
    assert response.status_code == 302
    assert draft.steps.filter(code="shelter", deadline_value=24).exists()


def test_export_then_import_through_the_pages(draft: Mechanism, coordinator: Actor) -> None:
    client = client_for(coordinator)
    exported = client.get(reverse("mechanisms:export", args=[draft.pk]))
    assert exported["Content-Disposition"].startswith("attachment")
    upload = SimpleUploadedFile("m.json", exported.content, content_type="application/json")
    response = client.post(reverse("mechanisms:import"), {"file": upload})
    assert response.status_code == 302
    assert Mechanism.objects.count() == 2
    broken = dict(json.loads(exported.content), steps=[{"code": "a"}])
    upload = SimpleUploadedFile("m.json", json.dumps(broken).encode(), "application/json")
    refused = client.post(reverse("mechanisms:import"), {"file": upload})
    assert refused.status_code == 422
    assert "steps[1]" in refused.content.decode()
    garbage = SimpleUploadedFile("m.json", b"\xff not json", "application/json")
    assert client.post(reverse("mechanisms:import"), {"file": garbage}).status_code == 422


def test_compare_page_shows_the_difference(draft: Mechanism, coordinator: Actor) -> None:
    other = mechanism_create(actor=coordinator, based_on_id=draft.pk, title="Group 2")
    step_save(
        actor=coordinator,
        mechanism_id=other.pk,
        expected_version=other.version,
        data=police_step(deadline_value=12),
        step_id=other.steps.get().pk,
    )
    client = client_for(coordinator)
    page = client.get(reverse("mechanisms:compare") + f"?left={draft.pk}&right={other.pk}")
    text = page.content.decode()
    assert page.status_code == 200
    assert "differs" in text and "deadline" in text
    assert "24 hours" in text and "12 hours" in text
    assert "0 steps are the same" in text


def test_compare_shows_a_different_reflection_period(draft: Mechanism, coordinator: Actor) -> None:
    other = mechanism_create(actor=coordinator, based_on_id=draft.pk, title="Group 2")
    mechanism_update(
        actor=coordinator,
        mechanism_id=other.pk,
        expected_version=other.version,
        title="Group 2",
        reflection_days=90,
    )
    url = reverse("mechanisms:compare") + f"?left={draft.pk}&right={other.pk}"
    text = client_for(coordinator).get(url).content.decode()
    assert "compare-reflection" in text
    assert "30 days (the default)" in text and "90 days" in text
    answer = ApiClient(coordinator).get(f"/mechanisms/compare?left={draft.pk}&right={other.pk}")
    assert answer.json()["differences"] == ["reflection_days"]
    same = mechanism_create(actor=coordinator, based_on_id=draft.pk, title="Group 3")
    url = reverse("mechanisms:compare") + f"?left={draft.pk}&right={same.pk}"
    assert "compare-reflection" not in client_for(coordinator).get(url).content.decode()


def test_put_in_force_from_the_page(draft: Mechanism, coordinator: Actor) -> None:
    client = client_for(coordinator)
    response = client.post(reverse("mechanisms:in_force", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Mechanism.Status.IN_FORCE
    page = client.get(reverse("mechanisms:list"))
    assert "In force" in page.content.decode()
