from django.db import migrations


def seed(apps, schema_editor):
    from engagements.lookups import load_lookups

    load_lookups(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("engagements", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
