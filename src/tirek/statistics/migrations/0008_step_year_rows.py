from django.db import migrations, models

COLUMNS = "scope, mechanism_id, stage, step_code, territory, measure, minutes"

# Every step cell of a quarter (year * 10 + 1..4) summed into the row of its whole year
# (year * 10), as step_facts.step_cell_contributions now counts them: the same SQL on SQLite
# and PostgreSQL (integer division), without reading the facts again.
YEAR_ROWS = f"""
INSERT INTO statistics_stepcell ({COLUMNS}, quarter, n, key_sum)
SELECT {COLUMNS}, (quarter / 10) * 10, SUM(n), SUM(key_sum)
FROM statistics_stepcell
WHERE quarter > 0 AND quarter <> (quarter / 10) * 10
GROUP BY {COLUMNS}, (quarter / 10) * 10
HAVING SUM(n) <> 0
"""  # noqa: S608 - constant text
NO_YEAR_ROWS = "DELETE FROM statistics_stepcell WHERE quarter > 0 AND quarter = (quarter / 10) * 10"


class Migration(migrations.Migration):
    dependencies = [
        ("statistics", "0007_sex_age_cells"),
    ]

    operations = [
        # PostgreSQL: a release's cells read from the index alone (index-only scan); made
        # before the year rows are written (PostgreSQL makes no index on a table with pending
        # deferred foreign key trigger events in the same transaction). SQLite: no index.
        migrations.AddIndex(
            model_name="stepcell",
            index=models.Index(
                fields=["scope", "quarter", "measure"],
                include=["stage", "step_code", "territory", "minutes", "mechanism", "n", "key_sum"],
                name="statistics_stepcell_release",
            ),
        ),
        migrations.AddIndex(
            model_name="stepfact",
            index=models.Index(fields=["status", "quarter"], name="statistics_stepfact_open"),
        ),
        migrations.RunSQL(YEAR_ROWS, NO_YEAR_ROWS),
    ]
