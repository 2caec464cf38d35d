"""``make run`` serves the demo like the product (issue 9 item 9): DEBUG off, its own keys made
once under the data directory, static files from the app, plain HTTP on this machine."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from tirek.settings import _legacy_key, demo_secrets

SETTINGS_PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'debug': settings.DEBUG, 'ssl': settings.SECURE_SSL_REDIRECT, "
    "'hosts': settings.ALLOWED_HOSTS, 'mail': settings.EMAIL_BACKEND, "
    "'keys': bool(settings.TIREK_ENCRYPTION_KEYS and settings.TIREK_BLIND_INDEX_KEY), "
    "'secret': settings.SECRET_KEY}))"
)


def demo_settings(data_dir: Path) -> dict[str, object]:
    """The settings a demo process gets: no key given, as on a fresh machine."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECRET_KEY", "TIREK_", "DEBUG", "DATABASE_URL", "PYTEST"))
    }
    env |= {
        "TIREK_DEMO": "1",
        "DEBUG": "0",
        "TIREK_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "tirek.settings",
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    done = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", SETTINGS_PROBE],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_demo_starts_with_debug_off_and_no_key_typed(tmp_path):
    first = demo_settings(tmp_path)
    assert (first["debug"], first["ssl"], first["keys"]) == (False, False, True)
    assert "django.core.mail.backends.console" in str(first["mail"])


def test_demo_keeps_its_keys_between_runs(tmp_path):
    assert demo_settings(tmp_path)["secret"] == demo_settings(tmp_path)["secret"]


def test_demo_keys_are_readable_by_their_owner_only(tmp_path):
    demo_secrets(tmp_path)
    mode = stat.S_IMODE((tmp_path / "demo-secrets.json").stat().st_mode)
    assert mode == 0o600


def test_demo_keys_are_new_for_each_machine(tmp_path):
    one, other = demo_secrets(tmp_path / "one"), demo_secrets(tmp_path / "other")
    assert one["SECRET_KEY"] != other["SECRET_KEY"]


def test_a_demo_database_from_before_stays_readable(tmp_path):
    """A database made by the earlier demo (DEBUG on) was encrypted with the development key."""
    (tmp_path / "tirek.sqlite3").write_bytes(b"")
    values = demo_secrets(tmp_path)
    assert values["TIREK_ENCRYPTION_KEYS"].split(",")[1] == _legacy_key("encryption")
    assert values["TIREK_BLIND_INDEX_KEY"] == _legacy_key("blind-index")


def test_the_legacy_key_is_the_one_debug_derived(settings):
    from tirek.core.crypto import _derived_key
    from tirek.settings import INSECURE_KEY

    settings.SECRET_KEY = INSECURE_KEY
    assert _legacy_key("encryption") == _derived_key("encryption").decode()
