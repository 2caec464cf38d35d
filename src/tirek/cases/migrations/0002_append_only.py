from django.db import migrations

from tirek.core.db import append_only


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial"), ("core", "0002_append_only")]
    operations = [append_only("cases_caseevent")]
