"""``tirek rotate_keys``: re-encrypt every encrypted value under the first (newest) key.

Put the new key first in ``TIREK_ENCRYPTION_KEYS``, keep the old ones after it, run this, then
remove the old keys.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from tirek.core.crypto import EncryptedBinaryField, EncryptedCharField, EncryptedDateField


class Command(BaseCommand):
    help = "Re-encrypt all encrypted fields with the newest key of TIREK_ENCRYPTION_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        for model in apps.get_models():
            names = [
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, EncryptedCharField | EncryptedDateField | EncryptedBinaryField)
            ]
            if not names:
                continue
            count = 0
            for obj in model._default_manager.only("pk", *names).iterator(chunk_size=500):
                with transaction.atomic():
                    model._default_manager.filter(pk=obj.pk).update(
                        **{name: getattr(obj, name) for name in names}
                    )
                count += 1
            self.stdout.write(f"{model._meta.label}: {count} rows re-encrypted")
