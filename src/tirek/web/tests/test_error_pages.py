"""Error pages in the person's language, never Django's developer pages (issue 9 item 9)."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.urls import path, reverse

from tirek.urls import urlpatterns as tirek_urlpatterns
from tirek.web.tests.support import SecureClient

WORDS = {
    "404": {"kk": "Табылмады", "ru": "Не найдено", "en": "Not found"},
    "405": {
        "kk": "Бұл мекенжайды тікелей ашуға болмайды",
        "ru": "Этот адрес нельзя открыть напрямую",
        "en": "This address cannot be opened directly",
    },
    "500": {
        "kk": "Біз тарапта қате шықты",
        "ru": "На нашей стороне что-то пошло не так",
        "en": "Something went wrong on our side",
    },
    "413": {"kk": "Тым үлкен", "ru": "Слишком большой запрос", "en": "Too large"},
    "csrf": {"kk": "Бет ескірген", "ru": "Страница устарела", "en": "The page had expired"},
}
LANGUAGES = ["kk", "ru", "en"]


def client_in(language: str, **kwargs: object) -> SecureClient:
    client = SecureClient(headers={"Accept-Language": language}, **kwargs)
    client.cookies["django_language"] = language
    return client


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a synthetic failure")


def too_big(request: HttpRequest) -> HttpResponse:
    raise RequestDataTooBig("synthetic")


urlpatterns = [
    *tirek_urlpatterns,
    path("test-boom/", boom),
    path("test-too-big/", too_big),
]
handler400 = "tirek.web.errors.bad_request"
handler500 = "tirek.web.errors.server_error"


@pytest.mark.parametrize("language", LANGUAGES)
def test_unknown_address_gets_the_designed_404(db, language):
    response = client_in(language).get("/no-such-page/")
    content = response.content.decode()
    assert response.status_code == 404
    assert WORDS["404"][language] in content and f'<html lang="{language}">' in content


def test_404_never_lists_the_url_patterns(db):
    content = client_in("en").get("/no-such-page/").content.decode()
    assert "URLconf" not in content and "admin/" not in content


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_form_address_opened_directly_gets_the_designed_405(db, language):
    url = reverse("referrals:accept", args=[uuid.uuid4()])
    response = client_in(language).get(url)
    assert (response.status_code, response["Allow"]) == (405, "POST")
    assert WORDS["405"][language] in response.content.decode()


def test_api_keeps_its_own_405(db):
    response = client_in("en").get("/api/v1/persons/search")
    assert response.status_code == 405 and b"<html" not in response.content


def test_search_opened_directly_leads_to_the_registration_search(people):
    client = client_in("en")
    client.force_login(people.aigul.user)
    response = client.get(reverse("cases:search"))
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("cases:register") + "#search-heading",
    )


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_failure_gets_the_designed_500(db, language):
    response = client_in(language, raise_request_exception=False).get("/test-boom/")
    content = response.content.decode()
    assert response.status_code == 500
    assert WORDS["500"][language] in content and "synthetic" not in content


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize("language", LANGUAGES)
def test_too_large_a_request_gets_the_designed_413(db, language):
    response = client_in(language, raise_request_exception=False).get("/test-too-big/")
    assert response.status_code == 413
    assert WORDS["413"][language] in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_expired_form_gets_the_designed_csrf_page(people, language):
    client = client_in(language, enforce_csrf_checks=True)
    client.force_login(people.aigul.user)
    response = client.post(reverse("cases:register"), {})
    assert response.status_code == 403
    assert WORDS["csrf"][language] in response.content.decode()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("kk", "Пайдаланушы аты немесе құпиясөз қате"),
        ("ru", "Неверное имя пользователя или пароль"),
        ("en", "The username or the password is wrong"),
    ],
)
def test_a_wrong_password_is_answered_in_the_language_of_the_page(people, language, words):
    response = client_in(language).post(
        reverse("login"), {"username": "aigul", "password": "not-the-password"}
    )
    content = response.content.decode()
    assert words in content and "Пожалуйста" not in content
