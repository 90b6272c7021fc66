from django.db import migrations


def load(apps, schema_editor):
    from duties.loader import load_frameworks

    load_frameworks(
        Framework=apps.get_model("duties", "Framework"),
        Duty=apps.get_model("duties", "Duty"),
        Checklist=apps.get_model("duties", "Checklist"),
    )


class Migration(migrations.Migration):
    dependencies = [("duties", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
