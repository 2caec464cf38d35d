"""The harness of the permission matrix's positive controls (``test_permission_controls_*``).

A control is one route on a real object: the persona allowed succeeds and the change is seen in
the database; the outsider is refused with the matrix's status and nothing changes. Each module of
controls has a world of its own (built lazily: a control builds only the objects it names) and a
``CONTROLS`` dictionary keyed like the matrix's rows; ``test_every_refused_row_has_a_control``
(in ``test_permission_matrix_controls``) gathers them all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pytest
from django.urls import reverse

from tirek.accounts.actor import Actor
from tirek.cases.models import Case
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build
from tirek.testing.personas import Personas
from tirek.web.tests.support import SecureClient


class World:
    """What a module's controls name, built when they name it (a subclass adds its objects);
    ``case`` is Aigul's case at the crisis centre."""

    def __init__(self, people: Personas) -> None:
        self.people = people

    @cached_property
    def case(self) -> Case:
        return case_build(self.people.aigul)


def owner(w: World) -> Actor:
    """The case worker who owns Aigul's case."""
    return w.people.aigul


@dataclass
class Control:
    """One route on a real object: who may, what it sends, what the allowed one gets, what the
    outsider gets, and what must stay as it was when the outsider is refused."""

    kind: str  # "api" or "web"
    method: str  # GET, POST, PUT, PATCH, DELETE; MULTIPART for a form with a file (API)
    path: Callable[[Any], str]
    allowed: Callable[[Any], Actor]
    succeeds: int
    refused: int | None = 404  # None: nobody is refused (every persona may use the route)
    body: Callable[[Any], Any] = lambda w: None
    state: Callable[[Any], Any] = lambda w: None
    refuser: Callable[[Any], Actor] | None = None  # refused in the outsider's place
    session: bool = False  # an API route for a signed-in web session, not a token


def api(
    method: str, path: str, allowed: Callable[[Any], Actor], succeeds: int, **kw: Any
) -> Control:
    """An API route; ``path`` names the world's objects, e.g. ``/tasks/{w.task.pk}/done``."""
    return Control(
        "api", method, lambda w: "/" + path.format(w=w).lstrip("/"), allowed, succeeds, **kw
    )


def web(
    method: str,
    name: str,
    of: str | Callable[[Any], list[Any]],
    allowed: Callable[[Any], Actor],
    succeeds: int,
    **kw: Any,
) -> Control:
    """A page; ``of`` names the world's objects in its URL, comma-separated ("" for none), or
    gives its arguments."""

    def path(w: Any) -> str:
        if callable(of):
            return reverse(name, args=of(w))
        return reverse(name, args=[getattr(w, part).pk for part in of.split(",") if part])

    return Control("web", method, path, allowed, succeeds, **kw)


def send(control: Control, path: str, body: Any, actor: Actor) -> Any:
    if control.kind == "api":
        client = ApiClient(actor, session=control.session)
        if control.method == "MULTIPART":
            return client.client.post(
                "/api/v1" + path, body, secure=True, HTTP_AUTHORIZATION=f"Bearer {client.secret}"
            )
        if isinstance(body, bytes):  # a file as the whole body (the directory's ZIP)
            return client.client.generic(
                control.method,
                "/api/v1" + path,
                body,
                content_type="application/zip",
                secure=True,
                HTTP_AUTHORIZATION=f"Bearer {client.secret}",
            )
        return client.request(control.method, path, body)
    page = SecureClient()
    page.force_login(actor.user)
    if control.method == "GET":
        return page.get(path)
    return page.post(path, body or {})


def attempt(control: Control, world: Any, actor: Actor) -> tuple[Any, Any, Any]:
    """The state before, the answer, the state after. The path and body are made first: they
    may build the objects they name, which must not count as the route's change."""
    path, body = control.path(world), control.body(world)
    before = control.state(world)
    response = send(control, path, body, actor)
    return before, response, control.state(world)


def _problems(response: Any) -> str:
    """What a refused form or API call says is wrong (for the failure message)."""
    text = response.content.decode(errors="replace")
    found = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', text, re.S)
    said = " | ".join(re.sub(r"<[^>]+>", " ", f).strip() for f in found) or text[:300]
    return f"{response.status_code}: {said}"


def allowed_succeeds(control: Control, world: Any) -> None:
    before, response, after = attempt(control, world, control.allowed(world))
    assert response.status_code == control.succeeds, _problems(response)
    if before is not None or after is not None:
        assert after != before  # it did what it says


def outsider_refused(control: Control, world: Any, outsider: Actor) -> None:
    """The outsider, or the persona refused in her place where she may use the route too."""
    refused = control.refuser(world) if control.refuser else outsider
    before, response, after = attempt(control, world, refused)
    assert (response.status_code, after) == (control.refused, before)


def control_tests(controls: dict[str, Control]) -> tuple[Callable[..., None], Callable[..., None]]:
    """A module's two tests over its controls (it gives the ``world`` fixture, with ``people``):
    ``test_allowed_persona_succeeds, test_outsider_is_refused = control_tests(CONTROLS)``."""

    @pytest.mark.parametrize("key", controls)
    def test_the_allowed_persona_succeeds(world: Any, key: str) -> None:
        allowed_succeeds(controls[key], world)

    @pytest.mark.parametrize("key", [k for k, c in controls.items() if c.refused is not None])
    def test_the_outsider_is_refused_on_the_same_object(world: Any, key: str) -> None:
        outsider_refused(controls[key], world, world.people.outsider)

    return test_the_allowed_persona_succeeds, test_the_outsider_is_refused_on_the_same_object
