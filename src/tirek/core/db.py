"""Database-level guards shared by migrations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import migrations
from django.db.backends.base.base import BaseDatabaseWrapper


def append_only(table: str) -> migrations.RunPython:
    """A migration operation refusing UPDATE (and, on PostgreSQL, DELETE) of a table's rows.

    SQLite keeps DELETE allowed because Django's test flush empties tables with DELETE; on
    PostgreSQL the flush uses TRUNCATE, which row triggers do not see. Idempotent: a migration
    that makes SQLite rebuild the table (which drops its triggers) runs it again.
    """

    def forwards(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            schema_editor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'append-only table'); END;"
            )
        elif vendor == "postgresql":
            schema_editor.execute(
                "CREATE OR REPLACE FUNCTION tirek_append_only() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION 'append-only table %', TG_TABLE_NAME; END; "
                "$$ LANGUAGE plpgsql;",
                None,
            )
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
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


def no_truncate(table: str) -> migrations.RunPython:
    """A migration operation refusing ``TRUNCATE`` of a table (PostgreSQL; SQLite has none).

    Row triggers do not see ``TRUNCATE``: without this, one statement empties an append-only
    table. Maintenance that must empty it (the demo reset, the test runner's flush) lifts the
    guards for its own transaction with ``chain_guards_lifted``.
    """

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION tirek_no_truncate() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'append-only table %: TRUNCATE refused', TG_TABLE_NAME; END; "
            "$$ LANGUAGE plpgsql;",
            None,
        )
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION tirek_no_truncate();"
        )

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")

    return migrations.RunPython(forwards, backwards)


def heads_never_rewind(table: str) -> migrations.RunPython:
    """A migration operation refusing to move a chain head backwards (both databases) and, on
    PostgreSQL, to delete heads: rewinding a head is how the last links of a chain are hidden."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_rewind BEFORE UPDATE ON {table} "
                "WHEN NEW.seq < OLD.seq OR NEW.name <> OLD.name "
                "BEGIN SELECT RAISE(ABORT, 'chain heads only move forward'); END;"
            )
        elif vendor == "postgresql":
            schema_editor.execute(
                "CREATE OR REPLACE FUNCTION tirek_heads_forward() RETURNS trigger AS $$ "
                "BEGIN IF TG_OP = 'DELETE' OR NEW.seq < OLD.seq OR NEW.name <> OLD.name THEN "
                "RAISE EXCEPTION 'chain heads only move forward'; END IF; RETURN NEW; END; "
                "$$ LANGUAGE plpgsql;",
                None,
            )
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_rewind BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION tirek_heads_forward();"
            )

    def backwards(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_rewind;")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_rewind ON {table};")

    return migrations.RunPython(forwards, backwards)


GUARDED_TABLES = ("core_auditevent", "cases_caseevent", "core_chainhead")


@contextmanager
def chain_guards_lifted(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Switch off the append-only triggers of the chain tables while the block runs.

    Only for maintenance that empties whole databases (the demo reset, the test runner's flush
    between tests); on PostgreSQL it needs the tables' owner. SQLite's triggers never stand in
    the way of those (they refuse ``UPDATE`` only), so nothing is done there.
    """
    if connection.vendor != "postgresql":
        yield
        return
    existing = set(connection.introspection.table_names())
    tables = [table for table in GUARDED_TABLES if table in existing]
    in_transaction = connection.in_atomic_block
    with connection.cursor() as cursor:
        if in_transaction:
            # ALTER TABLE refuses while deferred foreign-key checks of this transaction wait.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            if in_transaction:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
