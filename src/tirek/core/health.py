"""Health endpoints for load balancers, Docker and Kubernetes.

- ``/health/live``: the process answers (no database touched). A failure means "restart me".
- ``/health/ready``: the database answers and every migration is applied. A failure means "send
  no traffic here for now".

Answered by a middleware placed first, before the host check, the HTTPS redirect, sessions and
authentication: a probe comes from inside the network with whatever Host header it has, over
plain HTTP, and must not create sessions. The answers say "ok" or name the failing check only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

LIVE = "/health/live"
READY = "/health/ready"

_migrations_applied = False


def readiness() -> tuple[bool, dict[str, str]]:
    """(ready, {check: "ok" | "unavailable" | "pending"})."""
    global _migrations_applied
    checks = {"database": "ok", "migrations": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        if not _migrations_applied:
            executor = MigrationExecutor(connection)
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
            _migrations_applied = not plan
            if plan:
                checks["migrations"] = "pending"
    except DatabaseError as error:
        logger.warning("Readiness: database unavailable (%s)", type(error).__name__)
        checks = {"database": "unavailable", "migrations": "unknown"}
        connection.close_if_unusable_or_obsolete()
    return all(value == "ok" for value in checks.values()), checks


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == LIVE:
            return _no_store(JsonResponse({"status": "ok"}))
        if request.path == READY:
            ready, checks = readiness()
            status = "ok" if ready else "unavailable"
            return _no_store(
                JsonResponse({"status": status, "checks": checks}, status=200 if ready else 503)
            )
        return self.get_response(request)


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response
