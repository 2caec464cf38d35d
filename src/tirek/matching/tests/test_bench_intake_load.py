"""The intake benchmark's bulk loader writes what the service writes: the same person columns
(encrypted values compared decrypted: their nonces differ), the same index digests, and an
intake search finds the same records whichever way they were loaded."""

from __future__ import annotations

import datetime
from pathlib import Path
from uuid import UUID

import pytest
from bench.intake import _records
from bench.intake_load import birth_parse, rows_load, rows_prepare, rows_truth
from django.db import connection

from tirek.accounts.models import Agency
from tirek.accounts.roles import Role
from tirek.cases.models import Person
from tirek.cases.services import PersonInput, VictimInput, case_register
from tirek.matching.models import CandidateKey
from tirek.matching.selectors import Probe, candidate_person_ids

from .conftest import actor_add

RECORDS, SEED, PROBES = 80, 7, 8
UNCOMPARED = {"id", "created_at", "updated_at"}


def _service_register(actor, rows) -> list[UUID]:
    ids = []
    for given, family, patronymic, sex, birth_text, citizenship in rows:
        born, precision = birth_parse(birth_text)
        person = PersonInput(
            first_name=given, family_name=family, patronymic=patronymic,
            sex=sex if sex in ("F", "M") else "U", birth_date=born,
            birth_date_precision=precision, citizenship=[citizenship] if citizenship else [],
        )  # fmt: skip
        ids.append(case_register(actor=actor, person=person, victim=VictimInput()).person_id)
    return ids


@pytest.fixture
def loaded(db, tmp_path: Path):
    """(service person ids, bulk person ids) of the same records, in order, and the probes."""
    agency = Agency.objects.create(name="Bench agency", type=Agency.Type.NGO)
    actor = actor_add("bench-0", agency, Role.CASE_WORKER)
    records = list(_records(RECORDS, SEED, PROBES))
    path = tmp_path / "rows.pickle"
    rows_prepare(path, records, SEED, workers=0)
    truth, probes = rows_load(path, [actor], SEED)
    service = _service_register(actor, [row for _, row, is_probe in records if not is_probe])
    bulk = [UUID(hex_id) for hex_id in rows_truth(path)[0]]
    assert (len(bulk), list(truth)) == (len(service), [b.hex for b in bulk])
    return service, bulk, probes


def _columns(person: Person) -> dict[str, object]:
    return {
        f.attname: getattr(person, f.attname)
        for f in Person._meta.concrete_fields
        if f.attname not in UNCOMPARED
    }


def test_bulk_loaded_persons_have_the_service_columns(loaded):
    service, bulk, _ = loaded
    persons = Person.objects.in_bulk([*service, *bulk])
    assert [_columns(persons[b]) for b in bulk] == [_columns(persons[s]) for s in service]


def test_bulk_loaded_names_are_stored_encrypted_like_the_service_writes_them(loaded):
    service, bulk, _ = loaded
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, first_name, family_name FROM cases_person")
        stored = {str(row[0]).replace("-", ""): row[1:] for row in cursor.fetchall()}

    def prefixes(person_ids: list[UUID]) -> set[str]:
        return {value[:5] for p in person_ids for value in stored[p.hex] if value}

    assert (prefixes(bulk), prefixes(service)) == ({"enc1:"}, {"enc1:"})


def _digests(person_ids: list[UUID]) -> list[list[str]]:
    keys: dict[UUID, list[str]] = {person_id: [] for person_id in person_ids}
    for person_id, digest in CandidateKey.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "digest"
    ):
        keys[person_id].append(digest)
    return [sorted(keys[person_id]) for person_id in person_ids]


def test_bulk_loaded_persons_have_the_service_index_keys(loaded):
    service, bulk, _ = loaded
    assert _digests(bulk) == _digests(service)


def test_intake_search_finds_the_same_records_either_way(loaded):
    service, bulk, probes = loaded
    record_of = {person_id: i for i, person_id in enumerate(service)}
    record_of |= {person_id: i for i, person_id in enumerate(bulk)}
    service_ids = set(service)
    found_any = False
    for _person_id, (given, family, patronymic, sex, birth_text, citizenship) in probes:
        probe = Probe(given, family, patronymic, birth_text, sex, citizenship)
        found = candidate_person_ids(probe.keys(), limit=1000)
        by_service = sorted(record_of[p] for p in found if p in service_ids)
        by_bulk = sorted(record_of[p] for p in found if p not in service_ids)
        assert by_bulk == by_service
        found_any |= bool(by_service)
    assert found_any


def test_bulk_load_keeps_the_indexes_and_constraints(loaded):
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "matching_candidatekey")
    assert {"matching_key_digest", "matching_one_key_per_person"} <= set(indexes)


def test_birth_dates_keep_their_precision():
    assert [birth_parse(t) for t in ("1994-03-12", "1994-03", "1994", "")] == [
        (datetime.date(1994, 3, 12), "day"),
        (datetime.date(1994, 3, 1), "month"),
        (datetime.date(1994, 1, 1), "year"),
        (None, "day"),
    ]
