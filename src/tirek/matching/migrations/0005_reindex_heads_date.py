"""Rebuild the candidate index: a new key kind (``hd``: both names' first letters with the full
birth date) for a typo or another spelling in each name, mirroring the batch's new blocking rule
(issue 10).
"""

import importlib

from django.db import migrations

# The same rebuild as the previous re-keying migration (from the persons, historical models).
candidate_index_rebuild = importlib.import_module(
    "tirek.matching.migrations.0004_reindex_day_month_heads"
).candidate_index_rebuild


class Migration(migrations.Migration):
    dependencies = [("matching", "0004_reindex_day_month_heads")]

    operations = [migrations.RunPython(candidate_index_rebuild, migrations.RunPython.noop)]
