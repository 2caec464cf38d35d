"""Personal data held by accounts: staff accounts only, kept in clear (see core.privacy)."""

from __future__ import annotations

from tirek.core.privacy import ClearText, PersonalFields

PERSONAL_DATA: list[PersonalFields] = []

CLEAR_TEXT = [
    ClearText(
        "accounts.User",
        ("password",),
        because="a salted hash from Django's password hashers, never the password",
    ),
    ClearText(
        "accounts.User",
        ("username", "first_name", "last_name", "email"),
        because="staff accounts: needed to sign in and to show who acted on timelines and in "
        "the audit view; not data about survivors",
    ),
    ClearText(
        "accounts.Agency",
        ("name", "name_ru", "name_kk", "short_name", "country", "phone", "email", "website"),
        because="public contact details of the organisations taking part in the mechanism",
    ),
    ClearText(
        "accounts.Agency",
        ("description",),
        because="the organisation's public description in the service directory (HSDS)",
    ),
    ClearText(
        "accounts.ApiToken",
        ("name", "prefix", "digest"),
        because="a label the member gave their token, its public prefix and SHA-256 digest "
        "(the token itself is never stored)",
    ),
]
