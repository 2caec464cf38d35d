from __future__ import annotations

import pytest

from tirek.testing.personas import Personas, personas_create


@pytest.fixture
def people(db: None) -> Personas:
    return personas_create()
