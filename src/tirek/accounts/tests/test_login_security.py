from __future__ import annotations

from django.urls import reverse

from tirek.testing.personas import PASSWORD


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_correct_password_signs_in(client, people):
    response = _login(client, "aigul", PASSWORD)
    assert response.status_code == 302


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, people):
    for _ in range(5):
        _login(client, "aigul", "wrong-password-123")
    response = _login(client, "aigul", PASSWORD)
    assert response.status_code == 429


def test_pages_carry_a_strict_content_security_policy(client, db):
    response = client.get(reverse("login"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_sessions_expire_after_inactivity(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_COOKIE_AGE <= 60 * 60
