import pytest
from django.conf import settings
from django.test import Client

from sinergi.api import services
from sinergi.programs.testing import build_program


@pytest.fixture
def program(world):
    return build_program(world)


@pytest.fixture
def token_client(world):
    """`token_client(persona)`: a client that sends that persona's new API token, no session."""

    def make(persona: str) -> Client:
        _token, key = services.token_create(actor=world.users[persona], name="tests")
        client = Client(HTTP_AUTHORIZATION=f"Token {key}")
        # Messages are compared in English (the users of the world have no saved language).
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make
