from __future__ import annotations

import os

from django.core.asgi import get_asgi_application
from django.core.exceptions import ImproperlyConfigured

from tirek.config import configuration_error_exit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tirek.settings")
try:
    application = get_asgi_application()
    from tirek.core.warm import application_warm  # needs Django set up

    application_warm()
except ImproperlyConfigured as error:
    configuration_error_exit(error)

from tirek.core.tasks.embedded import embedded_worker_start  # noqa: E402 (needs Django set up)

embedded_worker_start()
