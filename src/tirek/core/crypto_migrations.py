"""A migration step that encrypts the existing values of a column made encrypted.

Use it right after the ``AlterField`` that turns a clear field into an encrypted one::

    operations = [
        migrations.AlterField(...),  # to EncryptedTextField
        encrypt_existing("screening", "ObservedIndicator", "note"),
    ]

It reads and writes the raw column (the historical model's field would try to decrypt clear
text), skips values already encrypted, and works on SQLite and PostgreSQL. Reversing it decrypts.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import migrations

from tirek.core.crypto import PREFIX, decrypt, encrypt


def _convert(
    apps: Any,
    schema_editor: Any,
    *,
    app_label: str,
    model_name: str,
    fields: tuple[str, ...],
    forward: bool,
) -> None:
    model = apps.get_model(app_label, model_name)
    quote = schema_editor.connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk = quote(model._meta.pk.column)
    with schema_editor.connection.cursor() as cursor:
        for name in fields:
            column = quote(model._meta.get_field(name).column)
            cursor.execute(
                f"SELECT {pk}, {column} FROM {table} WHERE {column} <> ''"  # noqa: S608 - quoted names
            )
            changes = [
                [encrypt(value) if forward else decrypt(value), key]
                for key, value in cursor.fetchall()
                if value is not None and value.startswith(PREFIX) != forward
            ]
            if changes:
                cursor.executemany(
                    f"UPDATE {table} SET {column} = %s WHERE {pk} = %s",  # noqa: S608
                    changes,
                )


def encrypt_existing(app_label: str, model_name: str, *fields: str) -> migrations.RunPython:
    """A reversible ``RunPython`` that encrypts (backwards: decrypts) the fields' stored values."""
    where: dict[str, Any] = {"app_label": app_label, "model_name": model_name, "fields": fields}
    return migrations.RunPython(
        partial(_convert, **where, forward=True),
        partial(_convert, **where, forward=False),
        elidable=False,
    )
