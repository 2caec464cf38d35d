"""Catalogue versions never change, so the live result reads them from a cache: a change of the
form costs a fixed, small number of queries."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tirek.screening.selectors import catalogue_current, catalogue_definition, catalogue_get
from tirek.screening.tests.test_views_screening import EXAMPLE_1, form_data
from tirek.testing.api import ApiClient

# The live result (web): session, user, membership and the like, and the version's id; nothing
# per list or indicator (16 before the cache). The API assessment: token and the version's id.
LIVE_RESULT_QUERIES = 8
API_ASSESS_QUERIES = 2


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def test_a_version_is_read_once_and_then_from_the_cache(people):
    current = catalogue_current()
    catalogue_definition(current)
    assert _queries(lambda: catalogue_definition(catalogue_get(catalogue_id=current.pk))) == 0
    assert _queries(lambda: list(current.indicators.all()) + list(current.lists.all())) == 0


def test_the_live_result_costs_a_few_queries(people, client):
    client.force_login(people.aigul.user)
    data = form_data(EXAMPLE_1)
    client.post(reverse("screening:assess"), data)
    count = _queries(lambda: client.post(reverse("screening:assess"), data))
    assert count <= LIVE_RESULT_QUERIES, count


def test_the_api_assessment_costs_a_few_queries(people):
    api = ApiClient(people.aigul)
    body = {"indicators": EXAMPLE_1}
    assert api.post("/screening/assess", body).status_code == 200
    count = _queries(lambda: api.post("/screening/assess", body))
    assert count <= API_ASSESS_QUERIES, count
