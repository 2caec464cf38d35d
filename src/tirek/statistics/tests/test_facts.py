"""The de-identified facts follow the cases, and the SQL rebuild gives the same cells."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from tirek.cases.choices import MethodOfControl, Sex, TraffickingStatus, TypeOfExploitation
from tirek.cases.services import VictimInput, case_victim_update
from tirek.statistics.facts import ALL, cells_rebuild, facts_refresh
from tirek.statistics.models import NATIONAL, Cell, Fact, Watermark
from tirek.testing.builders import case_build


def _cells() -> dict[tuple[str, int, str, str, str, str], tuple[int, int]]:
    return {
        (c.scope, c.quarter, c.territory, c.dimension, c.value, c.series): (c.n, c.key_sum)
        for c in Cell.objects.all()
    }


def _sex(scope: str = NATIONAL) -> dict[tuple[str, str], int]:
    rows = Cell.objects.filter(scope=scope, dimension="sex", territory=ALL)
    return {(c.value, c.series): c.n for c in rows} if scope == NATIONAL else {}


@pytest.fixture
def cases(people):
    made = [case_build(people.aigul, first_name=f"Test{n}") for n in range(3)]
    made.append(case_build(people.nurlan, first_name="Testman", sex=Sex.MALE))
    return made


def test_refresh_follows_the_timeline_and_the_rebuild_agrees(people, cases):
    assert facts_refresh().persons == 4
    assert _sex() == {("F", "presumed"): 3, ("M", "presumed"): 1}
    # One person per scope: national, and each agency owning a case.
    assert Fact.objects.filter(scope=NATIONAL).count() == 4
    assert Fact.objects.filter(scope=str(people.crisis_centre.pk)).count() == 3
    # Without the safety window (for late commits), only what changed is counted again.
    Watermark.objects.update(refreshed_at=None)

    case = cases[0]
    case_victim_update(
        actor=people.aigul,
        case=case,
        expected_version=case.version,
        victim=VictimInput(
            trafficking_status=TraffickingStatus.NOT_A_VICTIM,
            types_of_exploitation=[TypeOfExploitation.FORCED_LABOUR],
        ),
    )
    case = cases[1]
    case_victim_update(
        actor=people.aigul,
        case=case,
        expected_version=case.version,
        victim=VictimInput(
            trafficking_status=TraffickingStatus.ACTUAL,
            types_of_exploitation=[TypeOfExploitation.FORCED_LABOUR],
            methods_of_control=[MethodOfControl.DEBT_BONDAGE, MethodOfControl.WITHHOLDS_DOCUMENTS],
        ),
    )
    assert facts_refresh().persons == 2  # only the two changed cases are counted again
    assert _sex() == {("F", "presumed"): 1, ("F", "identified"): 1, ("M", "presumed"): 1}
    means = Cell.objects.filter(scope=NATIONAL, territory=ALL, dimension="means_of_control")
    assert {c.value: c.n for c in means if c.series == "identified"} == {
        "DebtBondage": 1,
        "WithholdsDocuments": 1,
    }
    incremental = _cells()
    facts_refresh()  # counting the same cases again changes nothing
    assert _cells() == incremental
    cells_rebuild()
    assert _cells() == incremental


def test_facts_hold_no_person_identifier(people, cases):
    facts_refresh()
    ids = {str(case.person_id) for case in cases} | {str(case.pk) for case in cases}
    for fact in Fact.objects.all():
        assert fact.key not in ids
        assert not ids.intersection(str(value) for value in fact.dims.values())
        assert set(fact.dims) == {
            "sex",
            "age_group",
            "sex_age",
            "citizenship",
            "exploitation",
            "means_of_control",
            "nrm_stage",
            "reflection",
            "return",
            "proceedings",
            "assistance_days",
            "service_days",
        }


def test_rebuild_command_counts_everything_again(people, cases):
    facts_refresh()
    before = _cells()
    Cell.objects.all().delete()
    out = StringIO()
    call_command("statistics", "rebuild", stdout=out)
    assert "Person records counted: 4" in out.getvalue()
    noise_free = {key: value[0] for key, value in before.items()}
    assert {key: value[0] for key, value in _cells().items()} == noise_free
