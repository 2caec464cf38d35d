import os
import subprocess
import sys


def test_the_wsgi_entry_point_loads_the_urls_and_catalogues_before_the_first_request() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env |= {"TIREK_TESTING": "1", "DATABASE_URL": "sqlite://", "TIREK_TASKS_EMBEDDED_WORKER": "0"}
    code = (
        "import sys, tirek.wsgi\n"
        "from django.utils.translation import trans_real\n"
        "print('tirek.api' in sys.modules, 'tirek.web.urls' in sys.modules,"
        " sorted(trans_real._translations))"
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["True", "True", "['en',", "'kk',", "'ru']"]
