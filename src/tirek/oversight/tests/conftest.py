from __future__ import annotations

from dataclasses import dataclass

import pytest

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency, Membership, User
from tirek.accounts.roles import Role
from tirek.cases.models import Case
from tirek.testing.builders import case_build
from tirek.testing.personas import PASSWORD, Personas


def member(username: str, agency: Agency, role: str) -> Actor:
    user = User.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.org"
    )
    return Actor(
        user=user, membership=Membership.objects.create(user=user, agency=agency, role=role)
    )


@dataclass
class Oversight:
    people: Personas
    case: Case  # owned by the crisis centre (aigul)
    police_chief: Actor  # police supervisor: outside the case's circle
    centre_chief: Actor  # crisis centre supervisor: reviews accesses to the centre's cases
    centre_dpo: Actor  # data protection officer of the crisis centre
    commission: Agency
    commission_dpo: Actor  # data protection officer of the coordinating commission


@pytest.fixture
def oversight(people: Personas) -> Oversight:
    commission = Agency.objects.create(
        name="Test Coordinating Commission", type=Agency.Type.COMMISSION, place=people.almaty
    )
    return Oversight(
        people=people,
        case=case_build(people.aigul),
        police_chief=member("bolat", people.police, Role.SUPERVISOR),
        centre_chief=member("saule", people.crisis_centre, Role.SUPERVISOR),
        centre_dpo=member("dpo-umit", people.crisis_centre, Role.DATA_PROTECTION_OFFICER),
        commission=commission,
        commission_dpo=member("dpo-commission", commission, Role.DATA_PROTECTION_OFFICER),
    )
