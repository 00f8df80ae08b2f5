"""
The client's address, the one way every part of the app reads it.

Behind a reverse proxy, ``REMOTE_ADDR`` is the proxy and the client is in
``X-Forwarded-For``; but anyone can send that header, so it is believed only
as far as it was written by a proxy we trust (``NPC_TRUSTED_PROXIES``, a list
of addresses or networks). Throttles, login protection, the receipt guard and
logs all ask :func:`client_address`.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# The address of a peer that has none (a Unix socket); a valid address, since the
# login protection stores it as one.
UNKNOWN = "0.0.0.0"


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies)


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_address(request: Any) -> str:
    """
    Return the address of the client that sent ``request``.

    ``X-Forwarded-For`` is read from the right, hop by hop, only while each hop
    was added by a trusted proxy: the first address not in
    ``NPC_TRUSTED_PROXIES`` is the client. With no trusted proxies (the
    default), the header is ignored and the peer's address is the client.
    Works with Django's ``HttpRequest`` and DRF's ``Request`` alike.
    """
    meta = request.META
    peer = meta.get("REMOTE_ADDR", "")
    if not _valid(peer):  # a Unix socket, a test client: one address for all
        peer = UNKNOWN
    networks = _networks(tuple(settings.NPC_TRUSTED_PROXIES))
    if not networks or not _trusted(peer, networks):
        return peer
    hops = [h.strip() for h in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    client = peer
    for hop in reversed([h for h in hops if h]):
        if not _valid(hop):
            break  # a proxy we trust would not have written this: stop here
        client = hop
        if not _trusted(hop, networks):
            break
    return client
