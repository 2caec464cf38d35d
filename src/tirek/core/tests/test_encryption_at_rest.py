"""A database dump holds none of a person's identifying data in clear."""

from __future__ import annotations

import datetime
import shutil
import subprocess

import pytest
from django.db import connection

from tirek.accounts.actor import Actor
from tirek.accounts.models import Membership, User
from tirek.accounts.roles import Role
from tirek.cases.choices import TraffickingStatus, TypeOfExploitation
from tirek.cases.models import Person
from tirek.cases.services import PersonInput, PlaceInput, VictimInput, case_register
from tirek.core import crypto
from tirek.referrals.services import referral_decline
from tirek.screening.selectors import catalogue_current
from tirek.screening.services import (
    Observation,
    ScreeningInput,
    case_status_decide,
    screening_save,
)
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


FREE_TEXT = ["Qarabulaqsay", "Kept her passport in Zhanabazar", "Told Orynbasarova everything"]


@pytest.mark.django_db(transaction=True)
def test_database_dump_contains_no_screening_notes_decision_reasons_or_city_in_clear():
    people = personas_create()
    case = case_register(
        actor=people.aigul,
        person=PersonInput(first_name="Testgul", family_name="Synthetova"),
        victim=VictimInput(types_of_exploitation=[TypeOfExploitation.FORCED_LABOUR]),
        place=PlaceInput(country="KAZ", city=FREE_TEXT[0]),
    )
    screening = screening_save(
        actor=people.aigul,
        catalogue=catalogue_current(),
        case=case,
        data=ScreeningInput(
            scope="labour", observations=[Observation("CD-01", "self_report", FREE_TEXT[1])]
        ),
    )
    case.refresh_from_db()
    user = User.objects.create_user(username="gulnara", password="x-synthetic-password-1")
    membership = Membership.objects.create(
        user=user, agency=people.crisis_centre, role=Role.SUPERVISOR
    )
    case_status_decide(
        actor=Actor(user=user, membership=membership),
        case=case,
        expected_version=case.version,
        status=TraffickingStatus.POSSIBLE,
        screening=screening,
        reasons=FREE_TEXT[2],
    )
    dump = _dump().casefold()
    assert [s for s in FREE_TEXT if s.casefold() in dump] == []


@pytest.mark.django_db
def test_filtering_an_encrypted_field_on_a_value_is_refused():
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError):
        list(Person.objects.filter(family_name="Synthetova"))


@pytest.mark.django_db
def test_searching_inside_an_encrypted_field_is_refused():
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError):
        list(Person.objects.filter(family_name__icontains="Synth"))


@pytest.mark.django_db
def test_blank_encrypted_fields_can_still_be_found():
    people = personas_create()
    case = case_build(people.aigul, email="")
    assert list(Person.objects.filter(email="").values_list("pk", flat=True)) == [case.person_id]
