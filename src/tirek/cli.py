"""The ``tirek`` console command: Django's manage with Tirek's settings."""

from __future__ import annotations

import os
import sys

# Commands that work without valid settings, as with Django's own manage.py.
SETTINGS_FREE = {"help", "--help", "-h", "version", "--version", "compilemessages", "makemessages"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tirek.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    from tirek.config import configuration_error_exit

    if not SETTINGS_FREE.intersection(sys.argv[1:2]):
        try:
            settings.INSTALLED_APPS  # noqa: B018 (loads the settings: a bad value stops here)
        except ImproperlyConfigured as error:
            configuration_error_exit(error)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
