import pytest
from django.core.cache import cache

from tests.api.conftest import client_for


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Guards and throttles count in the cache: start every test with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff_api(staff):
    return client_for(staff)
