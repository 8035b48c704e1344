"""Schemathesis against the API's own OpenAPI schema, in-process through the WSGI app, on
whichever database the suite runs on: no server error, every answer as the schema says,
invalid input rejected, and no operation answering without credentials."""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from sinergi.api import services
from sinergi.api.tests.permission_cases import scenario

# Enough to reach every field of every operation while keeping the run to a minute or two.
EXAMPLES_PER_OPERATION = 10


@pytest.fixture
def _keep_the_test_connection():
    """The WSGI app closes the database connection after each request, which would end the
    test's transaction on PostgreSQL; Django's test client avoids it the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def admin_key(world, _keep_the_test_connection):
    """An administrator's token: the widest rights, so the most code is reached."""
    scenario(world)  # objects of every kind for reads and references
    _token, key = services.token_create(actor=world.users["admin"], name="schemathesis")
    return key


def load_schema():
    """The schema /api/schema/ serves (same generator), bound to the WSGI app in-process.

    Built at collection time, when there is no database to hold a token for fetching it over
    HTTP; `test_the_served_schema_is_the_one_tested` checks the two are the same."""
    with translation.override(settings.LANGUAGE_CODE):
        generated = SchemaGenerator().get_schema(public=True)
        document = json.loads(OpenApiJsonRenderer().render(generated))
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = get_wsgi_application()
    return loaded, document


schema, DOCUMENT = load_schema()


@pytest.mark.django_db
def test_the_served_schema_is_the_one_tested(world, token_client):
    client = token_client("viewer")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = settings.LANGUAGE_CODE
    served = client.get("/api/schema/", {"format": "json"}).json()
    assert served == DOCUMENT


@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    # Fuzzing only: Schemathesis's "coverage" phase (run with Hypothesis's explicit phase) tries
    # every boundary of every field and takes minutes per operation; fuzzing with both valid
    # and invalid data reaches the same checks within the budget.
    phases=[Phase.generate],
    derandomize=True,
)
def test_the_api_keeps_to_its_schema(case, admin_key):
    # Every check but "schema-valid data is accepted": the services' rules (a zone's parent
    # must be of the right kind, a period must belong to the task's program…) cannot all be
    # written in a schema, so a well-formed request may rightly be refused with 400.
    case.call_and_validate(
        headers={"Authorization": f"Token {admin_key}"},
        excluded_checks=[positive_data_acceptance],
    )
