import pytest
from django.utils import translation

from sinergi.reviews.testing import ReviewWorld, build_review


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def reviewed(world) -> ReviewWorld:
    return build_review(world)
