"""
Schema-driven fuzzing: every operation of /api/schema/, with inputs generated
from the schema (valid and invalid), as the public and as staff.

Each answer must be no server error and must match the schema: a documented
status code, content type and headers, and a body of the documented shape.
Invalid inputs are generated too, to look for server errors; that the API
refuses every one of them is not required (like Django forms, DRF reads an
empty form field as "not given" and django-filter "null" as "no filter"). The
run is bounded (a few examples per operation and mode) to stay well under two
minutes; set API_FUZZ_EXAMPLES for a longer one.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "10"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def _in_test_transaction():
    """
    Keep the test's database connection open across the app's requests.

    Django closes "old" connections when a request starts and ends; the test
    client switches that off, and so must a WSGI call made by the fuzzer, or the
    test's transaction would be closed under it.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def records(_in_test_transaction, consultation_a, consultation_b, meetings):
    """Records for the generated requests to find, now and then."""


# The API's own description, as the app serves it (no database needed).
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
schema.config.generation.update(modes=["positive", "negative"])
# The coverage phase (boundary values of every parameter, deterministic) is
# thorough and slow; it runs when API_FUZZ_COVERAGE is set.
schema.config.phases.update(
    phases=["examples", "fuzzing"]
    + (["coverage"] if os.environ.get("API_FUZZ_COVERAGE") else [])
)


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_the_public_meets_no_error_and_no_surprise(case, records):
    response = case.call()
    case.validate_response(response, checks=CHECKS)


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_staff_meet_no_error_and_no_surprise(case, records, staff):
    token, _ = Token.objects.get_or_create(user=staff)
    response = case.call(headers={"Authorization": f"Token {token.key}"})
    case.validate_response(
        response,
        checks=CHECKS,
        headers={"Authorization": f"Token {token.key}"},
    )
