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
        migrations.RemoveConstraint(model_name="stepcell", name="statistics_one_step_cell"),
        migrations.AddIndex(
            model_name="stepfact",
            index=models.Index(fields=["status", "quarter"], name="statistics_stepfact_open"),
        ),
        migrations.RunSQL(YEAR_ROWS, NO_YEAR_ROWS),
        # The same unique index, with the counts in it (PostgreSQL: an index-only scan).
        migrations.AddConstraint(
            model_name="stepcell",
            constraint=models.UniqueConstraint(
                fields=tuple(
                    "scope quarter stage step_code territory measure minutes mechanism".split()
                ),
                include=("n", "key_sum"),
                name="statistics_one_step_cell",
            ),
        ),
    ]
