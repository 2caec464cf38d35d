"""Anchoring epochs for the hash chains, and TRUNCATE refused on the audit tables.

Every chained row now records the epoch it was written in, and its hash covers it: the audit
chain's rows are re-linked under the new formula here (the case timeline in ``cases/0008``).
"""

from typing import Any

from django.db import migrations, models

from tirek.core.chain import GENESIS, chain_hash
from tirek.core.db import append_only, heads_never_rewind, no_truncate


def audit_relink(apps: Any, schema_editor: Any) -> None:
    AuditEvent = apps.get_model("core", "AuditEvent")
    ChainHead = apps.get_model("core", "ChainHead")
    ChainEpoch = apps.get_model("core", "ChainEpoch")
    ChainEpoch.objects.get_or_create(pk=1, defaults={"epoch": 1})
    rows = list(AuditEvent.objects.order_by("seq"))
    if not rows:
        return
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
    prev = GENESIS
    for row in rows:
        row.epoch = 1
        row.prev_hash = prev
        row.hash = chain_hash(
            prev,
            {
                "seq": row.seq,
                "epoch": row.epoch,
                "at": row.at,
                "user": str(row.actor_user_id or ""),
                "agency": str(row.actor_agency_id or ""),
                "action": row.action,
                "object_type": row.object_type,
                "object_id": row.object_id,
                "data": row.data,
            },
        )
        prev = row.hash
    AuditEvent.objects.bulk_update(rows, ["epoch", "prev_hash", "hash"], batch_size=500)
    ChainHead.objects.update_or_create(
        name="audit", defaults={"seq": rows[-1].seq, "hash": rows[-1].hash}
    )
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_append_only")
        else:
            cursor.execute(
                "CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent "
                "BEGIN SELECT RAISE(ABORT, 'append-only table'); END;"
            )


class Migration(migrations.Migration):
    dependencies = [("core", "0002_append_only")]

    operations = [
        migrations.AlterField(
            model_name="chainhead",
            name="name",
            field=models.CharField(max_length=64, primary_key=True, serialize=False),
        ),
        migrations.CreateModel(
            name="ChainEpoch",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False),
                ),
                ("epoch", models.BigIntegerField(default=1)),
            ],
        ),
        migrations.AddField(
            model_name="auditevent",
            name="epoch",
            field=models.BigIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(audit_relink, migrations.RunPython.noop),
        no_truncate("core_auditevent"),
        append_only("core_auditevent"),  # SQLite dropped the triggers when it rebuilt the table
        no_truncate("core_chainhead"),
        heads_never_rewind("core_chainhead"),
    ]
