"""Database-level guards shared by migrations."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def append_only(table: str) -> migrations.RunPython:
    """A migration operation refusing UPDATE (and, on PostgreSQL, DELETE) of a table's rows.

    SQLite keeps DELETE allowed because Django's test flush empties tables with DELETE; on
    PostgreSQL the flush uses TRUNCATE, which row triggers do not see.
    """

    def forwards(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'append-only table'); END;"
            )
        elif vendor == "postgresql":
            schema_editor.execute(
                "CREATE OR REPLACE FUNCTION tirek_append_only() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION 'append-only table %', TG_TABLE_NAME; END; "
                "$$ LANGUAGE plpgsql;",
                None,
            )
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION tirek_append_only();"
            )

    def backwards(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update;")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")

    return migrations.RunPython(forwards, backwards)
