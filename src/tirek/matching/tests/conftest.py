"""Fixtures of the matching integration tests: one woman registered by two agencies, in two
scripts, plus a supervisor and a coordinator (synthetic names only)."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import translation

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency, Membership, User
from tirek.accounts.roles import Role
from tirek.cases.models import Case
from tirek.testing.builders import case_build
from tirek.testing.personas import Personas


@dataclass
class MatchWorld:
    people: Personas
    police_case: Case  # ЖУМАБАЕВА Айгерим Кайратовна, registered by the police (nurlan)
    crisis_case: Case  # Aigerim Zhumabayeva, registered by the crisis centre (aigul)
    supervisor: Actor  # crisis centre supervisor
    coordinator: Actor  # the coordinating commission


COLUMNS = (
    "record_id", "given_name", "family_name", "patronymic", "sex", "birth_date", "citizenship",
)  # fmt: skip


def records_csv_write(
    path: Path, rows: Iterable[Sequence[str]], header: Sequence[str] = COLUMNS, **options: str
) -> Path:
    """A CSV of person records for the batch (``options``: ``encoding``)."""
    with path.open("w", newline="", encoding=options.get("encoding", "utf-8")) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def actor_add(username: str, agency: Agency, role: str) -> Actor:
    user = User.objects.create_user(username=username, password="x-" * 10)
    return Actor(
        user=user, membership=Membership.objects.create(user=user, agency=agency, role=role)
    )


def zhumabayeva(actor: Actor, *, cyrillic: bool = True) -> Case:
    if cyrillic:
        names = {"family_name": "ЖУМАБАЕВА", "first_name": "Айгерим", "patronymic": "Кайратовна"}
    else:
        names = {"family_name": "Zhumabayeva", "first_name": "Aigerim", "patronymic": ""}
    return case_build(actor, **names, birth_date=datetime.date(1994, 3, 12), citizenship=["KAZ"])


@pytest.fixture
def world(people: Personas) -> MatchWorld:
    commission = Agency.objects.create(
        name="Test Coordinating Commission", type=Agency.Type.LOCAL_GOVERNMENT, place=people.almaty
    )
    return MatchWorld(
        people=people,
        police_case=zhumabayeva(people.nurlan, cyrillic=True),
        crisis_case=zhumabayeva(people.aigul, cyrillic=False),
        supervisor=actor_add("saule-supervisor", people.crisis_centre, Role.SUPERVISOR),
        coordinator=actor_add("zhanar-coordinator", commission, Role.COORDINATOR),
    )


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Explanations are asserted in English."""
    with translation.override("en"):
        yield
