"""API clients for every role of DESIGN §2, authenticated by token."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from npc.accounts.services import issue_token

ROLES = ("anonymous", "clerk_a", "clerk_b", "staff", "admin")


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle counters live in the cache: start every test with none."""
    cache.clear()
    yield
    cache.clear()


def client_for(user) -> APIClient:  # noqa: ANN001 - a user or None
    client = APIClient()
    if user is not None:
        _, key = issue_token(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def staff_api(staff):
    return client_for(staff)


@pytest.fixture
def admin_api(administrator):
    return client_for(administrator)


@pytest.fixture
def clerk_a_api(clerk_a):
    return client_for(clerk_a)


@pytest.fixture
def clerk_b_api(clerk_b):
    return client_for(clerk_b)


@pytest.fixture
def users(staff, administrator, clerk_a, clerk_b):
    """One user per role (None for the public), keyed as in ROLES."""
    return {
        "anonymous": None,
        "clerk_a": clerk_a,
        "clerk_b": clerk_b,
        "staff": staff,
        "admin": administrator,
    }


@pytest.fixture
def clients(users):
    """One API client per role, keyed as in ROLES."""
    return {role: client_for(user) for role, user in users.items()}
