"""Rebuild the candidate index: Uzbek Latin x (х) and ўғли/қизи patronymics changed the keys.

Persons registered before this release were indexed under the older normalisation; without a
rebuild an intake search would miss them when their names carry these letters (issue 10).
"""

from django.db import migrations


def candidate_index_rebuild(apps, schema_editor):
    from tirek.matching.services import candidate_index_rebuild as rebuild

    rebuild(
        person_model=apps.get_model("cases", "Person"),
        key_model=apps.get_model("matching", "CandidateKey"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0020_alter_caseevent_kind"),
        ("matching", "0002_review_scan"),
    ]

    operations = [migrations.RunPython(candidate_index_rebuild, migrations.RunPython.noop)]
