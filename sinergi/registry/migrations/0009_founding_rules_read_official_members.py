"""The preset's founding rules, where a deployment still has the old defaults: the party
organisation counts official members only (probationary ones are a "potential" group), and the
trade union's "5 workers" becomes a potential group, since the charter asks for 5 workers
applying, not 5 workers."""

from django.db import migrations

OLD_PARTY = {"any": [{"field": "party_members", "min": 3}]}
NEW_PARTY = {
    "any": [{"field": "official_party_members", "min": 3}],
    "potential": [{"field": "party_members", "min": 3}],
}
OLD_UNION = {"any": [{"field": "union_members", "min": 5}, {"field": "workers", "min": 5}]}
NEW_UNION = {
    "any": [{"field": "union_members", "min": 5}],
    "potential": [{"field": "workers", "min": 5}],
}


def forwards(apps, schema_editor):
    OrganisationType = apps.get_model("registry", "OrganisationType")
    for org_type in OrganisationType.objects.all():
        if org_type.founding_rule == OLD_PARTY:
            org_type.founding_rule = NEW_PARTY
            org_type.save(update_fields=["founding_rule"])
        elif org_type.founding_rule == OLD_UNION:
            org_type.founding_rule = NEW_UNION
            org_type.save(update_fields=["founding_rule"])


def backwards(apps, schema_editor):
    OrganisationType = apps.get_model("registry", "OrganisationType")
    for org_type in OrganisationType.objects.all():
        if org_type.founding_rule == NEW_PARTY:
            org_type.founding_rule = OLD_PARTY
            org_type.save(update_fields=["founding_rule"])
        elif org_type.founding_rule == NEW_UNION:
            org_type.founding_rule = OLD_UNION
            org_type.save(update_fields=["founding_rule"])


class Migration(migrations.Migration):
    dependencies = [("registry", "0008_party_split_pipeline_status_history_officers")]

    operations = [migrations.RunPython(forwards, backwards)]
