from django.db import migrations, models

from sinergi.core.bulk import analyze


def statistics(apps, schema_editor):
    # Without them SQLite read the national registry's filtered lists 30-43 ms a query
    # instead of 6-7 (bench/README.md).
    analyze(schema_editor, "registry_enterprise")


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_initial"),
        ("registry", "0016_enterprise_location"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="enterprise",
            name="registry_en_ownersh_97e19b_idx",
        ),
        migrations.AddIndex(
            model_name="enterprise",
            index=models.Index(
                fields=["status", "ownership", "latest_workers", "zone", "id"],
                name="registry_ent_filters_idx",
            ),
        ),
        migrations.RunPython(statistics, migrations.RunPython.noop, elidable=True),
    ]
