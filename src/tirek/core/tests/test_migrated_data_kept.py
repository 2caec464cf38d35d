"""A transactional test empties the database when it ends; the rows the migrations loaded (the
indicator catalogue, the chain epoch, content types) must be there again for the next test,
whatever order the tests run in."""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import TransactionTestCase

from tirek.accounts.models import User
from tirek.core.models import ChainEpoch
from tirek.screening.models import Indicator
from tirek.screening.selectors import catalogue_current
from tirek.testing.builders import case_build
from tirek.testing.personas import personas_create


def _migrated() -> tuple[UUID, int, int, dict[str, int]]:
    catalogue = catalogue_current()
    return (
        catalogue.pk,
        Indicator.objects.filter(catalogue=catalogue).count(),
        ChainEpoch.objects.get(pk=1).epoch,
        {f"{ct.app_label}.{ct.model}": ct.pk for ct in ContentType.objects.all()},
    )


@pytest.mark.django_db(transaction=True)
def test_the_end_of_a_transactional_test_leaves_the_database_as_migrated():
    before = _migrated()
    case_build(personas_create().aigul)

    cast(Any, TransactionTestCase())._fixture_teardown()  # how every transactional test ends

    assert User.objects.count() == 0  # the test's own rows are gone
    assert _migrated() == before  # the migrations' rows are back, under their own keys
    ContentType.objects.create(app_label="tirek_test", model="after_flush")  # keys move on
