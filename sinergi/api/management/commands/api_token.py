from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sinergi.accounts.models import User
from sinergi.api.services import token_create


class Command(BaseCommand):
    help = (
        "Make an API token for a user and print its key (once): for scripts, load tests and "
        "systems set up by an operator. People make their own on the API tokens page."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="command line", help="What the token is for.")

    def handle(self, *args, username: str, name: str, **options):
        try:
            user = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist as exc:
            raise CommandError(f"No active user {username!r}.") from exc
        try:
            _token, key = token_create(actor=user, name=name)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(key)
