"""One API object mounting each app's router; OpenAPI at /api/docs."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="Tirek API",
    version="1",
    urls_namespace="api",
    description="Identification, referral and protection of victims of trafficking.",
)
