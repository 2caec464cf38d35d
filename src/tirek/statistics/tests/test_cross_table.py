"""Victims by sex AND age group (the cross table Eurostat and UNODC ask for): counted once per
person, an agency's own as counted, the national one protected across both margins (k,
complementary suppression over rows and columns, rounding), its CSV, its differentially private
release, and the cells of facts counted before the table existed."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tirek.cases.choices import AgeGroup, Sex
from tirek.statistics.facts import facts_refresh
from tirek.statistics.models import Cell, Fact
from tirek.statistics.privacy import suppression
from tirek.statistics.tests.support import born_aged
from tirek.statistics.tests.test_dashboard import _client, small_k, world
from tirek.statistics.tests.test_privacy import recoverable
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build

__all__ = ["small_k", "world"]

CROSS = "sex_age"


def _table(api: ApiClient, query: str) -> dict[str, Any]:
    response = api.get(f"/statistics/tables/{CROSS}?{query}")
    assert response.status_code == 200, response.content
    payload: dict[str, Any] = response.json()
    return payload


def _cells(table: dict[str, Any]) -> dict[tuple[str, str], int | None]:
    columns = [column["key"] for column in table["columns"]]
    return {
        (row["key"], column): value
        for row in table["rows"]
        for column, value in zip(columns, row["cells"], strict=True)
    }


@pytest.fixture
def ages(world: dict[str, Any]) -> dict[str, Any]:
    """Besides the world's 4 women and 1 man aged 27: 3 girls aged 15 and 4 men aged 50."""
    people = world["people"]
    for n in range(3):
        case_build(people.aigul, first_name=f"Testgirl{n}", birth_date=born_aged(15))
    for n in range(4):
        case_build(people.aigul, first_name=f"Testman{n}", sex=Sex.MALE, birth_date=born_aged(50))
    facts_refresh()
    return world


def test_an_agency_sees_every_person_once_by_sex_and_age_group(ages):
    table = _table(ApiClient(ages["centre_chief"]), "scope=agency")
    assert [c["key"] for c in table["columns"]] == list(AgeGroup.values)
    assert [row["key"] for row in table["rows"]] == list(Sex.values)
    cells = _cells(table)
    assert cells[(Sex.FEMALE, "25-34")] == 4
    assert cells[(Sex.FEMALE, "12-17")] == 3
    assert cells[(Sex.MALE, "25-34")] == 1
    assert cells[(Sex.MALE, "45-59")] == 4
    assert table["total"] == 12
    # The margins are the sex table and the age group table (presumed and identified together).
    api = ApiClient(ages["centre_chief"])
    by_sex = api.get("/statistics/tables/sex?scope=agency").json()
    by_age = api.get("/statistics/tables/age_group?scope=agency").json()
    assert [row["total"] for row in table["rows"]] == [row["total"] for row in by_sex["rows"]]
    assert table["column_totals"] == [row["total"] for row in by_age["rows"]]


def test_the_national_cross_table_is_protected_across_both_margins(ages):
    table = _table(ApiClient(ages["coordinator"]), "scope=national")
    assert table["protected"] is True
    cells = _cells(table)
    assert cells[(Sex.MALE, "25-34")] is None  # one man aged 27: fewer than k
    assert cells[(Sex.FEMALE, "25-34")] == 4  # k = 3 in these tests, no rounding or noise
    released = [[*row["cells"], row["total"]] for row in table["rows"]]
    released.append([*table["column_totals"], table["total"]])
    withheld = {
        (i, j) for i, row in enumerate(released) for j, value in enumerate(row) if value is None
    }
    columns = [column["key"] for column in table["columns"]]
    exact = [[0] * len(columns) for _row in table["rows"]]
    agency = _table(ApiClient(ages["centre_chief"]), "scope=agency")  # the same people, exactly
    for i, row in enumerate(agency["rows"]):
        exact[i] = list(row["cells"])
    assert suppression(exact, settings.TIREK_STATISTICS_K) == withheld
    assert len(withheld) > 1  # the lone man's cell and the values that would give it away
    assert recoverable(exact, withheld) == set()  # no total minus visible cells tells it


def test_the_national_cross_table_is_rounded(ages, settings):
    settings.TIREK_STATISTICS_ROUNDING = 5
    table = _table(ApiClient(ages["coordinator"]), "scope=national")
    values = [v for row in table["rows"] for v in [*row["cells"], row["total"]] if v is not None]
    assert values and all(value % 5 == 0 for value in values)


def test_the_cross_table_downloads_as_csv_and_shows_on_the_dashboard(ages):
    client = _client(ages["centre_chief"])
    url = reverse("statistics:table_csv", args=[CROSS]) + "?scope=agency"
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="kk")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    with translation.override(response["Content-Language"]):
        assert rows[0][0] == translation.gettext("Sex / age group")
        assert rows[0][1:-1] == [str(label) for _key, label in AgeGroup.choices]
        women = next(row for row in rows if row[0] == str(Sex.FEMALE.label))
        title = translation.gettext("Victims by sex and age group")
    assert women[-1] == "7"
    page = client.get(reverse("statistics:dashboard") + "?scope=agency", HTTP_ACCEPT_LANGUAGE="kk")
    assert 'id="chart-sex_age"' in page.content.decode()
    assert title in page.content.decode()


def test_the_cross_table_is_in_a_differentially_private_release(ages):
    api = ApiClient(ages["coordinator"])
    answer = api.get("/statistics/tables?privacy=differential&epsilon=1").json()
    table = next(t for t in answer["tables"] if t["name"] == CROSS)
    assert [c["key"] for c in table["columns"]] == list(AgeGroup.values)
    assert [row["key"] for row in table["rows"]] == list(Sex.values)  # every sex, always
    assert table["epsilon"] > 0 and table["withheld"] == 0


def test_facts_counted_before_the_cross_table_get_its_cells(ages):
    """The data migration gives the facts their sex and age value and sums their cells."""
    from importlib import import_module

    migration = import_module("tirek.statistics.migrations.0007_sex_age_cells")
    before = sorted(
        Cell.objects.filter(dimension=CROSS).values_list(
            "scope", "quarter", "territory", "value", "series", "n", "key_sum"
        )
    )
    assert before
    for fact in Fact.objects.filter(unit="person"):
        fact.dims.pop(CROSS)
        fact.save(update_fields=["dims"])
    Cell.objects.filter(dimension=CROSS).delete()
    migration.forwards(apps, None)
    after = sorted(
        Cell.objects.filter(dimension=CROSS).values_list(
            "scope", "quarter", "territory", "value", "series", "n", "key_sum"
        )
    )
    assert after == before
    assert all(CROSS in fact.dims for fact in Fact.objects.filter(unit="person"))
