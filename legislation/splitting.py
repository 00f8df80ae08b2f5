"""
Articles split in two, or two merged into one, in a comparison.

When a revision splits an article, one part carries on the old article (it is
matched, and shown changed) and the other is new; when it merges two, one old
article carries on and the other is gone. Both are recognised by containment:
the share of one text found, in order, in the other (``textdiff.containment``,
bounded in cost). ``pair_parts`` lets an old article that matched nothing carry
on in the largest new article made of it (and the other way round), so a split
is not shown as one deleted and two added; ``mark`` names, on the rows of added
and deleted articles, the article they were split from or merged into.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from legislation import textdiff

if TYPE_CHECKING:
    from legislation.comparison import Row

# How much of a part must be found in the whole, and the least share of the
# whole the part must be (a one-sentence article inside a long one is not a
# split of it, just a sentence that recurs).
CONTAINED = 0.8
_LEAST_SHARE = 0.15
_BIGRAM_FILTER = 0.5


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or set(text)


def _contained(part: str, whole: str) -> float:
    """The containment of ``part`` in ``whole``, after a quick bigram check."""
    if not part or len(part) < _LEAST_SHARE * len(whole) or len(part) > len(whole):
        return 0.0
    bigrams = _bigrams(part)
    if len(bigrams & _bigrams(whole)) < _BIGRAM_FILTER * len(bigrams):
        return 0.0
    return textdiff.containment(part, whole)


def pair_parts(
    old_texts: Sequence[str],
    new_texts: Sequence[str],
    free_old: Sequence[int],
    free_new: Sequence[int],
) -> dict[int, int]:
    """
    Pair unmatched articles where one is made of (part of) the other.

    Return {new index: old index}: an old article with the largest unmatched
    new article contained in it (a split), or a new article with the largest
    unmatched old article contained in it (a merge), one to one.
    """
    options: list[tuple[int, int, int]] = []  # (-size, new, old)
    for old_index in free_old:
        for new_index in free_new:
            old, new = old_texts[old_index], new_texts[new_index]
            if _contained(new, old) >= CONTAINED or _contained(old, new) >= CONTAINED:
                options.append((-min(len(old), len(new)), new_index, old_index))
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for _, new_index, old_index in sorted(options):
        if new_index not in pairs and old_index not in used:
            pairs[new_index] = old_index
            used.add(old_index)
    return pairs


def mark(rows: Sequence[Row], canonical) -> None:  # noqa: ANN001
    """Set ``split_from`` on added rows and ``merged_into`` on deleted ones."""
    matched = [row for row in rows if row.old is not None and row.new is not None]
    for row in rows:
        if row.new is not None and row.old is None:
            text = canonical(row.new.text)
            best = max(
                ((_contained(text, canonical(m.old.text)), m) for m in matched),
                default=(0.0, None),
                key=lambda option: option[0],
            )
            if best[0] >= CONTAINED:
                row.split_from = best[1].old
        elif row.old is not None and row.new is None:
            text = canonical(row.old.text)
            best = max(
                ((_contained(text, canonical(m.new.text)), m) for m in matched),
                default=(0.0, None),
                key=lambda option: option[0],
            )
            if best[0] >= CONTAINED:
                row.merged_into = best[1].new


def sources(
    old_texts: Sequence[str], new_texts: Sequence[str], pairs: dict[int, int]
) -> dict[int, int]:
    """
    Return {new index: old index} for the unmatched new articles split off a
    matched old one (``pairs`` maps new to old indexes).
    """
    matched_old = set(pairs.values())
    found: dict[int, int] = {}
    for new_index, text in enumerate(new_texts):
        if new_index in pairs:
            continue
        best = max(
            ((_contained(text, old_texts[o]), o) for o in matched_old),
            default=(0.0, -1),
        )
        if best[0] >= CONTAINED:
            found[new_index] = best[1]
    return found
