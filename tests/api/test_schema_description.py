"""The OpenAPI description says which operations anyone may call, and their bounds."""

import pytest


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def _anonymous(operation: dict) -> bool:
    return {} in operation.get("security", [])


@pytest.mark.parametrize(
    "path", ["/api/v1/bills/", "/api/v1/comments/", "/api/v1/stats/"]
)
def test_public_reads_declare_authentication_optional(schema, path):
    assert _anonymous(schema["paths"][path]["get"])


@pytest.mark.parametrize(
    ("path", "method"),
    [("/api/v1/comments/", "post"), ("/api/v1/imports/", "get")],
)
def test_staff_operations_require_authentication(schema, path, method):
    assert not _anonymous(schema["paths"][path][method])


def test_page_size_and_version_numbers_are_bounded(schema):
    params = {
        p["name"]: p for p in schema["paths"]["/api/v1/bills/"]["get"]["parameters"]
    }
    assert params["page_size"]["schema"]["minimum"] == 1
    assert params["page_size"]["schema"]["maximum"] == 200
    compare = schema["paths"]["/api/v1/bills/{slug}/compare/"]["get"]["parameters"]
    to = next(p for p in compare if p["name"] == "to")
    assert (to["schema"]["minimum"], to["schema"]["maximum"]) == (1, 32767)
