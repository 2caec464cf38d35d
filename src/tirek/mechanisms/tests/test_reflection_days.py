"""The mechanism says how long a case's reflection and recovery period is (default 30 days)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tirek.accounts.actor import Actor
from tirek.mechanisms.format import mechanism_export
from tirek.mechanisms.models import Mechanism
from tirek.mechanisms.selectors import mechanism_steps
from tirek.mechanisms.services import (
    mechanism_create,
    mechanism_import,
    mechanism_put_in_force,
    mechanism_update,
    step_save,
)
from tirek.mechanisms.tests.support import _step
from tirek.protection.reflection import reflection_days_for, reflection_start
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build
from tirek.testing.personas import Personas
from tirek.web.tests.support import SecureClient

pytestmark = pytest.mark.django_db


def in_force_with(coordinator: Actor, people: Personas, days: int | None) -> Mechanism:
    mechanism = mechanism_create(actor=coordinator, territory_id=people.almaty.pk, title="Almaty")
    step_save(
        actor=coordinator,
        mechanism_id=mechanism.pk,
        expected_version=mechanism.version,
        data=_step("police", "identification"),
    )
    mechanism.refresh_from_db()
    mechanism_update(
        actor=coordinator,
        mechanism_id=mechanism.pk,
        expected_version=mechanism.version,
        title="Almaty",
        reflection_days=days,
    )
    return mechanism_put_in_force(actor=coordinator, mechanism_id=mechanism.pk)


def test_without_a_mechanism_the_period_is_30_days(people: Personas) -> None:
    assert reflection_days_for(case_build(people.aigul)) == 30


def test_the_mechanism_in_force_gives_its_length_and_a_case_keeps_its_version(
    people: Personas, coordinator: Actor
) -> None:
    first = in_force_with(coordinator, people, 45)
    case = case_build(people.aigul)  # starts under the first version
    assert reflection_days_for(case) == 45
    with pytest.raises(ValidationError) as refused:
        reflection_start(actor=people.aigul, case_id=case.pk, days=40)
    assert "45" in refused.value.message_dict["days"][0]
    period = reflection_start(actor=people.aigul, case_id=case.pk)
    assert period.days_granted == 45
    second = mechanism_create(
        actor=coordinator, territory_id=people.almaty.pk, based_on_id=first.pk
    )
    assert second.reflection_days == 45  # a copy keeps it
    second.refresh_from_db()
    mechanism_update(
        actor=coordinator,
        mechanism_id=second.pk,
        expected_version=second.version,
        title="Almaty 2",
        reflection_days=None,
    )
    mechanism_put_in_force(actor=coordinator, mechanism_id=second.pk)
    assert reflection_days_for(case) == 45
    assert reflection_days_for(case_build(people.aigul, family_name="Newcase")) == 30


def test_the_length_is_checked_and_travels_in_the_file(
    people: Personas, coordinator: Actor
) -> None:
    mechanism = mechanism_create(actor=coordinator, territory_id=people.almaty.pk, title="A")
    with pytest.raises(ValidationError) as refused:
        mechanism_update(
            actor=coordinator,
            mechanism_id=mechanism.pk,
            expected_version=mechanism.version,
            title="A",
            reflection_days=10,
        )
    assert "reflection_days" in refused.value.message_dict
    mechanism_update(
        actor=coordinator,
        mechanism_id=mechanism.pk,
        expected_version=mechanism.version,
        title="A",
        reflection_days=60,
    )
    mechanism.refresh_from_db()
    document = mechanism_export(mechanism, mechanism_steps(mechanism))
    assert document["reflection_days"] == 60
    assert mechanism_import(actor=coordinator, document=document).reflection_days == 60
    with pytest.raises(ValidationError) as refused:
        mechanism_import(actor=coordinator, document=document | {"reflection_days": "sixty"})
    assert any("reflection_days" in m for m in refused.value.message_dict["file"])


def test_the_page_and_the_api_set_the_length(people: Personas, coordinator: Actor) -> None:
    mechanism = mechanism_create(actor=coordinator, territory_id=people.almaty.pk, title="A")
    client = SecureClient()
    client.force_login(coordinator.user)
    url = reverse("mechanisms:update", args=[mechanism.pk])
    form = {"version": mechanism.version, "title": "A", "reflection_days": "5"}
    assert client.post(url, form).status_code == 422
    assert client.post(url, form | {"reflection_days": "40"}).status_code == 302
    page = client.get(reverse("mechanisms:detail", args=[mechanism.pk])).content.decode()
    assert "40 days" in page
    api = ApiClient(coordinator)
    changed = api.patch(
        f"/mechanisms/{mechanism.pk}", {"version": 2, "title": "A", "reflection_days": 90}
    )
    assert changed.status_code == 200 and changed.json()["reflection_days"] == 90
    refused = api.patch(
        f"/mechanisms/{mechanism.pk}", {"version": 3, "title": "A", "reflection_days": 20}
    )
    assert refused.status_code == 400
