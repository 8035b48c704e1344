import pytest
from django.utils import translation

from sinergi.programs.testing import ProgramWorld, build_program


@pytest.fixture(autouse=True)
def _english():
    # Service messages and audit notes are read in English here; pages answer in the language
    # of the person asking, which the view tests set where they compare words.
    with translation.override("en"):
        yield


@pytest.fixture
def program(world) -> ProgramWorld:
    return build_program(world)
