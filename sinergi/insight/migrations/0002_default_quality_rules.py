"""The data-quality rules the issue names, as data a deployment may change."""

from django.db import migrations

RULES = [
    ("Party members within workers", "party_members", "le", "workers"),
    ("Women workers within workers", "women_workers", "le", "workers"),
    ("Union members within workers", "union_members", "le", "workers"),
    ("Youth union members within workers", "youth_members", "le", "workers"),
    ("Figures not older than 18 months", "figures_age_months", "le", "18"),
    ("Enterprise placed in a zone", "zone", "is_set", ""),
    ("No likely duplicate by name", "name", "is_unique", ""),
]


def add_rules(apps, schema_editor):
    QualityRule = apps.get_model("insight", "QualityRule")
    for order, (name, left, operator, right) in enumerate(RULES, start=1):
        QualityRule.objects.get_or_create(
            name=name,
            defaults={"left": left, "operator": operator, "right": right, "sort_order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("insight", "0001_initial")]

    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
