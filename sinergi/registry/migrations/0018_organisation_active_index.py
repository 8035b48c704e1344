import django.db.models.deletion
from django.db import migrations, models

from sinergi.core.bulk import analyze


def statistics(apps, schema_editor):
    analyze(schema_editor, "registry_organisation")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0017_enterprise_filters_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="organisation",
            name="type",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="organisations",
                to="registry.organisationtype",
                verbose_name="type",
            ),
        ),
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(
                fields=["type", "enterprise", "founded_on", "dissolved_on"],
                name="registry_org_active_idx",
            ),
        ),
        migrations.RunPython(statistics, migrations.RunPython.noop, elidable=True),
    ]
