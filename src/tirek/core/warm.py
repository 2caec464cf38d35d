"""Load at process start what Django would otherwise load on the first request.

Django imports the URL configuration (every view and API module, and django-ninja's schemas)
and each language's translation catalogue on first use. In a fresh server process the first
requests therefore wait for seconds, and with threads every other request waits behind them on
the import lock: measured under load (bench/load.py --profile) a third of the first minute's
server time went there. The WSGI and ASGI entry points call ``application_warm`` before the
server takes requests.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import get_resolver
from django.utils.translation import trans_real


def application_warm() -> None:
    """Import the URL configuration and read the translation catalogues now."""
    get_resolver().url_patterns  # noqa: B018 (the property imports the URL configuration)
    for code, _name in settings.LANGUAGES:
        trans_real.translation(code)
