"""The login protection's authentication backend."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend


class LoginProtectionBackend(AxesStandaloneBackend):
    """
    Refuse a locked-out account-and-address pair before any password is checked.

    Every way in over HTTP (the staff login, the admin login, the token
    endpoint) passes its request. A call without one comes from code on the
    server (a management command, a test client's ``login``): it has no
    address to count against and no attacker behind it, so it is let through
    to the password check instead of failing.
    """

    def authenticate(self, request: Any, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)
