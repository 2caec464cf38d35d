"""The directory as an HSDS datapackage: export, import, round trip, clear refusals."""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from collections.abc import Iterator

import pytest
from django.utils import translation

from tirek.accounts.models import Agency
from tirek.core.models import AuditEvent
from tirek.directory.hsds import DirectoryImportError, hsds_export, hsds_import, hsds_tables
from tirek.directory.models import Location, Service
from tirek.directory.services import LocationInput, ScheduleInput, ServiceInput, service_create
from tirek.testing.personas import Personas


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Problems are read in English here (the services speak the request's language)."""
    with translation.override("en"):
        yield


def _directory(people: Personas) -> Service:
    people.crisis_centre.name_kk = "«Тест-Үміт» дағдарыс орталығы"
    people.crisis_centre.save()
    return service_create(
        actor=people.system_admin,
        agency_id=people.crisis_centre.pk,
        data=ServiceInput(
            service_type_id=people.shelter_service.pk,
            name_en="Shelter for women",
            name_ru="Приют для женщин",
            name_kk="Әйелдер баспанасы",
            sex=Service.Sex.FEMALE,
            minimum_age=18,
            citizenship=Service.Citizenship.CITIZENS,
            languages=("kk", "ru"),
            contact_name="Test Intake",
            contact_phone="+77012345678",
            area_ids=(people.almaty.pk,),
            location=LocationInput(
                address="Secret lane 9", city_id=people.almaty.pk, is_address_private=True
            ),
            schedules=(ScheduleInput(("MO", "TU"), datetime.time(9), datetime.time(18)),),
            capacity_unit="bed",
            capacity_maximum=12,
            capacity_available=5,
        ),
    )


def _files(package: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _comparable(tables: dict[str, list[dict[str, object]]]) -> dict[str, object]:
    return {
        name: sorted(
            json.dumps({k: v for k, v in row.items() if k != "last_modified"}, sort_keys=True)
            for row in rows
        )
        for name, rows in tables.items()
    }


def test_export_names_every_table_in_the_datapackage(people: Personas) -> None:
    _directory(people)
    files = _files(hsds_export())
    resources = json.loads(files["datapackage.json"])["resources"]
    assert sorted(r["path"] for r in resources) == sorted(f for f in files if f.endswith(".csv"))


def test_export_never_publishes_a_private_address(people: Personas) -> None:
    _directory(people)
    assert not any("Secret lane" in text for text in _files(hsds_export()).values())


def test_capacity_is_exported_with_unit_and_update_time(people: Personas) -> None:
    service = _directory(people)
    rows = list(csv.DictReader(io.StringIO(_files(hsds_export())["service_capacity.csv"])))
    capacity = service.capacities.get()
    assert [(r["available"], r["maximum"], r["updated"]) for r in rows] == [
        ("5", "12", capacity.updated.isoformat())
    ]


def test_round_trip_gives_the_same_directory(people: Personas) -> None:
    _directory(people)
    before = hsds_tables()
    package = hsds_export()
    Service.objects.all().delete()
    Location.objects.all().delete()
    hsds_import(actor=people.system_admin, data=package)
    assert _comparable(hsds_tables()) == _comparable(before)


def test_import_creates_a_new_organization_with_its_names(people: Personas) -> None:
    _directory(people)
    files = _files(hsds_export())
    files["organization.csv"] = files["organization.csv"].replace(
        "Crisis Centre Test-Umit", "Imported NGO Test"
    )
    rows = list(csv.DictReader(io.StringIO(files["organization.csv"])))
    rows[0]["id"] = "imported-ngo-1"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    files["organization.csv"] = out.getvalue()
    files["service.csv"] = files["service.csv"].replace(
        str(people.crisis_centre.pk), "imported-ngo-1"
    )
    files["location.csv"] = files["location.csv"].replace(
        str(people.crisis_centre.pk), "imported-ngo-1"
    )
    report = hsds_import(actor=people.system_admin, data=_zip(files))
    agency = Agency.objects.get(name="Imported NGO Test")
    assert (report.organizations_created, agency.name_kk) == (1, "«Тест-Үміт» дағдарыс орталығы")


def test_import_is_audited_once(people: Personas) -> None:
    _directory(people)
    hsds_import(actor=people.system_admin, data=hsds_export())
    assert AuditEvent.objects.filter(action="directory.imported").count() == 1


def _problems(data: bytes, people: Personas) -> list[str]:
    with pytest.raises(DirectoryImportError) as refused:
        hsds_import(actor=people.system_admin, data=data)
    return refused.value.problems


def test_not_a_zip_is_refused_clearly(people: Personas) -> None:
    assert "not a ZIP" in _problems(b"name,id\n", people)[0]


def test_missing_datapackage_json_is_refused(people: Personas) -> None:
    assert "datapackage.json" in _problems(_zip({"service.csv": "id\n"}), people)[0]


def test_missing_column_names_the_file(people: Personas) -> None:
    _directory(people)
    files = _files(hsds_export())
    files["service.csv"] = files["service.csv"].replace("organization_id", "org", 1)
    assert _problems(_zip(files), people) == ["service.csv: columns missing: organization_id."]


def test_bad_number_names_the_row_and_column(people: Personas) -> None:
    _directory(people)
    files = _files(hsds_export())
    files["service_capacity.csv"] = files["service_capacity.csv"].replace(",5,12,", ",five,12,")
    assert _problems(_zip(files), people) == [
        "service_capacity.csv, row 2, available: not a number: five."
    ]


def test_unknown_city_is_refused(people: Personas) -> None:
    _directory(people)
    files = _files(hsds_export())
    files["address.csv"] = files["address.csv"].replace("Almaty", "Atlantis")
    assert "unknown city: Atlantis" in _problems(_zip(files), people)[0]


def test_a_refused_file_changes_nothing(people: Personas) -> None:
    service = _directory(people)
    files = _files(hsds_export())
    files["service.csv"] = files["service.csv"].replace("Shelter for women", "Renamed")
    files["address.csv"] = files["address.csv"].replace("Almaty", "Atlantis")
    _problems(_zip(files), people)
    service.refresh_from_db()
    assert service.name_en == "Shelter for women"
