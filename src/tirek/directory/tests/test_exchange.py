"""Exchanging the directory as an HSDS datapackage: web page, API and command."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from tirek.accounts.actor import Actor
from tirek.accounts.services import api_token_create
from tirek.directory.hsds import hsds_export
from tirek.directory.models import Service
from tirek.testing.api import BASE
from tirek.testing.directory import service_build
from tirek.testing.personas import Personas
from tirek.web.tests.support import SecureClient


def _client(people: Personas, who: str = "system_admin") -> SecureClient:
    client = SecureClient()
    client.force_login(getattr(people, who).user)
    return client


def _post_zip(actor: Actor, data: bytes) -> Any:
    _token, secret = api_token_create(actor=actor, name="tests")
    return SecureClient().post(
        BASE + "/directory/import",
        data=data,
        content_type="application/zip",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )


def _upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("directory.zip", data, content_type="application/zip")


def test_everyone_downloads_the_directory(people: Personas) -> None:
    service_build(people.crisis_centre, people.shelter_service)
    response = _client(people, "outsider").get("/directory/export/")
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "datapackage.json" in names and "service.csv" in names


def test_admin_loads_a_directory_on_the_page(people: Personas) -> None:
    service_build(people.crisis_centre, people.shelter_service, name_en="Loaded shelter")
    package = hsds_export()
    Service.objects.all().delete()
    response = _client(people).post("/directory/exchange/", {"file": _upload(package)})
    assert (response.status_code, Service.objects.get().name_en) == (302, "Loaded shelter")


def test_bad_file_on_the_page_lists_what_to_correct(people: Personas) -> None:
    response = _client(people).post("/directory/exchange/", {"file": _upload(b"not a zip")})
    assert response.status_code == 422 and "This is not a ZIP file" in response.content.decode()


def test_agency_admin_may_not_load_a_directory(people: Personas) -> None:
    response = _client(people, "agency_admin").post(
        "/directory/exchange/", {"file": _upload(hsds_export())}
    )
    assert response.status_code == 403


def test_api_import_refuses_a_bad_file_with_readable_json(people: Personas) -> None:
    response = _post_zip(people.system_admin, b"PK-not-really")
    assert (response.status_code, list(response.json()["errors"])) == (400, ["file"])


def test_api_import_loads_the_export(people: Personas) -> None:
    service_build(people.crisis_centre, people.shelter_service)
    response = _post_zip(people.system_admin, hsds_export())
    assert (response.status_code, response.json()["services_updated"]) == (200, 1)


def test_api_import_is_for_reference_data_admins(people: Personas) -> None:
    response = _post_zip(people.agency_admin, hsds_export())
    assert response.status_code == 403


def test_command_round_trip(people: Personas, tmp_path: Path) -> None:
    service_build(people.crisis_centre, people.shelter_service, name_en="Command shelter")
    target = tmp_path / "directory.zip"
    call_command("directory", "export", str(target), stdout=io.StringIO())
    Service.objects.all().delete()
    call_command("directory", "import", str(target), stdout=io.StringIO())
    assert Service.objects.get().name_en == "Command shelter"


def test_command_names_the_problems(people: Personas, tmp_path: Path) -> None:
    target = tmp_path / "bad.zip"
    target.write_bytes(b"nope")
    with translation.override("en"), pytest.raises(CommandError, match="not a ZIP"):
        call_command("directory", "import", str(target), stdout=io.StringIO())
