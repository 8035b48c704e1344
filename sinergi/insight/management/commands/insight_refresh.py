from django.core.management.base import BaseCommand

from sinergi.insight.aggregates import refresh


class Command(BaseCommand):
    help = "Rebuild the pre-aggregates of the dashboards, the gap list and the data-quality page."

    def handle(self, *args, **options):
        snapshot = refresh()
        self.stdout.write(
            f"Insight refreshed in {snapshot.seconds} s (registry version {snapshot.version})."
        )
