"""Encryption at rest for identifying data, and blind indexes for exact-match lookups.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``) under
``MultiFernet``: the first key of ``TIREK_ENCRYPTION_KEYS`` encrypts, every key decrypts, so keys
rotate by putting a new key first and running ``tirek rotate_keys``. Blind indexes are
HMAC-SHA256 digests under ``TIREK_BLIND_INDEX_KEY``: equal inputs give equal digests, and
nothing in the database reveals the input without the key.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.models.lookups import Exact

PREFIX = "enc1:"


def _derived_key(purpose: str) -> bytes:
    digest = hashlib.sha256(f"tirek:{purpose}:{settings.SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    keys = list(settings.TIREK_ENCRYPTION_KEYS)
    if not keys:
        if not (settings.DEBUG or settings.TESTING):
            raise ImproperlyConfigured("TIREK_ENCRYPTION_KEYS must be set when DEBUG is off.")
        keys = [_derived_key("encryption").decode()]
    return MultiFernet([Fernet(key.encode()) for key in keys])


@lru_cache(maxsize=1)
def _index_key() -> bytes:
    key: str = settings.TIREK_BLIND_INDEX_KEY
    if not key:
        if not (settings.DEBUG or settings.TESTING):
            raise ImproperlyConfigured("TIREK_BLIND_INDEX_KEY must be set when DEBUG is off.")
        return _derived_key("blind-index")
    return key.encode()


def keys_reset() -> None:
    """Forget cached keys (after settings change, e.g. in tests of key rotation)."""
    _fernet.cache_clear()
    _index_key.cache_clear()


def encrypt(text: str) -> str:
    return PREFIX + _fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    if not token.startswith(PREFIX):
        raise ValueError("not an encrypted value")
    try:
        return _fernet().decrypt(token[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise ValueError("value cannot be decrypted with the configured keys") from None


def encrypt_bytes(data: bytes) -> bytes:
    """A file's content encrypted (Fernet token), e.g. an attachment of a case."""
    return _fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return _fernet().decrypt(bytes(token))
    except InvalidToken:
        raise ValueError("content cannot be decrypted with the configured keys") from None


def reencrypt(token: str) -> str:
    """The same value under the primary key (key rotation)."""
    return PREFIX + _fernet().rotate(token[len(PREFIX) :].encode()).decode()


def blind_index(kind: str, value: str) -> str:
    """A keyed digest for exact-match lookup of ``value`` (already normalised by the caller)."""
    return hmac.new(_index_key(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


_BLANK_LOOKUPS = frozenset({"isnull", "exact"})


class _BlankOnlyExact(Exact):  # type: ignore[type-arg]
    """``field=""`` and ``field=None`` still work (blank is stored as is); any other value could
    never match (every encryption differs), so asking for one is a programming error."""

    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None):
            raise FieldError(
                f"{self.lhs.target.name} is encrypted and cannot be compared with a value: "
                "use a blind index (tirek.core.crypto.blind_index) or compare in Python."
            )
        return super().get_prep_lookup()


class _EncryptedLookups:
    """Only blank/null lookups on encrypted fields; ``contains``, ``lt``, ``in`` etc. are refused
    with Django's "Unsupported lookup" instead of silently matching nothing."""

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in _BLANK_LOOKUPS:
            return None
        if lookup_name == "exact":
            return _BlankOnlyExact
        return super().get_lookup(lookup_name)  # type: ignore[misc]


class EncryptedCharField(_EncryptedLookups, models.CharField):  # type: ignore[type-arg]
    """A text field stored encrypted. It cannot be filtered on: use a blind index for that."""

    def get_internal_type(self) -> str:
        return "TextField"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return None if value is None else ""
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))


class EncryptedTextField(EncryptedCharField):
    """Long free text stored encrypted (notes, messages, descriptions)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 10000)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        from django import forms

        return super().formfield(**({"widget": forms.Textarea} | kwargs))


class EncryptedDateField(_EncryptedLookups, models.DateField):  # type: ignore[type-arg]
    """A date stored encrypted as ISO text."""

    def get_internal_type(self) -> str:
        return "TextField"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> datetime.date | None:
        if value is None or value == "":
            return None
        return datetime.date.fromisoformat(decrypt(value))

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        value = self.to_python(value)
        if value is None:
            return None
        return encrypt(value.isoformat())


class EncryptedBinaryField(models.BinaryField):  # type: ignore[type-arg]
    """A file's content stored encrypted (a Fernet token); read back as the plain bytes. Key
    rotation (``tirek rotate_keys``) re-encrypts it like the text fields."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> bytes | None:
        if value is None:
            return None
        token = bytes(value)
        return decrypt_bytes(token) if token else b""

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is not None and len(value):
            value = encrypt_bytes(bytes(value))
        return super().get_db_prep_value(value, connection, prepared)
