"""Schemathesis over /api/schema/: generated requests to every operation, with an
Administrator's token (every write allowed) and the sandbox behind the portal. No answer may
be a server error, and every answer must match the schema it documents (problem+json
included). Bounded for CI: a few examples per operation, no shrinking, a deadline per test.

Writes generated here never reach the worker: the test runs in one rolled-back transaction,
so on_commit never queues an order, a release or a sync.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import api_for

EXAMPLES_PER_OPERATION = 4

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    status_code_conformance,
]


@pytest.fixture
def keep_the_test_connection():
    """A WSGI request ends by closing "old" database connections, the test's own included
    (its transaction holds the sandbox's mirror); Django's test client unhooks this too."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _generated_schema() -> dict:
    """The document /api/schema/ serves (the test of that view is in test_auth_and_errors)."""
    import json

    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    return json.loads(
        OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))
    )


schema = schemathesis.openapi.from_dict(_generated_schema())
WSGI_APP = get_wsgi_application()


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as found
    suppress_health_check=list(HealthCheck),
    derandomize=True,  # the same requests every run: CI failures reproduce
)
def test_every_operation_answers_by_its_schema(
    case, administrator, synced, keep_the_test_connection
):
    api = api_for(administrator)
    case.call_and_validate(app=WSGI_APP, headers=api.headers, checks=CHECKS)
