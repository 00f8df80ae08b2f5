"""
Login protection on every way in: the staff login, the admin login and the API
token endpoint count failures per account-and-address pair and per address, so
a guesser is stopped and the real user elsewhere is not.
"""

import logging

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

WAYS_IN = ["/accounts/login/", "/admin/login/"]


def _try(client, url: str, password: str, address: str = "198.51.100.1"):  # noqa: ANN001
    return client.post(
        url, {"username": "staff", "password": password}, REMOTE_ADDR=address
    )


@pytest.mark.parametrize("url", WAYS_IN)
def test_the_eleventh_wrong_password_is_refused_and_the_user_elsewhere_gets_in(
    client, staff, url
):
    staff.set_password("right-password-1")
    staff.is_staff = True
    staff.save()
    codes = [_try(client, url, "wrong").status_code for _ in range(11)]
    assert codes[:10] == [200] * 10  # the form again, with its error
    assert codes[10] == 429
    # The right password from the guesser's address waits out the cool-off too.
    assert _try(client, url, "right-password-1").status_code == 429
    # From another address the real user gets in at once.
    ok = _try(client, url, "right-password-1", address="203.0.113.5")
    assert ok.status_code == 302


def test_the_token_endpoint_locks_out_the_pair_with_a_json_429(client, staff):
    from rest_framework.test import APIClient

    api = APIClient(REMOTE_ADDR="198.51.100.2")
    for _ in range(10):
        wrong = api.post(
            "/api/v1/auth/token/", {"username": "staff", "password": "x"}, format="json"
        )
        assert wrong.status_code == 401
    eleventh = api.post(
        "/api/v1/auth/token/", {"username": "staff", "password": "x"}, format="json"
    )
    assert (eleventh.status_code, eleventh.json()["code"]) == (429, "locked_out")
    locked = api.post(
        "/api/v1/auth/token/", {"username": "staff", "password": "demo"}, format="json"
    )
    assert locked.status_code == 429
    elsewhere = APIClient(REMOTE_ADDR="203.0.113.9").post(
        "/api/v1/auth/token/", {"username": "staff", "password": "demo"}, format="json"
    )
    assert elsewhere.status_code == 200 and elsewhere.json()["token"]


def test_one_address_trying_many_accounts_is_stopped(client, staff):
    codes = [
        client.post(
            "/accounts/login/",
            {"username": f"nobody{n}", "password": "x"},
            REMOTE_ADDR="198.51.100.3",
        ).status_code
        for n in range(11)
    ]
    assert codes[-1] == 429


@override_settings(NPC_TRUSTED_PROXIES=[])
def test_a_forged_forwarded_header_does_not_escape_the_lockout(client, staff):
    for n in range(11):
        client.post(
            "/accounts/login/",
            {"username": "staff", "password": "x"},
            REMOTE_ADDR="198.51.100.4",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )
    again = client.post(
        "/accounts/login/",
        {"username": "staff", "password": "demo"},
        REMOTE_ADDR="198.51.100.4",
        HTTP_X_FORWARDED_FOR="10.0.0.99",
    )
    assert again.status_code == 429


def test_logins_and_failures_are_logged_without_the_password(client, staff, caplog):
    with caplog.at_level(logging.INFO, logger="npc.security"):
        _try(client, "/accounts/login/", "hunter2-secret")
        _try(client, "/accounts/login/", "demo")
    text = caplog.text
    assert "login failed: account='staff'" in text
    assert "login: account='staff'" in text
    assert "hunter2-secret" not in text and "demo" not in text.replace("'staff'", "")


def test_an_account_locked_out_from_several_addresses_raises_an_alert(
    client, staff, caplog
):
    with caplog.at_level(logging.WARNING, logger="npc.security"):
        for address in ("198.51.100.10", "198.51.100.11", "198.51.100.12"):
            for _ in range(11):
                _try(client, "/accounts/login/", "x", address=address)
    assert "account under attack: account='staff'" in caplog.text
