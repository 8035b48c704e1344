import json

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from sinergi.insight.filtersets import GapFilterSet
from sinergi.insight.gaps import gap_queryset, gap_row
from sinergi.registry.models import OrganisationType, Zone


class Command(BaseCommand):
    help = (
        "Print the gap list: enterprises that can found an organisation now (then those whose "
        "figures are not reported, then those that could soon), in the page's order."
    )

    def add_arguments(self, parser):
        parser.add_argument("--type", help="organisation type code, e.g. party")
        parser.add_argument("--zone", help="zone code; the zones below it are included")
        parser.add_argument("--group", choices=["eligible", "unreported", "potential"])
        parser.add_argument("--json", action="store_true", help="a JSON list of objects")

    def handle(self, *args, **options):
        query = QueryDict(mutable=True)
        if options["type"]:
            if not OrganisationType.objects.filter(code=options["type"]).exists():
                raise CommandError(f"No organisation type with code {options['type']!r}.")
            query["type"] = options["type"]
        if options["zone"]:
            zone = Zone.objects.filter(code=options["zone"]).first()
            if zone is None:
                raise CommandError(f"No zone with code {options['zone']!r}.")
            query["zone"] = str(zone.pk)
        if options["group"]:
            query["status"] = options["group"]
        filterset = GapFilterSet(query, queryset=gap_queryset(refresh_if_stale=True))
        if not filterset.is_valid():
            raise CommandError(filterset.errors.as_text())
        rows = [gap_row(gap) for gap in filterset.qs.iterator(chunk_size=2000)]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        for row in rows:
            self.stdout.write(
                f"{row['tax_id']}\t{row['name']}\t{row['zone'] or '—'}\t"
                f"{row['organisation_type']}\t{row['group']}\t{row['reason']}"
                + (f"\t{row['pipeline']}" if row["pipeline"] else "")
            )
        self.stdout.write(f"{len(rows)} rows.")
