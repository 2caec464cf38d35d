"""Rebuild the candidate index: two new key kinds (``f2d``, ``g2d``: one name's first two letters
with the full birth date) for a typo in one name when the other is missing or another, mirroring
the batch's new blocking rules (issue 10).
"""

import importlib

from django.db import migrations

# The same rebuild as the previous re-keying migrations (from the persons, historical models).
candidate_index_rebuild = importlib.import_module(
    "tirek.matching.migrations.0004_reindex_day_month_heads"
).candidate_index_rebuild


class Migration(migrations.Migration):
    dependencies = [("matching", "0005_reindex_heads_date")]

    operations = [migrations.RunPython(candidate_index_rebuild, migrations.RunPython.noop)]
