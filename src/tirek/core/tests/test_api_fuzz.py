"""A short, bounded fuzzing run of the whole API from its OpenAPI schema (schemathesis).

Every operation of ``/api/openapi.json`` gets a few generated requests, valid and invalid, as a
signed-in case worker: whatever comes in, the answer is never a server error.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error

from tirek.accounts.services import api_token_create
from tirek.api import api

EXAMPLES_PER_OPERATION = 4
OPENAPI = "/api/openapi.json"

# The directory's HSDS datapackage is uploaded as a zip file: generated bodies are sent as bytes.
schemathesis.serializer.alias("application/zip", "application/octet-stream")

# The document the server publishes at /api/openapi.json (checked below), built without a request
# so that the operations are known when tests are collected.
schema = schemathesis.openapi.from_dict(
    json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/")))
)
schema.app = WSGIHandler()


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """As Django's test client does: a request must not close the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(people, settings) -> str:
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]  # schemathesis calls the app as localhost
    _token, secret = api_token_create(actor=people.aigul, name="fuzz")
    return secret


def test_the_fuzzed_schema_is_the_published_one(client) -> None:
    published = client.get(OPENAPI).json()
    assert sorted(published["paths"]) == sorted(schema.raw_schema["paths"])


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_never_answers_with_a_server_error(case, token) -> None:
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    case.validate_response(response, checks=[not_a_server_error])
