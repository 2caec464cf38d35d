"""The demo mechanisms: Almaty in force with two drafts, Shymkent in force, all illustrative."""

from __future__ import annotations

import pytest

from tirek.mechanisms.models import Mechanism
from tirek.mechanisms.selectors import mechanisms_compare
from tirek.web.tests.test_demo import demo_run

pytestmark = pytest.mark.django_db


def test_demo_loads_the_mechanisms_once() -> None:
    demo_run()
    almaty = Mechanism.objects.filter(territory__code="almaty")
    assert sorted(almaty.values_list("status", flat=True)) == ["draft", "draft", "in_force"]
    shymkent = Mechanism.objects.get(territory__code="shymkent")
    assert shymkent.status == "in_force"
    assert Mechanism.objects.filter(
        pk=shymkent.pk, created_by_agency__place__code="shymkent"
    ).exists()
    assert not Mechanism.objects.filter(deadlines_illustrative=False).exists()
    in_force = almaty.get(status="in_force")
    group_one, group_two = almaty.filter(status="draft").order_by("number")
    kinds = {row.code: row.kind for row in mechanisms_compare(in_force, group_two)}
    assert kinds["prosecutor-informed"] == "removed"
    assert kinds["social-benefits"] == "added"
    assert kinds["police-informed"] == "changed"
    demo_run()
    assert Mechanism.objects.count() == 4
