"""What a signed-in user or a token holder is shown is kept by no cache."""

import pytest

from npc.accounts.services import issue_token

pytestmark = pytest.mark.django_db


def _directives(response) -> set[str]:  # noqa: ANN001
    return {d.strip() for d in response.get("Cache-Control", "").split(",") if d}


def test_staff_pages_are_private_and_not_stored(client, staff):
    client.force_login(staff)
    response = client.get("/staff/")
    assert response.status_code == 200
    assert {"private", "no-store"} <= _directives(response)


def test_api_answers_to_a_token_are_private_and_not_stored(client, staff):
    _, key = issue_token(user=staff)
    response = client.get("/api/v1/comments/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert {"private", "no-store"} <= _directives(response)


def test_public_pages_for_anonymous_readers_stay_cacheable(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "no-store" not in _directives(response)
