"""
The public site of tests.public, seen through a shared cache.

Tests marked ``proxy`` put a real caching proxy (Debian's nginx) in front of the
app: they skip on a machine without nginx, and fail in CI, where it is required.
"""

import pytest

from tests.conftest import IN_CI
from tests.public.conftest import site  # noqa: F401 - the fixture

from .nginx import nginx_binary


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("proxy") and nginx_binary() is None:
        reason = "needs nginx (Debian package nginx-light)"
        if IN_CI:
            pytest.fail(f"{reason}: required in CI", pytrace=False)
        pytest.skip(reason)
