from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils.translation import override

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency, Membership, User
from tirek.accounts.roles import Role
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
