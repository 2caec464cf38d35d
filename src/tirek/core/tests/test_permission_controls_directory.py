"""Positive controls of the permission matrix: the service directory (services, agencies'
names, the HSDS exchange). See ``controls``."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.core.tests import controls
from tirek.core.tests.controls import Control, api, control_tests, web
from tirek.directory.hsds import hsds_export
from tirek.directory.models import Service
from tirek.testing.directory import service_build
from tirek.testing.personas import Personas


class World(controls.World):
    """The crisis centre's shelter; ``package`` is the directory exported while it was named
    "Exported shelter", since renamed: loading the package names it so again."""

    @cached_property
    def service(self) -> Service:
        return service_build(self.people.crisis_centre, self.people.shelter_service)

    @cached_property
    def crisis_centre(self) -> Agency:
        return self.people.crisis_centre

    @cached_property
    def package(self) -> bytes:
        Service.objects.filter(pk=self.service.pk).update(name_en="Exported shelter")
        package = hsds_export()
        Service.objects.filter(pk=self.service.pk).update(name_en="Renamed shelter")
        return package


def _agency_admin(w: World) -> Actor:
    return w.people.agency_admin


def _system_admin(w: World) -> Actor:
    return w.people.system_admin


def _service_data(w: World, **changes: Any) -> dict[str, Any]:
    return {
        "agency": str(w.people.crisis_centre.pk),
        "service_type": str(w.people.shelter_service.pk),
        "name_en": "Night shelter",
        "status": "active",
        "sex": "any",
        "citizenship": "any",
    } | changes


def _names(w: World) -> Any:
    return sorted(Service.objects.values_list("name_en", flat=True))


def _zip(w: World) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("d.zip", w.package, content_type="application/zip")}


CONTROLS: dict[str, Control] = {
    "POST directory:service_new": web(
        "POST",
        "directory:service_new",
        "",
        _agency_admin,
        302,
        refused=403,
        body=_service_data,
        state=lambda w: Service.objects.count(),
    ),
    "POST directory:service_edit": web(
        "POST",
        "directory:service_edit",
        "service",
        _agency_admin,
        302,
        refused=403,
        body=lambda w: _service_data(w, name_en="Renamed", version=str(w.service.version)),
        state=_names,
    ),
    "POST directory:agency_names": web(
        "POST",
        "directory:agency_names",
        "crisis_centre",
        _agency_admin,
        302,
        refused=403,
        body=lambda w: {
            f"a{w.crisis_centre.pk.hex[:8]}-name": w.crisis_centre.name,
            f"a{w.crisis_centre.pk.hex[:8]}-name_kk": "Test-Үміт дағдарыс орталығы",
        },
        state=lambda w: Agency.objects.values_list("name_kk", flat=True).get(pk=w.crisis_centre.pk),
    ),
    # the whole directory: system administrators
    "POST directory:exchange": web(
        "POST", "directory:exchange", "", _system_admin, 302, refused=403, body=_zip, state=_names
    ),
    "POST /directory/import": api(
        "POST",
        "/directory/import",
        _system_admin,
        200,
        refused=403,
        body=lambda w: w.package,
        state=_names,
    ),
}


@pytest.fixture
def world(people: Personas) -> World:
    return World(people)


test_allowed_persona_succeeds, test_outsider_is_refused = control_tests(CONTROLS)
