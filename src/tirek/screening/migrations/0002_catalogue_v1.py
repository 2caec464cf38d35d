"""Load catalogue version 1: the four ILO/EC Delphi 2009 lists shipped in ``screening/data``.

Self-contained on purpose (plain csv/json): later changes to the app's code must not change what
this migration loads. Later versions are made by coordinators in the database, not by files.
"""

import csv
import json
from pathlib import Path

from django.db import migrations

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
STRENGTHS = {"S": "strong", "M": "medium", "W": "weak", "": ""}
LIST_KEYS = ("adult_labour", "child_labour", "adult_sexual", "child_sexual")


def load(apps, schema_editor):
    Catalogue = apps.get_model("screening", "Catalogue")
    IndicatorList = apps.get_model("screening", "IndicatorList")
    Indicator = apps.get_model("screening", "Indicator")
    if Catalogue.objects.filter(number=1).exists():
        return
    meta = json.loads((DATA_DIR / "catalogue.json").read_text(encoding="utf-8"))
    catalogue = Catalogue.objects.create(
        number=1, name=meta["name"], change_note=meta["version_label"]
    )
    IndicatorList.objects.bulk_create(
        IndicatorList(
            catalogue=catalogue,
            key=item["key"],
            title_en=item["title_en"],
            title_ru=item["title_ru"],
            title_kk=item["title_kk"],
            source=item["source"],
            is_verified=item["is_verified"],
            verification_note=item["verification_note"],
        )
        for item in meta["lists"]
    )
    with (DATA_DIR / meta["indicators_file"]).open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    Indicator.objects.bulk_create(
        Indicator(
            catalogue=catalogue,
            code=row["code"],
            dimension=row["dimension"],
            position=position,
            label_en=row["label_en"],
            label_ru=row["label_ru"],
            label_kk=row["label_kk"],
            **{f"strength_{key}": STRENGTHS[row[key].strip().upper()] for key in LIST_KEYS},
        )
        for position, row in enumerate(rows, start=1)
    )


def unload(apps, schema_editor):
    Catalogue = apps.get_model("screening", "Catalogue")
    Catalogue.objects.filter(number=1, screenings__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
