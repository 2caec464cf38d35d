from __future__ import annotations

import pytest

from tirek.accounts.actor import Actor
from tirek.accounts.models import Membership, User
from tirek.accounts.roles import Role
from tirek.testing.personas import PASSWORD, Personas


@pytest.fixture
def supervisor(people: Personas) -> Actor:
    """A supervisor of the crisis centre (the agency that owns the cases built by aigul)."""
    user = User.objects.create_user(username="gulnara", password=PASSWORD)
    membership = Membership.objects.create(
        user=user, agency=people.crisis_centre, role=Role.SUPERVISOR
    )
    return Actor(user=user, membership=membership)
