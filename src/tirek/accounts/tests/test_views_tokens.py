from __future__ import annotations

import pytest
from django.urls import reverse

from tirek.accounts.models import ApiToken
from tirek.accounts.services import api_token_authenticate, api_token_create
from tirek.web.tests.support import SecureClient


@pytest.fixture
def client():
    return SecureClient()


@pytest.fixture
def aigul_client(client, people):
    client.force_login(people.aigul.user)
    return client


def test_token_page_lists_own_tokens_only(aigul_client, people):
    api_token_create(actor=people.aigul, name="aigul-script")
    api_token_create(actor=people.dana, name="dana-script")
    content = aigul_client.get(reverse("accounts:api_tokens")).content.decode()
    assert "aigul-script" in content and "dana-script" not in content


def test_created_token_secret_is_shown_once_and_works(aigul_client, people):
    response = aigul_client.post(
        reverse("accounts:api_tokens"), {"name": "reporting", "expires_in_days": "30"}
    )
    secret = response.context["secret"]
    assert secret in response.content.decode()
    assert api_token_authenticate(secret) is not None


def test_token_page_is_not_cached(aigul_client):
    response = aigul_client.post(reverse("accounts:api_tokens"), {"name": "reporting"})
    assert response["Cache-Control"] == "no-store"


def test_secret_is_not_shown_on_the_next_visit(aigul_client):
    response = aigul_client.post(reverse("accounts:api_tokens"), {"name": "reporting"})
    secret = response.context["secret"]
    assert secret not in aigul_client.get(reverse("accounts:api_tokens")).content.decode()


def test_token_without_name_is_refused(aigul_client):
    response = aigul_client.post(reverse("accounts:api_tokens"), {"name": "  "})
    assert response.status_code == 422
    assert "Give the token a name" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_token_with_too_long_expiry_is_refused(aigul_client):
    response = aigul_client.post(
        reverse("accounts:api_tokens"), {"name": "x", "expires_in_days": "999"}
    )
    assert "between 1 and 366 days" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_asks_first_and_the_confirmation_revokes(aigul_client, people):
    token, secret = api_token_create(actor=people.aigul, name="old-script")
    url = reverse("accounts:api_token_revoke", args=[token.pk])
    listed = aigul_client.get(reverse("accounts:api_tokens")).content.decode()
    assert f'href="{url}"' in listed  # the list's button leads to the question, revokes nothing
    asked = aigul_client.get(url)
    page = asked.content.decode()
    assert asked.status_code == 200 and "old-script" in page and token.prefix in page
    assert 'name="confirmed" value="yes"' in page
    assert reverse("accounts:api_tokens") in page  # Cancel goes back to the list
    assert api_token_authenticate(secret) is not None
    done = aigul_client.post(url, {"confirmed": "yes"})
    assert done.status_code == 302 and done["Location"] == reverse("accounts:api_tokens")
    assert api_token_authenticate(secret) is None


def test_a_post_without_the_confirmation_only_asks(aigul_client, people):
    token, secret = api_token_create(actor=people.aigul, name="old-script")
    response = aigul_client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
    assert response.status_code == 200 and 'name="confirmed"' in response.content.decode()
    assert api_token_authenticate(secret) is not None


def test_the_confirmation_of_a_revoked_token_says_so(aigul_client, people):
    token, _secret = api_token_create(actor=people.aigul, name="old-script")
    url = reverse("accounts:api_token_revoke", args=[token.pk])
    aigul_client.post(url, {"confirmed": "yes"})
    again = aigul_client.get(url, follow=True)
    assert "already been revoked" in again.content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_cannot_revoke_someone_elses_token(aigul_client, people, method):
    token, secret = api_token_create(actor=people.dana, name="dana-script")
    call = getattr(aigul_client, method)
    response = call(reverse("accounts:api_token_revoke", args=[token.pk]), {"confirmed": "yes"})
    assert response.status_code == 404
    assert "dana-script" not in response.content.decode()
    assert api_token_authenticate(secret) is not None
