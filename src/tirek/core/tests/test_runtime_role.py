"""The runtime role of a PostgreSQL deployment (compose.yaml): ``migrate`` runs ``tirek audit
grants --apply`` as the owner; the web server, worker and scheduler connect as a role that owns
nothing, works normally, and cannot change or remove audit rows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from tirek.cases.models import Case, CaseEvent
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build

pytestmark = pytest.mark.postgresql

ROLE = "tirek_runtime_apply_test"
REFUSED = "permission denied|must be owner|must be superuser"
URL = f"postgres://{ROLE}:s3cret'pass@127.0.0.1:5432/tirek"


def run_audit(*args: str) -> str:
    out: list[str] = []

    class Out:
        def write(self, text: str) -> None:
            out.append(text)

    call_command("audit", *args, stdout=Out())
    return "".join(out)


def role_row() -> tuple[bool, bool, bool] | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolcanlogin, rolsuper, rolpassword IS NOT NULL FROM pg_authid "
            "WHERE rolname = %s",
            [ROLE],
        )
        row = cursor.fetchone()
    return None if row is None else (bool(row[0]), bool(row[1]), bool(row[2]))


@pytest.fixture
def as_runtime_role(people) -> Iterator[None]:
    """Roles and grants are transactional: they roll back with the test."""
    with override_settings(TIREK_RUNTIME_DATABASE_URL=URL):
        said = run_audit("grants", "--apply")
    assert f"The runtime role {ROLE}" in said
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {ROLE}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def test_apply_creates_an_ordinary_login_with_the_urls_password(people):
    assert role_row() is None
    with override_settings(TIREK_RUNTIME_DATABASE_URL=URL):
        run_audit("grants", "--apply")
        assert role_row() == (True, False, True)
        run_audit("grants", "--apply")  # after the next migration: the same, no error
    assert role_row() == (True, False, True)


def test_the_application_works_as_the_runtime_role(people, as_runtime_role):
    api = ApiClient(people.aigul)
    made = api.post(
        "/cases",
        {
            "person": {"prs_FirstName": "Rolegul", "prs_SecondName": "Synthetova", "sex": "F"},
            "victim": {"vic_TypeOfExploitation": ["ForcedLabour"]},
        },
    )
    assert made.status_code == 201, made.content
    case_id = made.json()["id"]
    assert api.get("/cases").status_code == 200
    assert api.get(f"/cases/{case_id}").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone() == (ROLE,)
    assert CaseEvent.objects.filter(case_id=case_id).count() >= 2  # registered, then read


def test_the_runtime_role_cannot_change_or_remove_audit_rows(people, as_runtime_role):
    case = case_build(people.aigul)
    for attempt in (
        "TRUNCATE cases_caseevent CASCADE",
        "TRUNCATE core_auditevent",
        "TRUNCATE core_chainhead CASCADE",
        "UPDATE cases_caseevent SET kind = 'case_updated'",
        "UPDATE core_auditevent SET action = 'nothing'",
        "DELETE FROM cases_caseevent",
        "DELETE FROM core_chainhead",
        "ALTER TABLE cases_caseevent DISABLE TRIGGER USER",
        f"ALTER ROLE {ROLE} SUPERUSER",
    ):
        with pytest.raises(DatabaseError, match=REFUSED):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(attempt)
    assert CaseEvent.objects.filter(case=case).exists()
    assert Case.objects.filter(pk=case.pk).exists()


def test_apply_without_a_password_needs_the_role_to_exist(people):
    with pytest.raises(CommandError, match="does not exist"):
        run_audit("grants", "--apply", "--role", ROLE)
    assert role_row() is None


def test_apply_refuses_the_owner_itself(people):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        row = cursor.fetchone()
    assert row is not None
    with pytest.raises(CommandError, match="must be another one"):
        run_audit("grants", "--apply", "--role", row[0])


def test_a_malformed_runtime_url_is_named(people):
    with override_settings(TIREK_RUNTIME_DATABASE_URL="mysql-ish://"):
        with pytest.raises(CommandError, match="TIREK_RUNTIME_DATABASE_URL"):
            run_audit("grants")
