"""Fast bulk load of generated persons for ``bench.intake`` (a benchmark tool, not a product path).

Loading a million persons one ``case_register`` at a time, or even model instance by model
instance, costs about a millisecond of CPU per person. Here the rows are prepared once, in
worker processes, by the product's own functions (the encrypted fields' ``get_db_prep_save``,
``services.person_key_digests``), with the pure key functions memoised (the generator repeats
names, so most name keys and digests are computed once), and written to a file of pickled
chunks. Each database then loads that file with its indexes and unique/foreign-key constraints
dropped (``executemany`` on SQLite, ``COPY`` on PostgreSQL) and rebuilt afterwards. The rows are
the ones the service writes, apart from the random nonces of the encryption
(``test_bench_intake_load`` compares them).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import os
import pickle
import random
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

CHUNK = 2000
# (person id as int, first, family, patronymic, birth date (encrypted), sex, precision,
#  citizenship, digests, generator person id)
Prepared = tuple[int, str, str, str, str | None, str, str, tuple[str, ...], tuple[str, ...], int]
ProbeRow = tuple[int, tuple[str, ...]]  # (generator person id, record)
PERSON_TABLES = ("cases_person", "cases_case", "matching_candidatekey")


def _log(text: str) -> None:
    print(text, flush=True)


def birth_parse(text: str) -> tuple[dt.date | None, str]:
    """A generator's birth date (``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or empty) as stored."""
    parts = text.split("-") if text else []
    if len(parts) == 3:
        return dt.date.fromisoformat(text), "day"
    if len(parts) == 2:
        return dt.date(int(parts[0]), int(parts[1]), 1), "month"
    if len(parts) == 1:
        return dt.date(int(parts[0]), 1, 1), "year"
    return None, "day"


def keys_memoise() -> None:
    """Cache the pure name-key functions and the keyed digests in this process (same results,
    computed once per distinct name or key)."""
    from tirek.matching import keys, selectors

    if hasattr(keys.storage_keys.__globals__["name_keys"], "cache_info"):
        return
    for module, name, size in (
        (keys, "name_keys", 500_000),
        (keys, "name_tokens", 500_000),
        (selectors, "key_digest", 2_000_000),
    ):
        setattr(module, name, lru_cache(maxsize=size)(getattr(module, name)))


def _field(options: Any, name: str) -> Any:
    return options.get_field(name)


def person_prepare(uuid_int: int, person_id: int, row: Sequence[str]) -> Prepared:
    """One generated record as the columns the service would store, and its index digests."""
    from django.db import connections

    from tirek.cases.models import Person
    from tirek.matching.services import person_key_digests

    given, family, patronymic, sex, birth_text, citizenship = row
    born, precision = birth_parse(birth_text)
    connection = connections["default"]  # only for the fields' preparation; never queried
    fields = Person._meta
    person = SimpleNamespace(
        first_name=given, family_name=family, patronymic=patronymic,
        birth_date=born, birth_date_precision=precision,
    )  # fmt: skip
    encrypted = [
        _field(fields, name).get_db_prep_save(getattr(person, name), connection)
        for name in ("first_name", "family_name", "patronymic", "birth_date")
    ]
    return (
        uuid_int,
        *encrypted,
        sex if sex in ("F", "M") else "U",
        precision,
        (citizenship,) if citizenship else (),
        tuple(person_key_digests(person)),
        person_id,
    )


def _chunk_prepare(chunk: list[tuple[int, int, tuple[str, ...]]]) -> list[Prepared]:
    keys_memoise()
    return [person_prepare(uuid_int, person_id, row) for uuid_int, person_id, row in chunk]


def _chunks(
    records: Iterable[tuple[int, tuple[str, ...], bool]], seed: int, probes: list[ProbeRow]
) -> Iterator[list[tuple[int, int, tuple[str, ...]]]]:
    rng = random.Random(seed)
    chunk: list[tuple[int, int, tuple[str, ...]]] = []
    for person_id, row, is_probe in records:
        if is_probe:
            probes.append((person_id, row))
            continue
        chunk.append((rng.getrandbits(128), person_id, row))
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def rows_prepare(
    path: Path, records: Iterable[tuple[int, tuple[str, ...], bool]], seed: int, workers: int
) -> None:
    """Prepare every record (probes held back) into ``path``: pickled chunks, then the probes."""
    from django.db import connections

    started = time.perf_counter()
    probes: list[ProbeRow] = []
    done = 0
    partial = path.with_suffix(".partial")
    with partial.open("wb") as handle, contextlib.ExitStack() as stack:
        prepared_chunks: Iterator[list[Prepared]]
        if workers:
            connections.close_all()  # nothing open is shared with the forked workers
            pool = stack.enter_context(multiprocessing.get_context("fork").Pool(workers))
            prepared_chunks = pool.imap(_chunk_prepare, _chunks(records, seed, probes))
        else:  # in this process (the tests: their transaction stays open)
            prepared_chunks = map(_chunk_prepare, _chunks(records, seed, probes))
        for prepared in prepared_chunks:
            pickle.dump(prepared, handle, protocol=pickle.HIGHEST_PROTOCOL)
            done += len(prepared)
            if done % 100_000 < CHUNK:
                _log(f"  {done:>9,} persons prepared, {time.perf_counter() - started:.0f} s")
        pickle.dump(("probes", probes), handle, protocol=pickle.HIGHEST_PROTOCOL)
    partial.rename(path)
    _log(f"  {done:,} persons prepared in {time.perf_counter() - started:.0f} s → {path}")


def rows_read(path: Path) -> Iterator[list[Prepared] | tuple[str, list[ProbeRow]]]:
    with path.open("rb") as handle:
        while True:
            try:
                yield pickle.load(handle)  # noqa: S301 (our own file, written above)
            except EOFError:
                return


def rows_truth(path: Path) -> tuple[dict[str, int], list[ProbeRow]]:
    """Truth (person id hex → generator person id) and the probes of a prepared file."""
    truth: dict[str, int] = {}
    probes: list[ProbeRow] = []
    for chunk in rows_read(path):
        if isinstance(chunk, tuple):
            probes = chunk[1]
            continue
        for prepared in chunk:
            truth[uuid.UUID(int=prepared[0], version=4).hex] = prepared[-1]
    return truth, probes


# --- writing into one database -------------------------------------------------------------


class Template:
    """A model's row as Django would insert it (``get_db_prep_save`` of every concrete field),
    from one instance; ``row`` replaces the named columns, prepared by their fields."""

    def __init__(self, instance: Any, varying: Sequence[str], connection: Any) -> None:
        fields = [
            f
            for f in instance._meta.concrete_fields
            if not f.get_internal_type().endswith("AutoField")
        ]
        now = dt.datetime.now(dt.UTC)
        for field in fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                setattr(instance, field.attname, now)
        self.table = instance._meta.db_table
        self.columns = [f.column for f in fields]
        self.base = [f.get_db_prep_save(getattr(instance, f.attname), connection) for f in fields]
        self.positions = [self.columns.index(instance._meta.get_field(n).column) for n in varying]

    def row(self, values: Sequence[Any]) -> tuple[Any, ...]:
        row = list(self.base)
        for position, value in zip(self.positions, values, strict=True):
            row[position] = value
        return tuple(row)


def _constraints_drop(connection: Any) -> list[str]:
    """Drop the secondary indexes and unique/foreign-key constraints of the three tables;
    return the statements that rebuild them."""
    rebuild: list[str] = []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            marks = ", ".join(["%s"] * len(PERSON_TABLES))
            where = f"type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})"
            query = f"SELECT name, sql FROM sqlite_master WHERE {where}"  # noqa: S608
            cursor.execute(query, PERSON_TABLES)
            for name, sql in cursor.fetchall():
                cursor.execute(f'DROP INDEX "{name}"')
                rebuild.append(sql)
            return rebuild
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks block ALTER TABLE
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE contype IN ('u', 'f') AND conrelid::regclass::text = ANY(%s)",
            [list(PERSON_TABLES)],
        )
        constraints = cursor.fetchall()
        for table, name, _definition in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)"
            " AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            [list(PERSON_TABLES)],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
            rebuild.append(definition)
        rebuild += [
            f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
            for table, name, definition in constraints
        ]
    return rebuild


def _write(connection: Any, template: Template, rows: list[tuple[Any, ...]]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(
                f"COPY {template.table} ({', '.join(template.columns)}) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(template.columns))
            cursor.executemany(
                f"INSERT INTO {template.table} ({', '.join(template.columns)})"  # noqa: S608
                f" VALUES ({marks})",
                rows,
            )


def _keys_write(connection: Any, keys: list[tuple[Any, str]]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            lines = "".join(f"{person}\t{digest}\n" for person, digest in keys)
            with cursor.cursor.copy(
                "COPY matching_candidatekey (person_id, digest) FROM STDIN"
            ) as copy:
                copy.write(lines.encode())
        else:
            cursor.executemany(
                "INSERT INTO matching_candidatekey (person_id, digest) VALUES (%s, %s)", keys
            )


def reference(index: int) -> str:
    alphabet = "ACDEFGHJKLMNPQRTUVWXY3479"
    chars = []
    for _ in range(8):
        index, digit = divmod(index, len(alphabet))
        chars.append(alphabet[digit])
    return "TK-" + "".join(chars)


def rows_load(
    path: Path, actors: Sequence[Any], seed: int
) -> tuple[dict[str, int], list[ProbeRow]]:
    """Load the prepared file into the default database; return truth (person id hex →
    generator person id) and the probes."""
    from django.db import connection, transaction

    from tirek.cases.models import Case, Person

    is_sqlite = connection.vendor == "sqlite"
    with connection.cursor() as cursor:
        if is_sqlite:
            if not connection.in_atomic_block:  # not inside the tests' transaction
                cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-1000000")
        else:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            cursor.execute("SET synchronous_commit = off")
    person_template = Template(
        Person(first_name="", family_name=""),
        ("id", "first_name", "family_name", "patronymic", "birth_date", "sex",
         "birth_date_precision", "citizenship"),
        connection,
    )  # fmt: skip
    actor = actors[0]
    case_template = Template(
        Case(person_id=uuid.uuid4(), reference="", owner_agency_id=actor.membership.agency_id,
             case_worker_id=actor.user.pk, opened_on=dt.date(2025, 1, 1)),
        ("id", "person_id", "reference", "owner_agency_id", "case_worker_id"),
        connection,
    )  # fmt: skip
    citizenship_field = Person._meta.get_field("citizenship")
    citizenships: dict[tuple[str, ...], Any] = {}
    owner, worker_field = Case._meta.get_field("owner_agency"), Case._meta.get_field("case_worker")
    agencies = [
        (
            owner.get_db_prep_save(a.membership.agency_id, connection),
            worker_field.get_db_prep_save(a.user.pk, connection),
        )
        for a in actors
    ]
    rng = random.Random(seed + 1)
    truth: dict[str, int] = {}
    probes: list[ProbeRow] = []
    loaded = 0
    started = time.perf_counter()
    with transaction.atomic():
        rebuild = _constraints_drop(connection)
        for chunk in rows_read(path):
            if isinstance(chunk, tuple):
                probes = chunk[1]
                continue
            persons, cases, keys = [], [], []
            for prepared in chunk:
                uuid_int, first, family, patronymic, born, sex, precision = prepared[:7]
                citizenship, digests, person_id = prepared[7:]
                person_uuid = uuid.UUID(int=uuid_int, version=4)
                person_key = person_uuid.hex if is_sqlite else person_uuid
                if citizenship not in citizenships:
                    citizenships[citizenship] = citizenship_field.get_db_prep_save(
                        list(citizenship), connection
                    )
                persons.append(person_template.row((
                    person_key, first, family, patronymic, born, sex, precision,
                    citizenships[citizenship],
                )))  # fmt: skip
                case_uuid = uuid.UUID(int=rng.getrandbits(128), version=4)
                agency, worker = agencies[loaded % len(agencies)]
                cases.append(case_template.row((
                    case_uuid.hex if is_sqlite else case_uuid, person_key, reference(loaded),
                    agency, worker,
                )))  # fmt: skip
                keys += [(person_key, digest) for digest in digests]
                truth[person_uuid.hex] = person_id
                loaded += 1
            _write(connection, person_template, persons)
            _write(connection, case_template, cases)
            _keys_write(connection, keys)
            if loaded % 100_000 < CHUNK:
                _log(f"  {loaded:>9,} persons loaded, {time.perf_counter() - started:.0f} s")
        written = time.perf_counter()
        with connection.cursor() as cursor:
            for statement in rebuild:
                cursor.execute(statement)
            if not is_sqlite:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        _log(f"  indexes and constraints rebuilt in {time.perf_counter() - written:.0f} s")
    with connection.cursor() as cursor:
        if is_sqlite or connection.in_atomic_block:
            cursor.execute("ANALYZE")
        else:
            # As autovacuum leaves a live register: the visibility map lets the index lookup
            # be an index-only scan (a fresh bulk load reads the table for every index row).
            for table in PERSON_TABLES:
                cursor.execute(f"VACUUM (ANALYZE) {table}")
    _log(f"  {loaded:,} persons loaded in {time.perf_counter() - started:.0f} s")
    return truth, probes


def rows_path(n: int, seed: int) -> Path:
    base = os.environ.get("BENCH_ROWS_DIR", "/tmp")  # noqa: S108
    return Path(base) / f"tirek-bench-intake-rows-{n}-{seed}.pickle"
