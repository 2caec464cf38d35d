"""The case timeline becomes one hash chain per case (schema; the links in 0008)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_encrypt_free_text"), ("core", "0003_chain_epochs")]

    operations = [
        migrations.AddField(
            model_name="caseevent",
            name="epoch",
            field=models.BigIntegerField(default=0, editable=False),
        ),
        migrations.AlterField(
            model_name="caseevent",
            name="seq",
            field=models.BigIntegerField(editable=False),
        ),
    ]
