from django.core.management.base import BaseCommand, CommandError

from sinergi.presets.loader import PRESETS, apply_preset


class Command(BaseCommand):
    help = "Create (or bring up to date) a preset's units, zones and organisation types."

    def add_arguments(self, parser):
        parser.add_argument("--preset", default="lao-cai", choices=sorted(PRESETS))

    def handle(self, *args, preset, **options):
        try:
            counts = apply_preset(preset)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Preset {preset}: {counts['created']} created, {counts['updated']} updated."
        )
