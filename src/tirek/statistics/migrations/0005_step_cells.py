import django.db.models.deletion
from django.db import migrations, models


def recount_steps(apps, schema_editor):
    """The step cells start empty: the next refresh counts every step again (its watermark
    forgotten), summing the cells in the same transaction."""
    apps.get_model("statistics", "Watermark").objects.filter(name="steps").delete()


class Migration(migrations.Migration):

    dependencies = [
        ('mechanisms', '0006_checklist_outside_referral'),
        ('statistics', '0004_stepfact_tally'),
    ]

    operations = [
        migrations.CreateModel(
            name='StepCell',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('scope', models.CharField(blank=True, max_length=36)),
                ('quarter', models.PositiveIntegerField()),
                ('stage', models.CharField(max_length=20)),
                ('step_code', models.CharField(max_length=64)),
                ('territory', models.CharField(max_length=32)),
                ('measure', models.CharField(max_length=12)),
                ('minutes', models.PositiveIntegerField(default=0)),
                ('n', models.IntegerField(default=0)),
                ('key_sum', models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RemoveIndex(
            model_name='stepfact',
            name='statistics_stepfact_tally',
        ),
        migrations.AlterField(
            model_name='fact',
            name='key',
            field=models.CharField(max_length=32),
        ),
        migrations.AddIndex(
            model_name='fact',
            index=models.Index(fields=['key', 'unit'], name='statistics_fact_key'),
        ),
        migrations.AddField(
            model_name='stepcell',
            name='mechanism',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='mechanisms.mechanism'),
        ),
        migrations.AddConstraint(
            model_name='stepcell',
            constraint=models.UniqueConstraint(fields=('scope', 'quarter', 'stage', 'step_code', 'territory', 'measure', 'minutes', 'mechanism'), name='statistics_one_step_cell'),
        ),
        migrations.RunPython(recount_steps, migrations.RunPython.noop),
    ]
