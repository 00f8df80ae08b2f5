"""
With the database not answering, the API still answers in JSON (503, with
Retry-After), whether the error comes from an API view or from before it.
"""

import contextlib

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings

from legislation.services import BILLS_VERSION_KEY
from npc.core.cache import move_on

# SQLite's in-memory test database cannot be taken away from a running test.
pytestmark = pytest.mark.postgres


@contextlib.contextmanager
def unreachable_database():
    """Point the connection at a database that cannot be reached, for real."""
    connection.close()
    saved = dict(connection.settings_dict)
    connection.settings_dict["HOST"] = "127.0.0.1"
    connection.settings_dict["PORT"] = "1"  # nothing listens there
    connection.settings_dict["CONN_HEALTH_CHECKS"] = False
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


@pytest.fixture
def database_down(transactional_db):
    with unreachable_database():
        yield


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


@pytest.mark.django_db(transaction=True)
@override_settings(NPC_PUBLIC_CACHE_SECONDS=60)
def test_a_kept_public_page_is_served_marked_stale(client, bill):
    cache.clear()
    fresh = client.get("/bills/")
    assert fresh.status_code == 200 and bill.title in fresh.content.decode()
    move_on(BILLS_VERSION_KEY)  # the kept copy is no longer current
    with unreachable_database():
        stale = client.get("/bills/")
        client.raise_request_exception = False
        never_kept = client.get("/stats/?year=2019")
    assert stale.status_code == 200
    assert stale["X-Served-Stale"] == "database-unavailable"
    assert bill.title in stale.content.decode()
    assert never_kept.status_code == 500
    cache.clear()
