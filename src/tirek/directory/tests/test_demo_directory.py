"""The demo's directory: Almaty and Shymkent providers, with Kazakh and Russian names."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from tirek.accounts.models import Agency
from tirek.directory.models import Service
from tirek.directory.selectors import providers_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    with override_settings(DEBUG=False, DEMO_MODE=True):
        call_command("demo", stdout=None)


def test_demo_shelters_with_free_places_in_two_cities(demo: None) -> None:
    cities = {
        code: [o.agency.short_name for o in providers_for(service_type="shelter", territory=code)]
        for code in ("almaty", "shymkent")
    }
    assert cities == {
        "almaty": ["Social (demo)", "Baspana", "Umit-Demo"],
        "shymkent": ["Sana-Demo"],
    }


def test_demo_agencies_are_named_in_kazakh(demo: None) -> None:
    with translation.override("kk"):
        unnamed = [a.name for a in Agency.objects.all() if a.label == a.name]
    assert unnamed == []


def test_loading_twice_adds_no_service(demo: None) -> None:
    before = Service.objects.count()
    with override_settings(DEBUG=False, DEMO_MODE=True):
        call_command("demo", stdout=None)
    assert Service.objects.count() == before
