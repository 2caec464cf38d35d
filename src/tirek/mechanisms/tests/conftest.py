from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils.translation import override

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency, Membership, User
from tirek.accounts.roles import Role
from tirek.mechanisms.models import Mechanism
from tirek.mechanisms.tests.support import _step, mechanism_in_force
from tirek.testing.personas import Personas


def member(username: str, agency: Agency, role: str) -> Actor:
    user = User.objects.create_user(
        username=username, password=None, email=f"{username}@example.org"
    )
    membership = Membership.objects.create(user=user, agency=agency, role=role)
    return Actor(user=user, membership=membership)


@pytest.fixture
def commission(people: Personas) -> Agency:
    return Agency.objects.create(
        name="Test Coordinating Commission", type=Agency.Type.COMMISSION, place=people.almaty
    )


@pytest.fixture
def coordinator(commission: Agency) -> Actor:
    return member("zhanar", commission, Role.COORDINATOR)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Services speak the active language; these tests read their English messages."""
    with override("en"):
        yield


@pytest.fixture
def almaty(coordinator: Actor, people: Personas) -> Mechanism:
    return mechanism_in_force(
        coordinator,
        people,
        [
            _step(
                "police-informed",
                "identification",
                action="notify",
                agency_type=Agency.Type.LAW_ENFORCEMENT,
            ),
            _step("guardianship", "identification", age_group="child"),
            _step("shelter", "first_assistance", service_type_id=people.shelter_service.pk),
            _step(
                "reflection",
                "reflection",
                deadline_value=30,
                deadline_unit="days",
                escalate_after=None,
            ),
            _step(
                "embassy",
                "first_assistance",
                citizenship="foreigner",
                agency_type=Agency.Type.EMBASSY,
            ),
            _step("sex-only", "first_assistance", exploitation=("SexualExploitation",)),
            _step(
                "labour-inspection",
                "first_assistance",
                deadline_value=3,
                deadline_unit="working_days",
                exploitation=("ForcedLabour",),
            ),
        ],
    )
