"""The database going away: a clean 503 (page or JSON), nothing half-written, and recovery."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import OperationalError, connection
from django.test import Client

from tirek.cases.models import Case
from tirek.cases.tests.test_api_cases import REGISTRATION
from tirek.testing.api import ApiClient


@contextmanager
def database_gone() -> Iterator[None]:
    """Every query on this connection fails as if the server had gone away."""

    def refuse(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    with connection.execute_wrapper(refuse):
        yield


def web_client(actor) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(actor.user)
    return client


def test_a_page_answers_503_with_a_readable_message_not_a_traceback(people) -> None:
    client = web_client(people.aigul)
    with database_gone():
        response = client.get("/cases/", secure=True, HTTP_ACCEPT_LANGUAGE="en")
    text = response.content.decode()
    assert (response.status_code, response["Retry-After"]) == (503, "30")
    assert "cannot reach its database" in text
    assert "Traceback" not in text and "OperationalError" not in text


def test_the_page_is_in_the_users_language(people) -> None:
    client = web_client(people.aigul)
    with database_gone():
        response = client.get("/cases/", secure=True, HTTP_ACCEPT_LANGUAGE="ru")
    assert "базой данных" in response.content.decode()


def test_the_api_answers_503_json(people) -> None:
    api = ApiClient(people.aigul)
    api.client.raise_request_exception = False
    with database_gone():
        response = api.get("/cases")
    assert (response.status_code, response.json()["code"]) == (503, "unavailable")


def test_service_recovers_when_the_database_is_back(people) -> None:
    client = web_client(people.aigul)
    with database_gone():
        assert client.get("/cases/", secure=True).status_code == 503
    assert client.get("/cases/", secure=True).status_code == 200


def test_a_write_cut_off_leaves_nothing_half_written(people) -> None:
    api = ApiClient(people.aigul)
    api.client.raise_request_exception = False
    before = Case.objects.count()
    calls = {"n": 0}

    def fail_after_first_insert(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT"):
            calls["n"] += 1
            if calls["n"] > 1:
                raise OperationalError("connection lost")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail_after_first_insert):
        response = api.post("/cases", REGISTRATION)
    assert response.status_code == 503
    assert Case.objects.count() == before


def test_any_other_failure_is_a_plain_500_page(people, monkeypatch) -> None:
    import tirek.cases.views as views

    def broken(*args, **kwargs):
        raise RuntimeError("Synthetova")

    monkeypatch.setattr(views, "cases_page", broken)  # every case list reads its page
    client = web_client(people.aigul)
    response = client.get("/cases/", secure=True, HTTP_ACCEPT_LANGUAGE="en")
    text = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in text and "Synthetova" not in text


def test_readiness_reports_the_database(db, client) -> None:
    ok = client.get("/health/ready")
    with database_gone():
        gone = client.get("/health/ready")
    assert (ok.status_code, ok.json()["status"]) == (200, "ok")
    assert (gone.status_code, gone.json()["checks"]["database"]) == (503, "unavailable")


def test_liveness_needs_no_database_and_no_allowed_host(db, client) -> None:
    with database_gone():
        response = client.get("/health/live", HTTP_HOST="10.0.0.7:8000")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_probes_set_no_cookie(db, client) -> None:
    response = client.get("/health/ready")
    assert response.cookies == {}
