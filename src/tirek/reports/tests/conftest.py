from __future__ import annotations

import pytest
import time_machine

from tirek.accounts.models import Agency
from tirek.accounts.roles import Role
from tirek.reports.tests.support import NOW, member
from tirek.testing.builders import case_build


@pytest.fixture
def world(people):
    commission = Agency.objects.create(
        name="Test Coordinating Commission", type=Agency.Type.COMMISSION, place=people.almaty
    )
    with time_machine.travel(NOW, tick=False):
        for n in range(3):
            case_build(people.aigul, first_name=f"Test{n}")
    return {
        "people": people,
        "coordinator": member("report-coordinator", commission, Role.COORDINATOR),
        "colleague": member("report-colleague", commission, Role.COORDINATOR),
        "chief": member("report-chief", people.crisis_centre, Role.SUPERVISOR),
    }
