from django.db import migrations, models


def copy_workers(apps, schema_editor):
    """Each enterprise's latest_workers from the figure its latest_figure points at."""
    schema_editor.execute(
        "UPDATE registry_enterprise SET latest_workers = (SELECT f.workers FROM registry_figure f"
        " WHERE f.id = registry_enterprise.latest_figure_id) WHERE latest_figure_id IS NOT NULL"
    )


def descending_index(apps, schema_editor):
    """PostgreSQL puts NULLs first in a DESC index; the list sorts the largest workforce first
    with enterprises without figures last, so it gets an index in exactly that order. (SQLite's
    DESC order already puts NULLs last: the plain -latest_workers index serves it.)"""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX registry_enterprise_workers_desc_nulls_last "
            "ON registry_enterprise (latest_workers DESC NULLS LAST, id)"
        )


def drop_descending_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS registry_enterprise_workers_desc_nulls_last")


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_initial"),
        ("registry", "0008_zone_location"),
    ]

    operations = [
        migrations.AddField(
            model_name="enterprise",
            name="latest_workers",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(copy_workers, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="enterprise",
            index=models.Index(
                fields=["latest_workers", "id"], name="registry_en_latest__e8c024_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="enterprise",
            index=models.Index(
                fields=["-latest_workers", "id"], name="registry_en_latest__fe21d8_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="enterprise",
            index=models.Index(fields=["status", "id"], name="registry_en_status_d10a0d_idx"),
        ),
        migrations.RunPython(descending_index, drop_descending_index),
    ]
