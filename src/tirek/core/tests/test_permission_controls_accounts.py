"""Positive controls of the permission matrix: the API routes for a signed-in web session only
(a token is made, a role grant decided), which the matrix calls with tokens. See ``controls``."""

from __future__ import annotations

from functools import cached_property

import pytest

from tirek.accounts.actor import Actor
from tirek.accounts.models import ApiToken, Membership, RoleGrant, User
from tirek.accounts.roles import Role
from tirek.accounts.services import membership_save
from tirek.core.tests import controls
from tirek.core.tests.controls import Control, api, control_tests
from tirek.testing.personas import Personas


class World(controls.World):
    @cached_property
    def second_admin(self) -> Actor:
        """The crisis centre's second administrator, who decides what the first one asks."""
        user = User.objects.create_user(username="matrix-admin-two", password=None)
        membership = Membership.objects.create(
            user=user, agency=self.people.crisis_centre, role=Role.AGENCY_ADMIN
        )
        return Actor(user=user, membership=membership)

    @cached_property
    def grant(self) -> RoleGrant:
        """The first administrator asks for a case worker's role for a newcomer."""
        outcome = membership_save(
            by=self.people.agency_admin.user,
            user=User.objects.create_user(username="matrix-newcomer", password=None),
            agency=self.people.crisis_centre,
            role=Role.CASE_WORKER,
        )
        assert outcome.grant is not None
        return outcome.grant


def _second_admin(w: World) -> Actor:
    return w.second_admin


def _grant_status(w: World) -> str:
    return str(RoleGrant.objects.values_list("status", flat=True).get(pk=w.grant.pk))


CONTROLS: dict[str, Control] = {
    "POST /tokens": api(
        "POST",
        "/tokens",
        lambda w: w.people.aigul,
        201,
        refused=None,  # every persona makes her own tokens, the outsider too, from her session
        session=True,
        body=lambda w: {"name": "matrix"},
        state=lambda w: ApiToken.objects.count(),
    ),
    "POST /role-grants/{grant_id}/approve": api(
        "POST",
        "/role-grants/{w.grant.pk}/approve",
        _second_admin,
        200,
        refused=403,
        session=True,
        state=_grant_status,
    ),
    "POST /role-grants/{grant_id}/refuse": api(
        "POST",
        "/role-grants/{w.grant.pk}/refuse",
        _second_admin,
        200,
        refused=403,
        session=True,
        state=_grant_status,
    ),
}


@pytest.fixture
def world(people: Personas) -> World:
    return World(people)


test_allowed_persona_succeeds, test_outsider_is_refused = control_tests(CONTROLS)
