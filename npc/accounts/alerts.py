"""
Log logins, failed logins and the login protection's lock-outs, and warn of an
account under attack.

A lock-out is logged with the account name and the client address, never a
password. When one account is locked out from several addresses within the
cool-off, someone is guessing its password from many places: that is logged as
an error, for the operators' alerting.
"""

from __future__ import annotations

import logging
from typing import Any

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from npc.core.clientip import client_address

log = logging.getLogger("npc.security")

# Addresses locked out for one account before it counts as under attack.
UNDER_ATTACK_ADDRESSES = 3


@receiver(user_logged_in)
def log_login(sender: Any, request: Any, user: Any, **_: Any) -> None:
    address = client_address(request) if request is not None else "-"
    log.info("login: account=%r address=%s", user.get_username(), address)


@receiver(user_login_failed)
def log_login_failure(
    sender: Any, credentials: dict, request: Any = None, **_: Any
) -> None:
    # Only the account name: Django has already masked the password, and it is
    # never logged in any form.
    address = client_address(request) if request is not None else "-"
    log.warning(
        "login failed: account=%r address=%s", credentials.get("username"), address
    )


@receiver(user_locked_out)
def log_lockout(
    sender: Any, request: Any, username: str | None, ip_address: str | None, **_: Any
) -> None:
    log.warning("login locked out: account=%r address=%s", username, ip_address)
    if not username:
        return
    addresses = (
        AccessAttempt.objects.filter(username=username)
        .values("ip_address")
        .distinct()
        .count()
    )
    if addresses >= UNDER_ATTACK_ADDRESSES:
        log.error(
            "account under attack: account=%r failures from %d addresses",
            username,
            addresses,
        )
