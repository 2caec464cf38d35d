"""The data migration that loads catalogue version 1, run with the models as they were then."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tirek.screening.models import Catalogue, Indicator, IndicatorList

pytestmark = pytest.mark.django_db

MIGRATION = ("screening", "0002_catalogue_v1")
data_migration = importlib.import_module("tirek.screening.migrations.0002_catalogue_v1")


def historical_apps():
    return MigrationExecutor(connection).loader.project_state(MIGRATION).apps


def test_catalogue_version_1_is_loaded_by_migrate() -> None:
    catalogue = Catalogue.objects.get(number=1)
    assert IndicatorList.objects.filter(catalogue=catalogue).count() == 4
    assert Indicator.objects.filter(catalogue=catalogue).count() > 0


def test_unloading_and_loading_again_gives_the_same_catalogue() -> None:
    before = sorted(Indicator.objects.filter(catalogue__number=1).values_list("code", "dimension"))
    data_migration.unload(historical_apps(), None)
    assert not Catalogue.objects.filter(number=1).exists()
    data_migration.load(historical_apps(), None)
    after = sorted(Indicator.objects.filter(catalogue__number=1).values_list("code", "dimension"))
    assert after == before


def test_loading_twice_loads_once() -> None:
    data_migration.load(historical_apps(), None)
    assert Catalogue.objects.filter(number=1).count() == 1
