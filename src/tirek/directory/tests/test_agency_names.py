"""Agency names are shown in the reader's language on every page: templates print
``agency.label`` (Kazakh or Russian name, else the English one), never ``agency.name``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from tirek.accounts.models import Agency
from tirek.core.errors import Forbidden
from tirek.core.models import AuditEvent
from tirek.directory.agencies import AgencyNames, agency_names_update
from tirek.testing.api import ApiClient
from tirek.testing.personas import Personas
from tirek.web.tests.support import SecureClient

SRC = Path(__file__).resolve().parents[2]


def test_no_template_prints_the_english_name_of_an_agency() -> None:
    printing_name = re.compile(r"agency\.name\b(?!_)")
    offenders = [
        str(path.relative_to(SRC))
        for path in sorted(SRC.glob("*/templates/**/*.html"))
        if printing_name.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_label_is_the_name_in_the_active_language() -> None:
    agency = Agency(name="Test Crisis Centre", name_kk="Тест дағдарыс орталығы", name_ru="")
    with translation.override("kk"):
        kazakh = agency.label
    with translation.override("ru"):
        russian = agency.label
    assert (kazakh, russian) == ("Тест дағдарыс орталығы", "Test Crisis Centre")


# --- editing the names in the app -----------------------------------------------------------


KAZAKH = "Тест-Үміт дағдарыс орталығы"


@pytest.mark.django_db
def test_administrators_edit_names_and_each_change_is_audited(people: Personas) -> None:
    crisis = people.crisis_centre
    names = AgencyNames(name=crisis.name, name_kk=KAZAKH, name_ru="Кризисный центр Тест-Умит")
    agency_names_update(actor=people.agency_admin, agency_id=crisis.pk, names=names)
    crisis.refresh_from_db()
    assert crisis.name_kk == KAZAKH
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None and event.action == "agency.names_updated"
    assert event.data["changed"]["name_kk"] == ["", KAZAKH]
    agency_names_update(
        actor=people.system_admin,
        agency_id=people.police.pk,
        names=AgencyNames(name=people.police.name, name_kk="Тест полиция"),
    )
    with pytest.raises(Forbidden):  # an agency administrator, another agency
        agency_names_update(
            actor=people.agency_admin, agency_id=people.police.pk, names=AgencyNames(name="X")
        )
    with pytest.raises(Forbidden):  # case workers and coordinators do not configure agencies
        agency_names_update(actor=people.aigul, agency_id=crisis.pk, names=names)


@pytest.mark.django_db
def test_bad_names_are_refused_and_nothing_changes(people: Personas) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        agency_names_update(
            actor=people.system_admin,
            agency_id=people.crisis_centre.pk,
            names=AgencyNames(name=people.police.name.upper(), name_kk="x" * 201),
        )
    assert set(refused.value.message_dict) == {"name", "name_kk"}
    with pytest.raises(ValidationError):
        agency_names_update(
            actor=people.system_admin, agency_id=people.crisis_centre.pk, names=AgencyNames("")
        )
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_the_page_saves_names_in_place_and_kazakh_pages_show_them(people: Personas) -> None:
    admin = SecureClient()
    admin.force_login(people.agency_admin.user)
    page = admin.get(reverse("directory:agencies")).content.decode()
    assert people.crisis_centre.name in page and people.police.name not in page
    crisis = people.crisis_centre
    prefix = f"a{crisis.pk.hex[:8]}"
    url = reverse("directory:agency_names", args=[crisis.pk])
    refused = admin.post(url, {f"{prefix}-name": ""}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 422 and "official name" in refused.content.decode()
    saved = admin.post(
        url, {f"{prefix}-name": crisis.name, f"{prefix}-name_kk": KAZAKH}, HTTP_HX_REQUEST="true"
    )
    assert saved.status_code == 200 and f'id="agency-{crisis.pk}"' in saved.content.decode()
    worker = SecureClient()
    worker.force_login(people.aigul.user)
    assert worker.get(reverse("directory:agencies")).status_code == 403
    assert worker.post(url, {f"{prefix}-name": "Renamed"}).status_code == 403
    home = worker.get("/", HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert KAZAKH in home


@pytest.mark.django_db
def test_the_api_edits_names(people: Personas) -> None:
    path = f"/directory/organizations/{people.police.pk}/names"
    body = {"org_Name": people.police.name, "name_kk": "Тест қалалық полиция", "name_ru": ""}
    assert ApiClient(people.aigul).put(path, body).status_code == 403
    assert ApiClient(people.agency_admin).put(path, body).status_code == 403
    answer = ApiClient(people.system_admin).put(path, body)
    assert answer.status_code == 200 and answer.json()["name_kk"] == "Тест қалалық полиция"
    assert ApiClient(people.system_admin).put(path, body | {"org_Name": ""}).status_code == 400
    missing = "/directory/organizations/00000000-0000-4000-8000-000000000000/names"
    assert ApiClient(people.system_admin).put(missing, body).status_code == 404
