"""The sex × age group cross table: every person fact gains its ``sex_age`` value and the cells
of that dimension are summed from the facts (new facts get it from ``facts._case_facts``)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import migrations

DIMENSION = "sex_age"
NATIONAL = ""
ALL = "*"
BATCH = 1000


def forwards(apps: Any, schema_editor: Any) -> None:
    Fact = apps.get_model("statistics", "Fact")
    Cell = apps.get_model("statistics", "Cell")
    Cell.objects.filter(unit="person", dimension=DIMENSION).delete()
    sums: dict[tuple[str, int, str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    changed = []
    for fact in Fact.objects.filter(unit="person").iterator(chunk_size=BATCH):
        value = f"{fact.dims.get('sex') or 'U'}|{fact.dims.get('age_group') or 'unknown'}"
        if fact.dims.get(DIMENSION) != value:
            fact.dims[DIMENSION] = value
            changed.append(fact)
        places = [fact.territory, ALL] if fact.scope == NATIONAL else [fact.territory]
        for place in places:
            entry = sums[(fact.scope, fact.quarter, place, value, fact.series)]
            entry[0] += 1
            entry[1] += fact.noise_key
        if len(changed) >= BATCH:
            Fact.objects.bulk_update(changed, ["dims"])
            changed = []
    Fact.objects.bulk_update(changed, ["dims"])
    Cell.objects.bulk_create(
        [
            Cell(
                unit="person",
                scope=scope,
                quarter=quarter,
                territory=territory,
                dimension=DIMENSION,
                value=value,
                series=series,
                n=n,
                key_sum=key_sum,
            )
            for (scope, quarter, territory, value, series), (n, key_sum) in sums.items()
        ],
        batch_size=BATCH,
    )


def backwards(apps: Any, schema_editor: Any) -> None:
    apps.get_model("statistics", "Cell").objects.filter(dimension=DIMENSION).delete()


class Migration(migrations.Migration):
    dependencies = [("statistics", "0006_privacy_budget_year")]

    operations = [migrations.RunPython(forwards, backwards)]
