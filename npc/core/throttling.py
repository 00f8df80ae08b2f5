"""API throttles that know the client by :func:`npc.core.clientip.client_address`."""

from __future__ import annotations

from rest_framework import throttling
from rest_framework.request import Request

from .clientip import client_address


class ScopedRateThrottle(throttling.ScopedRateThrottle):
    """DRF's scoped throttle, with the client's address read as everywhere else."""

    def get_ident(self, request: Request) -> str:
        return client_address(request)
