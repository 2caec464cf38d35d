"""Migration ``cases/0008``: a timeline written as one global chain becomes one chain per case,
verified first, with the rebuild itself on the audit record."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from tirek.cases.models import CaseEvent
from tirek.core.anchor import chains_verify
from tirek.core.chain import GENESIS, ChainHead, chain_hash
from tirek.core.db import chain_guards_lifted
from tirek.core.models import AuditEvent
from tirek.testing.builders import case_build

relink = importlib.import_module("tirek.cases.migrations.0008_case_chains_relink").relink


def old_global_chain(people, *, tamper: bool = False) -> list[CaseEvent]:
    """Rows as the single global chain wrote them: one ``seq`` across cases, no epoch."""
    first, second = case_build(people.aigul), case_build(people.aigul)
    with chain_guards_lifted(connection):
        CaseEvent.objects.all()._raw_delete(CaseEvent.objects.db)
        ChainHead.objects.filter(name__startswith="case:").delete()
    rows, prev = [], GENESIS
    for seq, case in enumerate([first, second, first, second, first], start=1):
        row = CaseEvent(case=case, kind="case_viewed", seq=seq, epoch=0, prev_hash=prev)
        row.at = timezone.now()
        content = row.chain_content()
        del content["epoch"]
        row.hash = chain_hash(prev, {**content, "data": {"forged": 1} if tamper else {}})
        if tamper and seq == 2:
            tamper = False
        prev = row.hash
        rows.append(row)
    CaseEvent.objects.bulk_create(rows)
    ChainHead.objects.create(name="case_events", seq=5, hash=prev)
    return rows


@pytest.mark.parametrize("tamper", [False, True])
def test_the_global_chain_is_relinked_per_case_and_the_rebuild_recorded(people, tamper):
    old_global_chain(people, tamper=tamper)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # a migration starts with no checks pending
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    relink(apps, SimpleNamespace(connection=connection))
    assert chains_verify().ok
    seqs = sorted(CaseEvent.objects.values_list("case_id", "seq"))
    assert [seq for _, seq in seqs] == [1, 2, 3, 1, 2] or [seq for _, seq in seqs] == [
        1,
        2,
        1,
        2,
        3,
    ]
    assert not ChainHead.objects.filter(name="case_events").exists()
    record = AuditEvent.objects.get(action="chain.relinked_per_case")
    assert record.data["rows"] == 5 and record.data["cases"] == 2
    assert record.data["old_head_seq"] == 5
    assert record.data["old_chain_intact"] is (not tamper)
