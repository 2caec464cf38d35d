from __future__ import annotations

import pytest
from hypothesis import settings

from tirek.testing.personas import Personas, personas_create

# Property tests check behaviour, not speed (speed lives in bench/): no per-example deadline, which
# on a shared, loaded machine fails a correct test at random.
settings.register_profile("tirek", deadline=None)
settings.load_profile("tirek")


@pytest.fixture
def people(db: None) -> Personas:
    return personas_create()
