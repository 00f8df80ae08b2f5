"""
Abuse resistance for comments from the public, without any outside service.

Submissions are counted per client address (:func:`npc.core.clientip.client_address`,
the one way the app reads it) and per bill, over an hour:

- up to NPC_PUBLIC_COMMENT_SOFT_LIMIT from one address, nothing is asked;
- past it, the form asks for a captcha (the API, which cannot show one, refuses);
- past NPC_PUBLIC_COMMENT_HARD_LIMIT from one address, or
  NPC_PUBLIC_COMMENT_BILL_LIMIT on one bill from all, both refuse (429).

The form also carries a honeypot field and a signed time stamp (a person takes
more than NPC_PUBLIC_COMMENT_MIN_SECONDS to write a comment). The counts live in
the cache; if it fails, submissions go on unguarded rather than fail.
"""

from __future__ import annotations

import enum
import logging
import time
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache

from npc.core.clientip import client_address

log = logging.getLogger(__name__)

WINDOW_SECONDS = 60 * 60
STAMP_SALT = "consultation.public-comment.form"
# A form older than a day is stale; it is still accepted, as a fresh one.
STAMP_MAX_AGE = 24 * 60 * 60


class Verdict(enum.Enum):
    OK = "ok"
    CHALLENGE = "challenge"
    REFUSE = "refuse"


def _address_key(request: Any) -> str:
    return f"pubcomment:addr:{client_address(request)}"


def _bill_key(bill_id: int) -> str:
    return f"pubcomment:bill:{bill_id}"


def _counts(*keys: str) -> list[int]:
    try:
        found = cache.get_many(keys)
    except Exception:  # the cache is down: guard nothing
        log.warning("public comment guard: cache unavailable", exc_info=True)
        found = {}
    return [int(found.get(key, 0)) for key in keys]


def verdict(request: Any, bill_id: int) -> Verdict:
    """Say whether the client of ``request`` may submit on the bill now."""
    made, on_bill = _counts(_address_key(request), _bill_key(bill_id))
    if made >= settings.NPC_PUBLIC_COMMENT_HARD_LIMIT:
        return Verdict.REFUSE
    if on_bill >= settings.NPC_PUBLIC_COMMENT_BILL_LIMIT:
        return Verdict.REFUSE
    if made >= settings.NPC_PUBLIC_COMMENT_SOFT_LIMIT:
        return Verdict.CHALLENGE
    return Verdict.OK


def _incr(key: str) -> None:
    # Counted first, created only when missing: the key usually exists, and a
    # Redis increment is two round trips, an add that fails one more.
    try:
        cache.incr(key)
    except ValueError:  # missing (or expired): start the window
        if not cache.add(key, 1, timeout=WINDOW_SECONDS):
            try:
                cache.incr(key)  # another request started it meanwhile
            except ValueError:
                pass


def submitted(request: Any, bill_id: int) -> None:
    """Count one submission by the client of ``request`` on the bill."""
    try:
        _incr(_address_key(request))
        _incr(_bill_key(bill_id))
    except Exception:
        log.warning("public comment guard: cache unavailable", exc_info=True)


def stamp() -> str:
    """A signed time stamp for a form shown now."""
    return signing.dumps(time.time(), salt=STAMP_SALT, compress=False)


def too_fast(value: str) -> bool:
    """
    Say whether a form carrying ``value`` (from :func:`stamp`) came back too soon,
    or without a valid stamp.
    """
    try:
        shown = signing.loads(value or "", salt=STAMP_SALT, max_age=STAMP_MAX_AGE)
    except signing.SignatureExpired:
        return False
    except signing.BadSignature:
        return True
    if not isinstance(shown, int | float):
        return True
    return time.time() - shown < settings.NPC_PUBLIC_COMMENT_MIN_SECONDS
