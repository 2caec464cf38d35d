"""Re-link the case timeline as one chain per case.

The single chain of every case event becomes one chain per case: each case's events, in their
old order, get a per-case ``seq`` and new hashes. The old chain is verified first, and the audit
chain records the rebuild with the old head and whether the old chain was intact, so the change
is itself on the record.
"""

from typing import Any

from django.db import migrations, models
from django.db.models import F
from django.utils import timezone

from tirek.core.chain import GENESIS, chain_hash
from tirek.core.db import append_only, no_truncate


def _content(row: Any, *, with_epoch: bool) -> dict[str, Any]:
    content = {
        "seq": row.seq,
        "at": row.at,
        "case": str(row.case_id),
        "kind": row.kind,
        "user": str(row.actor_user_id or ""),
        "agency": str(row.actor_agency_id or ""),
        "section": row.section,
        "data": row.data,
    }
    if with_epoch:
        content["epoch"] = row.epoch
    return content


def relink(apps: Any, schema_editor: Any) -> None:
    CaseEvent = apps.get_model("cases", "CaseEvent")
    ChainHead = apps.get_model("core", "ChainHead")
    rows = list(CaseEvent.objects.order_by("seq"))
    if not rows:
        return
    old_intact, prev = True, GENESIS
    for expected, row in enumerate(rows, start=1):
        if (
            row.seq != expected
            or row.prev_hash != prev
            or chain_hash(prev, _content(row, with_epoch=False)) != row.hash
        ):
            old_intact = False
        prev = row.hash
    # Past every old and new number (rows come in ``seq`` order, before they are renumbered).
    out_of_the_way = rows[-1].seq + len(rows)
    old_head = ChainHead.objects.filter(name="case_events").first()
    heads: dict[str, tuple[int, str]] = {}
    for row in rows:
        name = f"case:{row.case_id}"
        seq, prev = heads.get(name, (0, GENESIS))
        row.seq, row.epoch, row.prev_hash = seq + 1, 1, prev
        row.hash = chain_hash(prev, _content(row, with_epoch=True))
        heads[name] = (row.seq, row.hash)
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("ALTER TABLE cases_caseevent DISABLE TRIGGER USER")
            cursor.execute("ALTER TABLE core_chainhead DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS cases_caseevent_no_update")
    # Out of the way first, so that no (case, seq) pair is ever held twice while rows are renumbered
    # (a database that already has the per-case unique constraint checks every row).
    CaseEvent.objects.update(seq=F("seq") + out_of_the_way)
    CaseEvent.objects.bulk_update(rows, ["seq", "epoch", "prev_hash", "hash"], batch_size=500)
    ChainHead.objects.filter(name="case_events").delete()
    ChainHead.objects.bulk_create(
        [ChainHead(name=name, seq=seq, hash=hash_) for name, (seq, hash_) in heads.items()]
    )
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("ALTER TABLE cases_caseevent ENABLE TRIGGER USER")
            cursor.execute("ALTER TABLE core_chainhead ENABLE TRIGGER USER")
        else:
            cursor.execute(
                "CREATE TRIGGER cases_caseevent_no_update BEFORE UPDATE ON cases_caseevent "
                "BEGIN SELECT RAISE(ABORT, 'append-only table'); END;"
            )
    _audit_rebuild_record(
        apps,
        {
            "chain": "case_events",
            "rows": len(rows),
            "cases": len(heads),
            "old_head_seq": old_head.seq if old_head else None,
            "old_head_hash": old_head.hash if old_head else None,
            "old_chain_intact": old_intact,
        },
    )


def _audit_rebuild_record(apps: Any, data: dict[str, Any]) -> None:
    AuditEvent = apps.get_model("core", "AuditEvent")
    ChainHead = apps.get_model("core", "ChainHead")
    head, _ = ChainHead.objects.get_or_create(name="audit")
    row = AuditEvent(
        seq=head.seq + 1,
        epoch=1,
        at=timezone.now(),
        action="chain.relinked_per_case",
        object_type="chain",
        object_id="case_events",
        data=data,
        prev_hash=head.hash,
    )
    row.hash = chain_hash(
        head.hash,
        {
            "seq": row.seq,
            "epoch": row.epoch,
            "at": row.at,
            "user": "",
            "agency": "",
            "action": row.action,
            "object_type": row.object_type,
            "object_id": row.object_id,
            "data": row.data,
        },
    )
    row.save()
    ChainHead.objects.filter(name="audit").update(seq=row.seq, hash=row.hash)


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_case_chains")]

    operations = [
        migrations.RunPython(relink, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="caseevent",
            constraint=models.UniqueConstraint(
                fields=("case", "seq"), name="one_link_per_case_and_seq"
            ),
        ),
        no_truncate("cases_caseevent"),
        append_only("cases_caseevent"),  # SQLite dropped the triggers when it rebuilt the table
    ]
