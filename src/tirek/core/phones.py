"""Phone numbers as E.164 (``+77012345678``), read the way people write them.

Parsing and validation come from ``phonenumbers`` (Google's libphonenumber metadata, kept up to
date), not from a hand-written pattern: a number typed without a country code is read as a number
of ``TIREK_PHONE_REGION`` (Kazakhstan by default), so ``8 701 234 56 78``, ``+7 (701) 234-56-78``
and ``87012345678`` are the same number, and a number from abroad keeps its own code.
"""

from __future__ import annotations

import phonenumbers
from django.conf import settings


class NotAPhoneNumber(ValueError):
    """The text is not a phone number that can be dialled."""


def phone_normalize(text: str, *, region: str | None = None) -> str:
    """The number in E.164, or "" for an empty text; ``NotAPhoneNumber`` if it is not one."""
    text = text.strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, region or settings.TIREK_PHONE_REGION)
    except phonenumbers.NumberParseException:
        raise NotAPhoneNumber(text) from None
    if not phonenumbers.is_valid_number(number):
        raise NotAPhoneNumber(text)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
