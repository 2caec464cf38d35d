"""Screening evidence notes and status decision reasons are stored encrypted; existing values
are encrypted."""

import tirek.core.crypto
from django.db import migrations

from tirek.core.crypto_migrations import encrypt_existing


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0003_screening_carried_over_from"),
    ]

    operations = [
        migrations.AlterField(
            model_name="observedindicator",
            name="note",
            field=tirek.core.crypto.EncryptedTextField(
                blank=True, max_length=10000, verbose_name="evidence"
            ),
        ),
        migrations.AlterField(
            model_name="statusdecision",
            name="reasons",
            field=tirek.core.crypto.EncryptedTextField(
                blank=True, max_length=10000, verbose_name="reasons"
            ),
        ),
        encrypt_existing("screening", "ObservedIndicator", "note"),
        encrypt_existing("screening", "StatusDecision", "reasons"),
    ]
