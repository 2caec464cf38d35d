"""The one compare-and-swap on a row's version (``core.versioning.versioned_update``)."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext_lazy

from tirek.cases.choices import CaseStatus
from tirek.cases.models import Case
from tirek.core.errors import ConcurrentUpdate
from tirek.core.versioning import versioned_update
from tirek.testing.builders import case_build

STALE = gettext_lazy("Someone else changed this case while you were editing. Reload and try again.")


def test_a_stale_version_raises_the_message_and_writes_nothing(people) -> None:
    case = case_build(people.aigul)
    before = Case.objects.values("version", "updated_at", "closure_reason").get(pk=case.pk)

    with pytest.raises(ConcurrentUpdate) as refused:
        versioned_update(
            case,
            expected_version=case.version - 1,
            conflict_message=STALE,
            fields={"closure_reason": "stale"},
        )

    assert (refused.value.message, refused.value.status_code) == (STALE, 409)
    assert Case.objects.values("version", "updated_at", "closure_reason").get(pk=case.pk) == before


def test_a_row_not_matching_where_is_refused_as_stale(people) -> None:
    case = case_build(people.aigul)
    version = case.version

    with pytest.raises(ConcurrentUpdate):
        versioned_update(
            case,
            expected_version=version,
            conflict_message=STALE,
            where={"status": CaseStatus.CLOSED},
            fields={"closure_reason": "not closed"},
        )

    assert Case.objects.get(pk=case.pk).version == version


def test_the_right_version_writes_the_fields_bumps_the_version_and_refreshes(people) -> None:
    case = case_build(people.aigul)
    version, stamped = case.version, case.updated_at

    versioned_update(
        case,
        expected_version=version,
        conflict_message=STALE,
        where={"status": case.status},
        fields={"closure_reason": "written"},
    )

    stored = Case.objects.get(pk=case.pk)
    assert (stored.version, stored.closure_reason) == (version + 1, "written")
    assert (case.version, case.closure_reason, case.updated_at) == (
        stored.version,
        stored.closure_reason,
        stored.updated_at,
    )
    assert stored.updated_at > stamped
