"""Backups that can be restored, and say what is needed to read them.

A backup is a folder holding the database (SQLite: a consistent copy made with SQLite's online
backup; PostgreSQL: ``pg_dump`` custom format), a manifest (engine, migrations, row counts,
checksum, fingerprints of the keys the data is encrypted with) and, only if asked for, the keys
themselves sealed with a passphrase. Names, birth dates, contacts and free text are stored
encrypted, so **a backup without its keys is unreadable** — by design: keep the keys apart from
the backups (docs/security.md, "Backups and key custody").

``backup_restore`` refuses before touching anything when the configured keys are not the ones the
backup needs, and after restoring checks that every encrypted value decrypts and that the audit
chains verify.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from tirek.core import crypto

FORMAT = 1
MANIFEST = "manifest.json"
KEYS_FILE = "keys.sealed"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


def key_fingerprint(key: str | bytes) -> str:
    """A short public name for a key: tells which key is needed, reveals nothing of it."""
    raw = key.encode() if isinstance(key, str) else key
    return hashlib.sha256(b"tirek-key-fingerprint:" + raw).hexdigest()[:16]


def _configured_keys() -> tuple[list[str], str]:
    """The encryption keys and blind-index key in force (the derived ones in DEBUG/tests)."""
    encryption = list(settings.TIREK_ENCRYPTION_KEYS) or [
        crypto._derived_key("encryption").decode()
    ]
    index = settings.TIREK_BLIND_INDEX_KEY or crypto._derived_key("blind-index").decode()
    return encryption, index


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def _migrations() -> list[str]:
    return sorted(
        f"{app}.{name}"
        for app, name in MigrationRecorder(connection).migration_qs.values_list("app", "name")
    )


# -- sealing the keys with a passphrase ----------------------------------------------------------


def _passphrase_key(passphrase: str, salt: bytes) -> bytes:
    kdf = Scrypt(salt=salt, length=32, n=2**15, r=8, p=1)
    return base64.urlsafe_b64encode(kdf.derive(passphrase.encode()))


def keys_seal(passphrase: str) -> dict[str, str]:
    if len(passphrase) < 12:
        raise BackupError("The passphrase protecting the keys must be at least 12 characters.")
    encryption, index = _configured_keys()
    salt = os.urandom(16)
    payload = json.dumps({"encryption_keys": encryption, "blind_index_key": index}).encode()
    token = Fernet(_passphrase_key(passphrase, salt)).encrypt(payload)
    return {"kdf": "scrypt-n32768-r8-p1", "salt": salt.hex(), "sealed": token.decode()}


def keys_unseal(sealed: dict[str, str], passphrase: str) -> tuple[list[str], str]:
    try:
        key = _passphrase_key(passphrase, bytes.fromhex(sealed["salt"]))
        payload = json.loads(Fernet(key).decrypt(sealed["sealed"].encode()))
    except (InvalidToken, KeyError, ValueError):
        raise BackupError("The passphrase does not open the sealed keys.") from None
    return list(payload["encryption_keys"]), str(payload["blind_index_key"])


# -- backup -------------------------------------------------------------------------------------


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    env.update(
        {
            "PGHOST": str(db.get("HOST") or "127.0.0.1"),
            "PGPORT": str(db.get("PORT") or 5432),
            "PGUSER": str(db.get("USER") or ""),
            "PGDATABASE": str(db["NAME"]),
        }
    )
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed; install the PostgreSQL client of the server's version."
        )
    done = subprocess.run(  # noqa: S603 (fixed program, arguments from settings)
        command, env=_pg_env(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-500:]}")


def backup_create(*, destination: Path, keys_passphrase: str | None = None) -> Path:
    """Write a new backup folder inside ``destination``; return its path."""
    created = datetime.now(UTC)
    folder = destination / f"tirek-backup-{created:%Y%m%dT%H%M%SZ}"
    folder.mkdir(parents=True, exist_ok=False)
    os.chmod(folder, 0o700)
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        dump = folder / SQLITE_FILE
        target = sqlite3.connect(dump)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        dump = folder / PG_FILE
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"])
    else:
        raise BackupError(f"Backups of {connection.vendor} databases are not supported.")
    os.chmod(dump, 0o600)
    encryption, index = _configured_keys()
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": created.isoformat(),
        "engine": connection.vendor,
        "file": dump.name,
        "sha256": _sha256(dump),
        "migrations": _migrations(),
        "rows": _row_counts(),
        "keys": {
            "encryption": [key_fingerprint(key) for key in encryption],
            "blind_index": key_fingerprint(index),
        },
        "keys_included": keys_passphrase is not None,
    }
    if keys_passphrase is not None:
        sealed = folder / KEYS_FILE
        sealed.write_text(json.dumps(keys_seal(keys_passphrase)))
        os.chmod(sealed, 0o600)
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return folder


# -- restore ------------------------------------------------------------------------------------


@dataclass
class RestoreReport:
    rows: dict[str, int] = field(default_factory=dict)
    unreadable: dict[str, int] = field(default_factory=dict)
    keys_written: list[Path] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return not any(self.unreadable.values())


def manifest_read(source: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError):
        raise BackupError(f"{source} holds no readable {MANIFEST}: is it a Tirek backup?") from None
    if manifest.get("format") != FORMAT:
        raise BackupError("This backup was written in a format this version cannot read.")
    return manifest


def _keys_check(manifest: dict[str, Any], encryption: list[str], index: str) -> None:
    have = {key_fingerprint(key) for key in encryption}
    needed = manifest["keys"]["encryption"]
    if needed and needed[0] not in have:
        raise BackupError(
            "The configured TIREK_ENCRYPTION_KEYS do not include the key this backup was "
            f"encrypted with (fingerprint {needed[0]}). Configure it, or restore with the sealed "
            "keys (--keys-passphrase). Nothing was changed."
        )
    if key_fingerprint(index) != manifest["keys"]["blind_index"]:
        raise BackupError(
            "The configured TIREK_BLIND_INDEX_KEY is not the one of this backup (fingerprint "
            f"{manifest['keys']['blind_index']}): search would find nobody. Nothing was changed."
        )


def database_is_empty() -> bool:
    """No tables yet, or tables but no user: nothing a restore would destroy."""
    if "django_migrations" not in connection.introspection.table_names():
        return True
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return not user_model._base_manager.exists()


def _wipe() -> None:
    """Remove every table, so the restored database is exactly the backup."""
    connection.ensure_connection()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for kind, name in cursor.execute(
                "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') "
                "AND name NOT LIKE 'sqlite_%'"
            ).fetchall():
                cursor.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
            cursor.execute("PRAGMA foreign_keys = ON")


def backup_restore(
    *,
    source: Path,
    keys_passphrase: str | None = None,
    keys_out: Path | None = None,
    replace: bool = False,
) -> RestoreReport:
    """Replace the configured database with the backup in ``source``, then check it.

    Refuses, changing nothing, when the backup is damaged, belongs to another engine, needs keys
    that are not configured (and not unsealed), or the database holds data and ``replace`` is not
    given.
    """
    manifest = manifest_read(source)
    dump = source / manifest["file"]
    if not dump.exists() or _sha256(dump) != manifest["sha256"]:
        raise BackupError("The database file of this backup is missing or damaged (checksum).")
    connection.ensure_connection()
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            f"This is a {manifest['engine']} backup; the configured database is "
            f"{connection.vendor}."
        )
    report = RestoreReport()
    encryption, index = _configured_keys()
    if keys_passphrase is not None:
        sealed_file = source / KEYS_FILE
        if not sealed_file.exists():
            raise BackupError("This backup holds no sealed keys.")
        encryption, index = keys_unseal(json.loads(sealed_file.read_text()), keys_passphrase)
    _keys_check(manifest, encryption, index)
    if not replace and not database_is_empty():
        raise BackupError(
            "The database already holds data. Restoring replaces all of it: confirm with "
            "--replace. Nothing was changed."
        )
    if keys_out is not None:
        report.keys_written = _keys_write(keys_out, encryption, index)

    _wipe()
    if connection.vendor == "sqlite":
        origin = sqlite3.connect(dump)
        try:
            origin.backup(connection.connection)
        finally:
            origin.close()
    else:
        connection.close()
        _run(["pg_restore", "--no-owner", "--no-privileges", "--single-transaction", "-d",
              str(connection.settings_dict["NAME"]), str(dump)])  # fmt: skip
    connection.close()

    with _keys_in_force(encryption, index):
        report.rows = _row_counts()
        report.unreadable = encrypted_values_unreadable()
    return report


def _keys_write(folder: Path, encryption: list[str], index: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, value in (("encryption_keys", ",".join(encryption)), ("blind_index_key", index)):
        path = folder / name
        path.write_text(value + "\n")
        os.chmod(path, 0o600)
        written.append(path)
    return written


@contextmanager
def _keys_in_force(encryption: list[str], index: str) -> Iterator[None]:
    """Use these keys in this process meanwhile (checking a restore made with unsealed keys)."""
    saved = (settings.TIREK_ENCRYPTION_KEYS, settings.TIREK_BLIND_INDEX_KEY)
    settings.TIREK_ENCRYPTION_KEYS, settings.TIREK_BLIND_INDEX_KEY = encryption, index
    crypto.keys_reset()
    try:
        yield
    finally:
        settings.TIREK_ENCRYPTION_KEYS, settings.TIREK_BLIND_INDEX_KEY = saved
        crypto.keys_reset()


def encrypted_values_unreadable() -> dict[str, int]:
    """Per model, how many rows have an encrypted value the keys in force cannot decrypt."""
    unreadable: dict[str, int] = {}
    for model in apps.get_models():
        names = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, crypto.EncryptedCharField | crypto.EncryptedDateField)
        ]
        if not names:
            continue
        bad = 0
        rows = model._base_manager.values_list(*names)
        # values_list decrypts through from_db_value; read raw to count failures per row.
        query, params = rows.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            for row in cursor:
                for token in row:
                    if token:
                        try:
                            crypto.decrypt(token)
                        except ValueError:
                            bad += 1
                            break
        unreadable[model._meta.label] = bad
    return unreadable
