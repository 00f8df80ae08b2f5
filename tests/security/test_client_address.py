"""
The client's address is read one way everywhere: X-Forwarded-For is believed
only for the hops that a trusted proxy (NPC_TRUSTED_PROXIES) added.
"""

import pytest
from django.test import RequestFactory, override_settings

from npc.core.clientip import client_address

rf = RequestFactory()


def _address(peer: str, forwarded: str | None = None) -> str:
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(rf.get("/", **extra))


def test_a_peer_without_an_address_is_one_valid_unknown_address():
    request = rf.get("/")
    del request.META["REMOTE_ADDR"]
    assert client_address(request) == "0.0.0.0"


@override_settings(NPC_TRUSTED_PROXIES=[])
def test_with_no_trusted_proxy_the_header_is_ignored():
    assert _address("198.51.100.1", "1.2.3.4") == "198.51.100.1"


@override_settings(NPC_TRUSTED_PROXIES=["10.0.0.0/8"])
@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("10.0.0.2", "198.51.100.7", "198.51.100.7"),  # one proxy
        ("10.0.0.2", "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # a forged left part
        ("10.0.0.2", "198.51.100.7, 10.0.0.3", "198.51.100.7"),  # two proxies
        ("10.0.0.2", "not-an-ip, 198.51.100.7", "198.51.100.7"),
        ("10.0.0.2", "198.51.100.7, garbage", "10.0.0.2"),  # no trusted proxy wrote it
        ("10.0.0.2", "", "10.0.0.2"),
        ("198.51.100.1", "1.2.3.4", "198.51.100.1"),  # an untrusted peer's header
        ("10.0.0.2", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_header_is_believed_only_as_far_as_trusted_proxies_wrote_it(
    peer, forwarded, client
):
    assert _address(peer, forwarded) == client


@pytest.mark.django_db
@override_settings(NPC_TRUSTED_PROXIES=[], NPC_RECEIPT_MAX_MISSES=3)
def test_rotating_the_header_from_an_untrusted_peer_changes_nothing(client):
    from django.core.cache import cache

    cache.clear()
    codes = [
        client.get(
            "/api/v1/receipts/AAAA-BBBB-CCCC/",
            REMOTE_ADDR="198.51.100.1",
            HTTP_X_FORWARDED_FOR=f"10.1.1.{n}",
        ).status_code
        for n in range(5)
    ]
    cache.clear()
    assert codes == [404, 404, 404, 404, 429]
