"""Personal API tokens through the API: create (secret shown once), list, revoke."""

from __future__ import annotations

from tirek.accounts.models import ApiToken
from tirek.testing.api import ApiClient


def test_created_token_secret_works(people):
    created = (
        ApiClient(people.aigul, session=True).post("/tokens", {"name": "Reporting script"}).json()
    )
    assert ApiClient(secret=created["secret"]).get("/me").status_code == 200


def test_secret_is_not_listed_afterwards(people):
    client = ApiClient(people.aigul, session=True)
    client.post("/tokens", {"name": "Reporting script"})
    assert all("secret" not in token for token in client.get("/tokens").json())


def test_only_the_digest_is_stored(people):
    created = (
        ApiClient(people.aigul, session=True).post("/tokens", {"name": "Reporting script"}).json()
    )
    assert not ApiToken.objects.filter(digest=created["secret"]).exists()


def test_token_list_shows_only_own_tokens(people):
    ApiClient(people.dana, session=True).post("/tokens", {"name": "Dana's script"})
    ApiClient(people.aigul, session=True).post("/tokens", {"name": "Aigul's script"})
    names = [t["name"] for t in ApiClient(people.aigul).get("/tokens").json()]
    assert names == ["tests", "Aigul's script"] or names == ["Aigul's script", "tests"]


def test_revoked_token_stops_working_at_once(people):
    client = ApiClient(people.aigul, session=True)
    created = client.post("/tokens", {"name": "Old script"}).json()
    client.delete(f"/tokens/{created['id']}")
    assert ApiClient(secret=created["secret"]).get("/me").status_code == 401


def test_revoking_someone_elses_token_is_a_404(people):
    created = ApiClient(people.dana, session=True).post("/tokens", {"name": "Dana's script"}).json()
    assert ApiClient(people.aigul).delete(f"/tokens/{created['id']}").status_code == 404


def test_revoking_twice_is_a_409(people):
    client = ApiClient(people.aigul, session=True)
    created = client.post("/tokens", {"name": "Old script"}).json()
    client.delete(f"/tokens/{created['id']}")
    assert client.delete(f"/tokens/{created['id']}").status_code == 409


def test_token_lifetime_out_of_range_writes_nothing(people):
    client = ApiClient(people.aigul, session=True)
    response = client.post("/tokens", {"name": "Forever", "expires_in_days": 10_000})
    assert (response.status_code, list(response.json()["errors"]), ApiToken.objects.count()) == (
        400,
        ["expires_in_days"],
        0,
    )


def test_token_without_a_name_is_refused(people):
    assert ApiClient(people.aigul, session=True).post("/tokens", {"name": "   "}).status_code == 400


def test_a_token_cannot_create_more_tokens(people):
    response = ApiClient(people.aigul).post("/tokens", {"name": "Self-renewing"})
    assert response.status_code == 401
