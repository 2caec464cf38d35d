"""Test helpers for the web pages."""

from __future__ import annotations

from typing import Any

from django.test import Client


class SecureClient(Client):
    """A test client whose requests arrive over HTTPS, as in production (no SSL redirect).

    It asks for English pages, so that tests can read the messages they expect.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"Accept-Language": "en"})
        super().__init__(*args, **kwargs)

    def generic(self, *args: Any, **kwargs: Any) -> Any:
        return super().generic(*args, **{**kwargs, "secure": True})
