import datetime

from django.core.management.base import BaseCommand

from sinergi.insight import aggregates
from sinergi.presets.demo import DEMO_PASSWORD, DEMO_USERS, build_demo


class Command(BaseCommand):
    help = "Load the demo province: the preset, one user per role and ~200 synthetic enterprises."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=None, help="Number of enterprises.")
        parser.add_argument(
            "--scale",
            choices=["province", "national"],
            default="province",
            help="province: ~200 enterprises through the services; national: 100k enterprises "
            "in 40 provinces with ~2M figures, bulk-inserted (for measuring the pages).",
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Date the province demo as if loaded on this day (YYYY-MM-DD); default: today "
            "(or the SINERGI_DEMO_TODAY setting). The story moves by whole years so that its "
            "first-year review falls shortly before this day.",
        )

    def handle(self, *args, count, scale, today, **options):
        if scale == "national":
            from sinergi.presets.national import build_national

            counts = build_national(count=count or 100_000)
        else:
            counts = build_demo(count=count or 200, today=today)
        if counts["enterprises"]:
            self.stdout.write(
                f"Demo loaded: {counts['enterprises']} enterprises, {counts['organisations']} "
                f"organisations, {counts['figures']} figure records."
            )
            if "seconds" in counts:
                self.stdout.write(
                    f"National demo: {counts['zones']} zones in {counts['seconds']} s."
                )
            # The dashboard's figures, now rather than on the first visitor's page.
            snapshot = aggregates.refresh()
            self.stdout.write(f"Dashboard figures computed in {snapshot.seconds:.1f} s.")
        else:
            self.stdout.write("Demo already loaded; nothing added.")
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for spec in DEMO_USERS:
            self.stdout.write(f"  {spec['username']:<22} {spec['role']}")
