"""API tokens expire, end with a password change, and their owner sees and revokes them."""

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from npc.accounts.models import ApiToken
from npc.accounts.services import issue_token

pytestmark = pytest.mark.django_db


def _login(username: str = "staff", password: str = "demo") -> str:
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        format="json",
    )
    assert response.status_code == 200
    return response.json()["token"]


def _as(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_only_a_digest_of_the_token_is_stored(staff):
    key = _login()
    assert not ApiToken.objects.filter(key_digest=key).exists()
    assert ApiToken.objects.get(user=staff).prefix == key[:8]


@override_settings(NPC_TOKEN_TTL_HOURS=1)
def test_a_token_expires(staff):
    key = _login()
    assert _as(key).get("/api/v1/auth/tokens/").status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    expired = _as(key).get("/api/v1/auth/tokens/")
    assert expired.status_code == 401
    assert "过期" in expired.json()["detail"]


def test_changing_the_password_revokes_every_token(staff):
    keys = [_login(), _login()]
    staff.set_password("a-new-password-9")
    staff.save()
    for key in keys:
        assert _as(key).get("/api/v1/auth/tokens/").status_code == 401


def test_the_owner_lists_tokens_without_keys_and_signs_out_everywhere(staff, clerk_a):
    first, second = _login(), _login()
    issue_token(user=clerk_a)  # another user's token is not listed
    listed = _as(first).get("/api/v1/auth/tokens/").json()
    assert len(listed) == 2
    assert {t["prefix"] for t in listed} == {first[:8], second[:8]}
    assert all(first not in str(t) and second not in str(t) for t in listed)
    assert _as(first).delete("/api/v1/auth/tokens/").status_code == 204
    assert _as(second).get("/api/v1/auth/tokens/").status_code == 401
    assert not ApiToken.objects.filter(user=staff).exists()


def test_revoking_one_token_leaves_the_others(staff):
    first, second = _login(), _login()
    assert _as(first).delete("/api/v1/auth/token/").status_code == 204
    assert _as(first).get("/api/v1/auth/tokens/").status_code == 401
    assert _as(second).get("/api/v1/auth/tokens/").status_code == 200


def test_a_user_keeps_the_newest_ten_tokens(staff):
    keys = [issue_token(user=staff)[1] for _ in range(12)]
    assert ApiToken.objects.filter(user=staff).count() == 10
    assert _as(keys[-1]).get("/api/v1/auth/tokens/").status_code == 200
    assert _as(keys[0]).get("/api/v1/auth/tokens/").status_code == 401
