"""Backup and restore round trip: back up, wipe, restore, every case readable, chains verify."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from tirek.accounts.actor import Actor
from tirek.accounts.models import Membership
from tirek.cases.models import Case
from tirek.cases.selectors import case_view
from tirek.core import crypto
from tirek.core.backup import MANIFEST, _wipe
from tirek.testing.builders import case_build, referral_build

pytestmark = pytest.mark.django_db(transaction=True)

NAMES = [("Testgul", "Synthetova"), ("Aruzhan", "Fictiva"), ("Madina", "Examplova")]


def backup(tmp_path: Path, *options: str) -> Path:
    call_command("backup", str(tmp_path), *options, stderr=open("/dev/null", "w"))  # noqa: SIM115
    [folder] = tmp_path.glob("tirek-backup-*")
    return folder


def restore(folder: Path, *options: str) -> str:
    out = []

    class Out:
        def write(self, text: str) -> None:
            out.append(text)

        def flush(self) -> None:
            pass

    call_command("restore", str(folder), *options, stdout=Out())
    return "".join(out)


def actor_again(actor: Actor) -> Actor:
    membership = Membership.objects.select_related("user", "agency").get(pk=actor.membership.pk)
    return Actor(user=membership.user, membership=membership)


def world(people) -> dict[str, tuple[str, str]]:
    names = {}
    for first, family in NAMES:
        case = case_build(people.aigul, first_name=first, family_name=family)
        names[str(case.pk)] = (first, family)
    case = Case.objects.get(pk=next(iter(names)))
    referral_build(people.aigul, case, to=people.employment, service=people.employment_service)
    return names


def test_back_up_wipe_restore_every_case_readable_and_chains_verify(people, tmp_path) -> None:
    names = world(people)
    folder = backup(tmp_path)
    manifest = json.loads((folder / MANIFEST).read_text())
    assert (manifest["engine"], manifest["rows"]["cases.Case"], manifest["keys_included"]) == (
        connection.vendor,
        3,
        False,
    )

    _wipe()
    assert "cases_case" not in connection.introspection.table_names()

    out = restore(folder)
    assert "every encrypted value decrypts" in out and "chain intact" in out
    aigul = actor_again(people.aigul)
    readable = {
        str(case.pk): (case.person.first_name, case.person.family_name)
        for case in (case_view(actor=aigul, case_id=pk).case for pk in names)
    }
    assert readable == names


def test_restore_refuses_a_database_holding_data_unless_told_to_replace_it(
    people, tmp_path
) -> None:
    world(people)
    folder = backup(tmp_path)
    with pytest.raises(CommandError, match="--replace"):
        restore(folder)
    assert Case.objects.count() == 3
    restore(folder, "--replace")
    assert Case.objects.count() == 3


def test_restore_without_the_backups_keys_changes_nothing(people, tmp_path) -> None:
    world(people)
    folder = backup(tmp_path)
    other_key = Fernet.generate_key().decode()
    with override_settings(TIREK_ENCRYPTION_KEYS=[other_key]):
        crypto.keys_reset()
        with pytest.raises(CommandError, match="fingerprint"):
            restore(folder, "--replace")
    crypto.keys_reset()
    assert Case.objects.count() == 3


def test_sealed_keys_restore_where_the_keys_are_lost(people, tmp_path, monkeypatch) -> None:
    names = world(people)
    monkeypatch.setenv("TIREK_BACKUP_PASSPHRASE", "correct horse battery staple")
    folder = backup(tmp_path / "backups", "--with-keys")
    assert "Testgul" not in (folder / "keys.sealed").read_text()
    _wipe()
    other_key = Fernet.generate_key().decode()
    with override_settings(TIREK_ENCRYPTION_KEYS=[other_key], TIREK_BLIND_INDEX_KEY="other"):
        crypto.keys_reset()
        with pytest.raises(CommandError, match="fingerprint"):
            restore(folder)
        out = restore(folder, "--with-keys", "--keys-out", str(tmp_path / "keys"))
    crypto.keys_reset()
    assert "every encrypted value decrypts" in out
    keys = (tmp_path / "keys" / "encryption_keys").read_text().strip()
    with override_settings(TIREK_ENCRYPTION_KEYS=keys.split(",")):
        crypto.keys_reset()
        first = Case.objects.select_related("person").get(pk=next(iter(names))).person.first_name
    crypto.keys_reset()
    assert first == "Testgul"


def test_a_wrong_passphrase_is_refused(people, tmp_path, monkeypatch) -> None:
    world(people)
    monkeypatch.setenv("TIREK_BACKUP_PASSPHRASE", "correct horse battery staple")
    folder = backup(tmp_path, "--with-keys")
    monkeypatch.setenv("TIREK_BACKUP_PASSPHRASE", "wrong horse battery staple")
    with pytest.raises(CommandError, match="passphrase"):
        restore(folder, "--with-keys", "--replace")
    assert Case.objects.count() == 3


def test_a_damaged_backup_is_refused(people, tmp_path) -> None:
    world(people)
    folder = backup(tmp_path)
    manifest = json.loads((folder / MANIFEST).read_text())
    with (folder / manifest["file"]).open("ab") as dump:
        dump.write(b"x")
    with pytest.raises(CommandError, match="damaged"):
        restore(folder, "--replace")
    assert Case.objects.count() == 3
