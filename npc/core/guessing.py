"""
A guard against guessing codes (receipt codes), shared by the page and the API.

A guesser misses; a citizen mostly does not. So misses are counted per client
address over a window (``NPC_RECEIPT_MAX_MISSES`` in
``NPC_RECEIPT_MISS_WINDOW_SECONDS``); past that the address is *slowed*, not
stopped: it may look one code up every ``NPC_RECEIPT_SLOW_SECONDS``, right or
wrong. A correct code is never refused outright, and the citizens behind one
shared address (an office, a mobile carrier's gateway) still get their answers
after a short wait, while a guesser gets a few hundred tries an hour out of a
space of about 10^18 codes.

The cache holds the counts; if it fails, look-ups go on unguarded rather than
fail.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache

from .clientip import client_address

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GuessGuard:
    """Count misses per client address and slow a client that misses often."""

    scope: str

    def _key(self, request: Any) -> str:
        return f"guess:{self.scope}:{client_address(request)}"

    def wait(self, request: Any) -> int:
        """
        Return 0 if ``request`` may look a code up now, else the seconds to wait.

        In the slowed state, asking takes the address's one turn in the slow
        period, so call it once per look-up.
        """
        key = self._key(request)
        try:
            if cache.get(key, 0) < settings.NPC_RECEIPT_MAX_MISSES:
                return 0
            slow = settings.NPC_RECEIPT_SLOW_SECONDS
            # add() succeeds for one request per slow period and address.
            return 0 if cache.add(f"{key}:turn", 1, timeout=slow) else slow
        except Exception:  # the cache is down: guard nothing, answer the citizen
            log.warning("receipt guard: cache unavailable", exc_info=True)
            return 0

    def missed(self, request: Any) -> None:
        """Count one miss for the client of ``request``."""
        key = self._key(request)
        window = settings.NPC_RECEIPT_MISS_WINDOW_SECONDS
        try:
            if not cache.add(key, 1, timeout=window):
                try:
                    cache.incr(key)
                except ValueError:  # expired between add and incr
                    cache.add(key, 1, timeout=window)
        except Exception:
            log.warning("receipt guard: cache unavailable", exc_info=True)


receipts = GuessGuard("receipt")
