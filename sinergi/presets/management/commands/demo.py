from django.core.management.base import BaseCommand

from sinergi.presets.demo import DEMO_PASSWORD, DEMO_USERS, build_demo


class Command(BaseCommand):
    help = "Load the demo province: the preset, one user per role and ~200 synthetic enterprises."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=200, help="Number of enterprises.")

    def handle(self, *args, count, **options):
        counts = build_demo(count=count)
        if counts["enterprises"]:
            self.stdout.write(
                f"Demo loaded: {counts['enterprises']} enterprises, {counts['organisations']} "
                f"organisations, {counts['figures']} figure records."
            )
        else:
            self.stdout.write("Demo already loaded; nothing added.")
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for spec in DEMO_USERS:
            self.stdout.write(f"  {spec['username']:<22} {spec['role']}")
