"""
Differences between long texts at a bounded cost.

difflib compares two texts character by character in time that grows with the
product of their lengths: two versions of an article of 100,000 characters take
minutes. Texts longer than ``LONG`` (both sides together) are therefore compared
in two steps: first as sequences of pieces (sentences, and runs of at most
``_MAX_PIECE`` characters within a long sentence), which is close to linear for
real texts, then character by character only inside the changed spans, each up
to ``_SPAN_CAP`` characters a side and ``_TOTAL_CAP`` in cost, after their
common start and end. In a changed span past the caps only that start and end
count as equal: the result is then a lower bound of the similarity, and the
middle is marked deleted and inserted whole.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable

LONG = 4_000
_MAX_PIECE = 100
# difflib's cost grows with the product of the two lengths: a changed span is
# compared finely if each side is at most _SPAN_CAP characters and the products
# of all spans so far stay under _TOTAL_CAP (about a third of a second).
_SPAN_CAP = 2_000
_TOTAL_CAP = 12_000_000
_PIECE = re.compile(r"[^。；！？\n]*(?:[。；！？\n]|$)")


def pieces(text: str) -> list[str]:
    """Split ``text`` into sentences (and runs within long ones); they join back."""
    result = []
    for match in _PIECE.finditer(text):
        sentence = match.group()
        for start in range(0, len(sentence), _MAX_PIECE):
            result.append(sentence[start : start + _MAX_PIECE])
    return result


def spans(a: str, b: str) -> list[tuple[str, str, str]]:
    """
    Return (tag, span of ``a``, span of ``b``) covering both texts in order.

    ``tag`` is "equal" for text the two share (pieces, and the common start and
    end of a changed span), "fine" for the rest of a changed span small enough
    to compare character by character (within the caps), and "coarse" for one
    that is not. The last few answers are kept: one comparison asks for the
    same two texts' spans several times (similarity, then the marked diff).
    """
    return _spans(a, b)


@functools.lru_cache(maxsize=16)
def _spans(a: str, b: str) -> list[tuple[str, str, str]]:
    a_pieces, b_pieces = pieces(a), pieces(b)
    # autojunk: a piece repeated all through a long text ("一。一。…") cannot
    # start a match, which keeps a degenerate text from being quadratic.
    matcher = difflib.SequenceMatcher(None, a_pieces, b_pieces, autojunk=True)
    budget = _TOTAL_CAP
    result: list[tuple[str, str, str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old, new = "".join(a_pieces[i1:i2]), "".join(b_pieces[j1:j2])
        if tag == "equal":
            result.append(("equal", old, new))
            continue
        start, end = _ends(old, new)
        if start:
            result.append(("equal", old[:start], new[:start]))
        old_middle = old[start : len(old) - end]
        new_middle = new[start : len(new) - end]
        cost = len(old_middle) * len(new_middle)
        longest = max(len(old_middle), len(new_middle))
        if cost and longest <= _SPAN_CAP and cost <= budget:
            budget -= cost
            result.append(("fine", old_middle, new_middle))
        elif old_middle or new_middle:
            result.append(("coarse", old_middle, new_middle))
        if end:
            result.append(("equal", old[len(old) - end :], new[len(new) - end :]))
    return result


def _ends(old: str, new: str) -> tuple[int, int]:
    """The lengths of the common start and end of two spans, not overlapping."""
    limit = min(len(old), len(new))
    start = 0
    while start < limit and old[start] == new[start]:
        start += 1
    end = 0
    while end < limit - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return start, end


def matched_size(a: str, b: str) -> int:
    """Count the characters ``a`` and ``b`` share in order (difflib's M), bounded."""
    if len(a) + len(b) <= LONG:
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        return sum(block.size for block in matcher.get_matching_blocks())
    total = 0
    for tag, old, new in spans(a, b):
        if tag == "equal":
            total += len(old)
        elif tag == "fine":
            matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
            total += sum(block.size for block in matcher.get_matching_blocks())
    return total


def ratio(a: str, b: str) -> float:
    """Return difflib's ratio 2M/T of ``a`` and ``b``, at a bounded cost."""
    if not a and not b:
        return 1.0
    return 2 * matched_size(a, b) / (len(a) + len(b))


def containment(part: str, whole: str) -> float:
    """Return the share of ``part`` found, in order, in ``whole`` (0.0 to 1.0)."""
    if not part:
        return 0.0
    return matched_size(part, whole) / len(part)


def long_segments(
    old: str,
    new: str,
    fine: Callable[[str, str], tuple[list, list]],
    equal: Callable[[str], object],
    delete: Callable[[str], object],
    insert: Callable[[str], object],
) -> tuple[list, list]:
    """
    Mark the differences of two long texts span by span.

    Equal pieces become ``equal(text)`` on both sides, small changed spans are
    marked by ``fine(old, new)`` (the word-level diff), larger ones become
    ``delete(old)`` and ``insert(new)`` whole.
    """
    old_segments: list = []
    new_segments: list = []
    for tag, old_span, new_span in spans(old, new):
        if tag == "equal":
            old_segments.append(equal(old_span))
            new_segments.append(equal(new_span))
        elif tag == "fine":
            old_part, new_part = fine(old_span, new_span)
            old_segments.extend(old_part)
            new_segments.extend(new_part)
        else:
            if old_span:
                old_segments.append(delete(old_span))
            if new_span:
                new_segments.append(insert(new_span))
    return old_segments, new_segments
