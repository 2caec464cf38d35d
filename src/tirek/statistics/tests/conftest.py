from __future__ import annotations

import pytest


@pytest.fixture
def small_k(settings):
    """k = 3, no rounding, no noise: small worlds give readable tables."""
    settings.TIREK_STATISTICS_K = 3
    settings.TIREK_STATISTICS_ROUNDING = 1
    settings.TIREK_STATISTICS_NOISE = 0
