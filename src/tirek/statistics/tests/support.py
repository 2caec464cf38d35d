"""Helpers shared by the statistics tests."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency, Membership, User
from tirek.testing.api import ApiClient
from tirek.web.tests.support import SecureClient


def member(username: str, agency: Agency, role: str) -> Actor:
    user = User.objects.create_user(username=username, password=None)
    return Actor(
        user=user, membership=Membership.objects.create(user=user, agency=agency, role=role)
    )


def born_aged(years: int) -> datetime.date:
    """A birth date making a person ``years`` old today, whatever day the tests run on (the age
    groups count a person's age when the case opened, by the real clock)."""
    today = timezone.localdate()
    return datetime.date(today.year - years, today.month, 1)


def assert_refused(actor: Actor, api_path: str, csv_table: str) -> None:
    """The actor gets 403 from the API and from the CSV download."""
    assert ApiClient(actor).get(api_path).status_code == 403
    client = SecureClient()
    client.force_login(actor.user)
    url = reverse("statistics:table_csv", args=[csv_table])
    assert client.get(url).status_code == 403
