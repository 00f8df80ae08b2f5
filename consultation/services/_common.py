"""
Share the helpers that more than one consultation service needs.

What a change does to the kept counts and to the public pages' caches.
"""

from __future__ import annotations

from collections.abc import Iterable

from .. import counters
from ..models import Comment


def shown_changed(bill_ids: Iterable[int]) -> None:
    """
    Move the bills' counts versions on (:func:`counters.version`), now and on
    commit: besides the counts, the public pages keep what they show of a bill's
    consultations and comments under that version, and the public counts leave
    out unpublished consultations. For the changes that move no count.
    """
    counters._bump(bill_ids)


def count_key(comment: Comment, kind: str) -> counters.Key:
    return counters.key(
        consultation_id=comment.consultation_id,
        bill_id=comment.bill_id,
        article_id=comment.article_id,
        kind=kind,
        status=comment.status,
        submitted_on=comment.submitted_on,
    )
