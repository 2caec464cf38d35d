"""A small API client for tests: a persona's personal token on every request, JSON bodies."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from tirek.accounts.actor import Actor
from tirek.accounts.services import api_token_create

BASE = "/api/v1"


class ApiClient:
    """Calls ``/api/v1/...`` as one persona, authenticated with a freshly created API token."""

    def __init__(
        self, actor: Actor | None = None, *, secret: str | None = None, session: bool = False
    ) -> None:
        """``session=True`` signs the persona in to a web session instead of using a token."""
        self.client = Client()
        if session and actor is not None:
            self.client.force_login(actor.user)
        elif secret is None and actor is not None:
            _token, secret = api_token_create(actor=actor, name="tests")
        self.secret = secret

    def _headers(self, language: str | None) -> dict[str, str]:
        headers = {"HTTP_ACCEPT_LANGUAGE": language or "en"}
        if self.secret:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {self.secret}"
        return headers

    def request(
        self, method: str, path: str, body: Any = None, *, language: str | None = None
    ) -> Any:
        call = getattr(self.client, method.lower())
        kwargs: dict[str, Any] = {"secure": True} | self._headers(language)
        if body is not None:
            kwargs |= {"data": json.dumps(body), "content_type": "application/json"}
        return call(BASE + path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.request("POST", path, {} if body is None else body, **kwargs)

    def patch(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.request("PATCH", path, {} if body is None else body, **kwargs)

    def put(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.request("PUT", path, {} if body is None else body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.request("DELETE", path, **kwargs)
