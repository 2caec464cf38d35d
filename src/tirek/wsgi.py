from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tirek.settings")
application = get_wsgi_application()

from tirek.core.tasks.embedded import embedded_worker_start  # noqa: E402 (needs Django set up)

embedded_worker_start()
