"""Inputs that used to crash the API answer 400 with a code and a detail."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    ("url", "signed_in"),
    [
        ("/api/v1/auth/token/", False),  # anonymous
        ("/api/v1/auth/token/", True),
        ("/api/v1/comments/", True),
        ("/api/v1/bills/", True),
    ],
)
def test_json_nested_too_deep_is_a_400(url, signed_in, staff):
    client = _signed_in(staff) if signed_in else APIClient()
    response = client.post(url, DEEP, content_type="application/json")
    assert response.status_code == 400, (url, response.status_code)
    body = response.json()
    assert body["code"] == "parse_error" and "嵌套" in body["detail"]


def _signed_in(user) -> APIClient:  # noqa: ANN001
    client = APIClient()
    client.force_authenticate(user)
    return client
