from django.db import migrations


def tax_id_order_index(apps, schema_editor):
    """A deep page of the list sorted by tax id, either way, from an index on PostgreSQL: the
    unique index holds the tax id alone, and a page's ids sorted by (tax id, id) were a sort of
    every enterprise (114-185 ms at page 3,089 of the national registry; from this index 8-20
    ms, bench/README.md). SQLite's unique index already holds each row's id."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX registry_ent_tax_id_id_idx ON registry_enterprise (tax_id, id)"
        )


def drop_tax_id_order_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS registry_ent_tax_id_id_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_initial"),
        ("registry", "0018_organisation_active_index"),
    ]

    operations = [migrations.RunPython(tax_id_order_index, drop_tax_id_order_index)]
