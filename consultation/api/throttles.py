"""
Throttles of the consultation API.

DRF's own throttles keep, per client, the time of every request of the last
period in one cache value, read and written whole on every request: its cost
grows with the rate allowed, and two concurrent requests can both write and
lose one of them. The receipt look-up, public and busy, counts instead.
"""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle


class CountingRateThrottle(ScopedRateThrottle):
    """
    The view's ``throttle_scope`` rate, counted in one cache counter per period
    and client (atomic, the same cost at any rate), over a sliding window: the
    count of the period before weighs in by the share of it still inside the
    window, so a burst across the turn of a period is still caught.
    """

    def allow_request(self, request: Request, view: Any) -> bool:
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        key = self.get_cache_key(request, view)
        if self.rate is None or key is None:
            return True
        self.now = self.timer()
        period, elapsed = divmod(self.now, self.duration)
        current, previous = f"{key}:{int(period)}", f"{key}:{int(period) - 1}"
        try:
            count = self.cache.incr(current)
        except ValueError:  # the period's first request
            if self.cache.add(current, 1, self.duration * 2):
                count = 1
            else:  # another request added it meanwhile
                count = self.cache.incr(current)
        before = self.cache.get(previous, 0)
        weight = 1 - elapsed / self.duration
        self.remaining = self.duration - elapsed
        return before * weight + count <= self.num_requests

    def wait(self) -> float:
        return self.remaining
