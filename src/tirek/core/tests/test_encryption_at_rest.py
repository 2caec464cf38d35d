"""A database dump holds none of a person's identifying data in clear."""

from __future__ import annotations

import datetime
import shutil
import subprocess

import pytest
from django.db import connection

from tirek.cases.models import Person
from tirek.core import crypto
from tirek.referrals.services import referral_decline
from tirek.testing.builders import case_build, referral_build
from tirek.testing.personas import personas_create

SECRETS = ["Zhyldyzbekova", "Qundyzaigul", "Temirbolatovna", "+77015550123", "hidden.dove@"]


def _dump() -> str:
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    settings = connection.settings_dict
    pg_dump = shutil.which("pg_dump")
    assert pg_dump, "pg_dump is needed for this test on PostgreSQL"
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [
            pg_dump,
            "--data-only",
            "-h",
            settings["HOST"] or "127.0.0.1",
            "-p",
            str(settings["PORT"] or 5432),
            "-U",
            settings["USER"] or "postgres",
            settings["NAME"],
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


@pytest.mark.django_db(transaction=True)
def test_database_dump_contains_no_identifying_data_in_clear():
    people = personas_create()
    case = case_build(
        people.aigul,
        family_name=SECRETS[0],
        first_name=SECRETS[1],
        patronymic=SECRETS[2],
        mobile_phone=SECRETS[3],
        email=SECRETS[4] + "example.org",
        birth_date=datetime.date(1987, 11, 23),
    )
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    referral_decline(actor=people.dana, referral_id=referral.pk, reason=f"Asked {SECRETS[1]}")
    dump = _dump().casefold()
    assert [s for s in SECRETS + ["1987-11-23"] if s.casefold() in dump] == []


@pytest.mark.django_db
def test_encrypted_values_read_back_in_clear():
    people = personas_create()
    case = case_build(people.aigul, family_name=SECRETS[0])
    assert Person.objects.get(pk=case.person_id).family_name == SECRETS[0]


@pytest.mark.django_db
def test_values_survive_key_rotation(settings):
    people = personas_create()
    case = case_build(people.aigul, family_name=SECRETS[0])
    old_key = crypto._derived_key("encryption").decode()
    new_key = "A" * 43 + "="
    settings.TIREK_ENCRYPTION_KEYS = [new_key, old_key]
    crypto.keys_reset()
    try:
        from django.core.management import call_command

        call_command("rotate_keys")
        settings.TIREK_ENCRYPTION_KEYS = [new_key]
        crypto.keys_reset()
        assert Person.objects.get(pk=case.person_id).family_name == SECRETS[0]
    finally:
        crypto.keys_reset()
