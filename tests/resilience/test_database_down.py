"""
With the database not answering, the API still answers in JSON (503, with
Retry-After), whether the error comes from an API view or from before it.
"""

import pytest
from django.db import connection

# SQLite's in-memory test database cannot be taken away from a running test.
pytestmark = pytest.mark.postgres


@pytest.fixture
def database_down(transactional_db):
    """Point the connection at a database that cannot be reached, for real."""
    connection.close()
    saved = dict(connection.settings_dict)
    connection.settings_dict["HOST"] = "127.0.0.1"
    connection.settings_dict["PORT"] = "1"  # nothing listens there
    connection.settings_dict["CONN_HEALTH_CHECKS"] = False
    yield
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)


def test_an_api_read_answers_json_503(client, database_down):
    response = client.get("/api/v1/bills/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "service_unavailable"
    assert response["Retry-After"] == "5"


def test_an_api_write_with_a_token_answers_json_not_a_page(client, database_down):
    response = client.post(
        "/api/v1/comments/", {}, HTTP_AUTHORIZATION="Token 0123456789abcdef"
    )
    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"
