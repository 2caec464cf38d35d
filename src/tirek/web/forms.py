"""The sign-in form with Tirek's own words: Django's Kazakh catalogue answers a wrong password in
Russian ("Пожалуйста, введите правильные ..."), so the messages are ours, in kk, ru and en."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The username or the password is wrong. Both are case-sensitive: check the keyboard "
            "language and Caps Lock."
        ),
        "inactive": _("This account is switched off. Ask your agency administrator."),
    }
