"""The free-text city of places and dates is stored encrypted; existing values are encrypted."""

import tirek.core.crypto
from django.db import migrations

from tirek.core.crypto_migrations import encrypt_existing


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_stage_changed_event"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicevent",
            name="city",
            field=tirek.core.crypto.EncryptedCharField(
                blank=True, max_length=100, verbose_name="city (if not listed)"
            ),
        ),
        encrypt_existing("cases", "HistoricEvent", "city"),
    ]
