"""Rebuild the candidate index: a new key kind (``dh``: both names' first letters with the day
and month) for a typo in each name, mirroring the batch's new blocking rule (issue 10).
"""

from django.db import migrations


def candidate_index_rebuild(apps, schema_editor):
    from tirek.matching.services import candidate_index_rebuild as rebuild

    rebuild(
        person_model=apps.get_model("cases", "Person"),
        key_model=apps.get_model("matching", "CandidateKey"),
    )


class Migration(migrations.Migration):
    dependencies = [("matching", "0003_reindex_uzbek_names")]

    operations = [migrations.RunPython(candidate_index_rebuild, migrations.RunPython.noop)]
