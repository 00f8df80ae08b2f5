"""
Compare two versions of a draft article by article (修改对照表).

Articles are matched by content, not by number: an article renumbered from 12
to 14 because two articles were inserted before it is still the same article.
``align`` finds the matches, ``compare`` turns them into the rows of the table
and ``diff_segments`` marks the changed words inside a changed article.

Texts are compared in a canonical form: normalised (see
``parsing.normalise``) and without any spaces, so a version that differs only in
spacing or in half-width commas is unchanged.

A table is kept once computed (:mod:`legislation.kept_tables`; see
selectors.compare_versions): the same two versions compare once, however often
they are asked for.
"""

import bisect
import difflib
import functools
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import rjieba

from legislation import splitting, textdiff
from legislation.parsing import normalise

__all__ = [
    "ADDED",
    "split_sources",
    "CHANGED",
    "DELETED",
    "RENUMBERED",
    "UNCHANGED",
    "Row",
    "Segment",
    "Side",
    "align",
    "compare",
    "diff_segments",
    "similarity",
]

UNCHANGED = "unchanged"
CHANGED = "changed"
ADDED = "added"
DELETED = "deleted"
RENUMBERED = "renumbered"

EQUAL = "equal"
INSERT = "insert"
DELETE = "delete"

# How many of the most similar old articles (by shared character pairs) get the
# exact, slower similarity computed, and how far from its expected position an
# old article is always considered.
_CANDIDATES = 6
_NEARBY = 2
# Among near-equal matches prefer the one closest to where the article would
# be if nothing had moved: up to this much similarity is traded for position.
_POSITION_WEIGHT = 0.05
_POSITION_SCALE = 10  # articles away at which the full weight applies
# Two crossing matches are put in order if that loses at most this much
# similarity (summed over both).
_TIE = 0.02


@dataclass(frozen=True)
class Side:
    """One article of one version, as the comparison sees it."""

    key: Hashable
    number: int
    text: str
    label: str = ""
    suffix: int = 0  # 第十二条之一: 1

    @property
    def order(self) -> tuple[int, int]:
        """Return (number, suffix): where the article stands in its version."""
        return (self.number, self.suffix)


@dataclass
class Segment:
    """A run of text that is equal on both sides, inserted or deleted."""

    op: str  # "equal" | "insert" | "delete"
    text: str


@dataclass
class Row:
    """One line of the comparison table: an old article and its successor."""

    old: Side | None
    new: Side | None
    status: str  # "unchanged" | "changed" | "added" | "deleted" | "renumbered"
    renumbered: bool = False  # the number differs, whether or not the text does
    similarity: float = 0.0
    old_segments: list[Segment] = field(default_factory=list)
    new_segments: list[Segment] = field(default_factory=list)
    # The article left its place in the order (moved to another chapter, say),
    # rather than shifting along with articles inserted or deleted around it.
    moved: bool = False
    # An added article split off the old article named here (which carries on
    # in another row), or a deleted article merged into the new one named here.
    split_from: Side | None = None
    merged_into: Side | None = None


@functools.lru_cache(maxsize=512)
def _canonical(text: str) -> str:
    """
    Return the form in which texts are compared: normalised, no spaces.

    Kept for the last texts seen: one comparison asks for each text's form
    several times (aligning, the row, its similarity, splits).
    """
    lines = (line.replace(" ", "") for line in normalise(text).split("\n"))
    return "\n".join(line for line in lines if line)


def _ratio(a: str, b: str) -> float:
    """difflib's ratio; for long texts bounded in cost (see textdiff)."""
    return textdiff.ratio(a, b)


def similarity(a: str, b: str) -> float:
    """
    Return how alike two article texts are, from 0.0 to 1.0.

    The ratio of matching characters (difflib) between the canonical forms, so
    spacing and punctuation width do not count. Two empty texts are alike (1.0).
    """
    return _ratio(_canonical(a), _canonical(b))


def _bigrams(text: str) -> frozenset[str]:
    if len(text) < 2:
        return frozenset(text)
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def _increasing_subsequence(pairs: Sequence[tuple[int, int]]) -> set[tuple[int, int]]:
    """
    Return a longest run of ``pairs`` whose second members increase.

    ``pairs`` are (new index, old index), sorted by new index. The pairs left
    out are the articles that moved against the order of the others.
    """
    tails: list[int] = []  # smallest old index ending a run of each length
    tail_at: list[int] = []  # position in ``pairs`` of that tail
    previous: list[int] = [-1] * len(pairs)
    for position, (_, old_index) in enumerate(pairs):
        length = bisect.bisect_left(tails, old_index)
        if length == len(tails):
            tails.append(old_index)
            tail_at.append(position)
        else:
            tails[length] = old_index
            tail_at[length] = position
        previous[position] = tail_at[length - 1] if length else -1
    kept: set[tuple[int, int]] = set()
    position = tail_at[-1] if tail_at else -1
    while position >= 0:
        kept.add(pairs[position])
        position = previous[position]
    return kept


def _expected_positions(
    unmatched: Sequence[int], anchors: Sequence[tuple[int, int]], scale: float
) -> dict[int, float]:
    """
    Guess where in the old version each unmatched new article would have been.

    Interpolate between the nearest in-order exact matches (``anchors``, sorted
    pairs of new and old index) around it; with no anchors, scale the position.
    """
    new_indexes = [new_index for new_index, _ in anchors]
    expected: dict[int, float] = {}
    for index in unmatched:
        at = bisect.bisect_left(new_indexes, index)
        before = anchors[at - 1] if at else None
        after = anchors[at] if at < len(anchors) else None
        if before and after:
            span = after[0] - before[0]
            expected[index] = before[1] + (index - before[0]) * (
                (after[1] - before[1]) / span
            )
        elif before:
            expected[index] = before[1] + (index - before[0])
        elif after:
            expected[index] = after[1] - (after[0] - index)
        else:
            expected[index] = index * scale
    return expected


def _exact_pairs(old_texts: Sequence[str], new_texts: Sequence[str]) -> dict[int, int]:
    """Pair identical texts; among repeated texts, pair by relative position."""
    old_by_text: dict[str, list[int]] = defaultdict(list)
    for index, text in enumerate(old_texts):
        old_by_text[text].append(index)
    new_by_text: dict[str, list[int]] = defaultdict(list)
    for index, text in enumerate(new_texts):
        if text in old_by_text:
            new_by_text[text].append(index)
    old_scale = 1 / max(len(old_texts), 1)
    new_scale = 1 / max(len(new_texts), 1)
    pairs: dict[int, int] = {}
    for text, new_indexes in new_by_text.items():
        old_indexes = old_by_text[text]
        if len(old_indexes) == len(new_indexes):
            pairs.update(zip(new_indexes, old_indexes, strict=True))
            continue
        options = sorted(
            (abs(n * new_scale - o * old_scale), n, o)
            for n in new_indexes
            for o in old_indexes
        )
        taken: set[int] = set()
        for _, new_index, old_index in options:
            if new_index not in pairs and old_index not in taken:
                pairs[new_index] = old_index
                taken.add(old_index)
    return pairs


def align(
    old: Sequence[Side], new: Sequence[Side], *, threshold: float = 0.45
) -> dict[Hashable, Hashable]:
    """
    Match the articles of ``new`` with those of ``old`` by content.

    Return ``{new.key: old.key}``, one to one; an article left out is added
    (new) or deleted (old). Identical texts are matched first. Then each
    remaining new article is matched with the most similar remaining old one,
    if the similarity reaches ``threshold``; between near-equal candidates the
    one closest to the article's expected place wins, the place being
    interpolated between the identical articles around it.

    Crossing matches that are about as good the other way round are swapped,
    so that near-equal articles keep their order.

    Quick bounds (length ratio, shared character pairs, difflib's quick_ratio)
    limit the exact similarity to a few candidates per article: two versions
    of 150 articles align in tens of milliseconds, and in a few hundred when
    every article has changed.
    """
    old_texts = [_canonical(side.text) for side in old]
    new_texts = [_canonical(side.text) for side in new]
    pairs = _exact_pairs(old_texts, new_texts)

    taken = set(pairs.values())
    free_old = [index for index in range(len(old)) if index not in taken]
    free_new = [index for index in range(len(new)) if index not in pairs]
    if free_old and free_new:
        anchors = sorted(_increasing_subsequence(sorted(pairs.items())))
        scale = len(old) / len(new)
        expected = _expected_positions(free_new, anchors, scale)
        candidates = _similar_pairs(
            old_texts, new_texts, free_old, free_new, expected, threshold
        )
        similar: dict[int, int] = {}
        used: set[int] = set()
        for _, _, new_index, old_index, _ in sorted(candidates, reverse=True):
            if new_index not in similar and old_index not in used:
                similar[new_index] = old_index
                used.add(old_index)
        ratios = {(n, o): ratio for _, _, n, o, ratio in candidates}
        pairs.update(_uncross(similar, ratios))
    taken = set(pairs.values())
    free_old = [index for index in range(len(old)) if index not in taken]
    free_new = [index for index in range(len(new)) if index not in pairs]
    if free_old and free_new:
        # An article split in two (or two merged) that matched nothing by
        # similarity carries on in the largest part.
        pairs.update(splitting.pair_parts(old_texts, new_texts, free_old, free_new))
    return {new[n].key: old[o].key for n, o in sorted(pairs.items())}


def split_sources(
    old: Sequence[Side], new: Sequence[Side], pairs: Mapping[Hashable, Hashable]
) -> dict[Hashable, Hashable]:
    """
    Return ``{new.key: old.key}`` for each new article left unmatched by
    ``pairs`` that was split off an old article matched to another one.
    """
    old_at = {side.key: index for index, side in enumerate(old)}
    indexes = {
        index: old_at[pairs[side.key]]
        for index, side in enumerate(new)
        if side.key in pairs and pairs[side.key] in old_at
    }
    found = splitting.sources(
        [_canonical(side.text) for side in old],
        [_canonical(side.text) for side in new],
        indexes,
    )
    return {new[n].key: old[o].key for n, o in found.items()}


def _uncross(
    matches: Mapping[int, int], ratios: Mapping[tuple[int, int], float]
) -> dict[int, int]:
    """
    Swap crossing matches where the swap costs (almost) no similarity.

    Two new articles matched against the order of the old ones (n1 < n2 but
    o1 > o2) keep their matches only if those are clearly better; near-equal
    candidates, such as penalty articles differing in the article they cite,
    are matched in order. Each swap removes an inversion, so this ends.
    """
    order = sorted(matches.items())
    swapped = True
    while swapped:
        swapped = False
        for first in range(len(order)):
            for second in range(first + 1, len(order)):
                (n1, o1), (n2, o2) = order[first], order[second]
                if o1 < o2 or (n1, o2) not in ratios or (n2, o1) not in ratios:
                    continue
                kept = ratios[n1, o1] + ratios[n2, o2]
                if ratios[n1, o2] + ratios[n2, o1] >= kept - _TIE:
                    order[first], order[second] = (n1, o2), (n2, o1)
                    swapped = True
    return dict(order)


def _similar_pairs(
    old_texts: Sequence[str],
    new_texts: Sequence[str],
    free_old: Sequence[int],
    free_new: Sequence[int],
    expected: Mapping[int, float],
    threshold: float,
) -> list[tuple[float, float, int, int, float]]:
    """
    Score the plausible (new, old) pairs among the unmatched articles.

    Return (score, -distance, new index, old index, similarity) for each pair
    similar enough, where score is the similarity less a small penalty for
    distance from the expected place, so that sorting in reverse ranks them.
    """
    old_bigrams = {index: _bigrams(old_texts[index]) for index in free_old}
    scored: list[tuple[float, float, int, int, float]] = []
    for new_index in free_new:
        text = new_texts[new_index]
        bigrams = _bigrams(text)
        place = expected[new_index]
        shortlist: list[tuple[float, int]] = []
        for old_index in free_old:
            other = old_texts[old_index]
            total = len(text) + len(other)
            if total and 2 * min(len(text), len(other)) / total < threshold:
                continue  # even a perfect overlap could not reach the threshold
            shared = len(bigrams & old_bigrams[old_index])
            union = len(bigrams) + len(old_bigrams[old_index]) - shared
            shortlist.append((shared / (union or 1), old_index))
        shortlist.sort(reverse=True)
        chosen = {old_index for _, old_index in shortlist[:_CANDIDATES]}
        chosen.update(
            old_index for _, old_index in shortlist if abs(old_index - place) <= _NEARBY
        )
        matcher: difflib.SequenceMatcher | None = None
        for old_index in chosen:
            other = old_texts[old_index]
            if not text and not other:
                ratio = 1.0
            elif len(text) + len(other) > textdiff.LONG:
                # Bounded in cost; difflib's index of a long text alone
                # would take longer than the whole comparison may.
                ratio = textdiff.ratio(other, text)
            else:
                if matcher is None:
                    matcher = difflib.SequenceMatcher(None, autojunk=False)
                    matcher.set_seq2(text)  # difflib caches the second sequence
                matcher.set_seq1(other)
                if matcher.quick_ratio() < threshold:
                    continue
                ratio = matcher.ratio()
            if ratio < threshold:
                continue
            distance = abs(old_index - place)
            penalty = _POSITION_WEIGHT * min(1.0, distance / _POSITION_SCALE)
            scored.append((ratio - penalty, -distance, new_index, old_index, ratio))
    return scored


# --- Word-level differences --------------------------------------------------


def _words(text: str) -> list[str]:
    """Split Chinese text into words; the words join back into ``text``."""
    words = rjieba.cut(text, False)
    return words if "".join(words) == text else list(text)


def diff_segments(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    """
    Mark the words that differ between ``old`` and ``new``.

    Return the segments of each side: ``equal`` and ``delete`` for the old text,
    ``equal`` and ``insert`` for the new. Each side's segments join back into
    its text exactly. The texts are compared word by word (jieba, without its
    statistical model for unknown words), and a single character left equal
    between two changes is taken into the change, so that a rewritten phrase
    is marked as one piece rather than as scattered characters.

    Long texts are compared sentence by sentence first, and word by word only
    within the changed spans, so the cost stays bounded (see textdiff).
    """
    if len(old) + len(new) > textdiff.LONG:
        old_parts, new_parts = textdiff.long_segments(
            old,
            new,
            fine=_word_segments,
            equal=lambda text: Segment(EQUAL, text),
            delete=lambda text: Segment(DELETE, text),
            insert=lambda text: Segment(INSERT, text),
        )
        return _merged(old_parts), _merged(new_parts)
    return _word_segments(old, new)


def _merged(parts: list[Segment]) -> list[Segment]:
    segments: list[Segment] = []
    for part in parts:
        _append(segments, part.op, part.text)
    return segments


def _word_segments(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    """The word-level diff of diff_segments, for texts of bounded length."""
    old_words, new_words = _words(old), _words(new)
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    blocks: list[tuple[bool, str, str]] = []  # (equal?, old text, new text)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        blocks.append(
            (tag == "equal", "".join(old_words[i1:i2]), "".join(new_words[j1:j2]))
        )
    for index in range(1, len(blocks) - 1):
        equal, old_text, _ = blocks[index]
        if (
            equal
            and len(old_text) == 1
            and old_text != "\n"  # keep paragraph breaks out of the marking
            and not blocks[index - 1][0]
            and not blocks[index + 1][0]
        ):
            blocks[index] = (False, old_text, old_text)
    old_segments: list[Segment] = []
    new_segments: list[Segment] = []
    for equal, old_text, new_text in blocks:
        _append(old_segments, EQUAL if equal else DELETE, old_text)
        _append(new_segments, EQUAL if equal else INSERT, new_text)
    return old_segments, new_segments


def _append(segments: list[Segment], op: str, text: str) -> None:
    """Add a segment, merging it into the last one if they have the same op."""
    if not text:
        return
    if segments and segments[-1].op == op:
        segments[-1].text += text
    else:
        segments.append(Segment(op, text))


# --- The comparison table ----------------------------------------------------


def compare(
    old: Sequence[Side],
    new: Sequence[Side],
    pairs: Mapping[Hashable, Hashable] | None = None,
) -> list[Row]:
    """
    Build the comparison table of two versions.

    ``pairs`` maps new keys to old keys (e.g. the stored lineage, as corrected
    by staff); without it the articles are aligned by content. Pairs naming an
    article that is not in the versions are ignored.

    Rows follow the new version. A deleted article comes right after the row of
    the old article before it, looking back to the nearest one that kept its
    place (an article moved elsewhere would carry the deletion away with it);
    deletions at the very start come first. An added article split off a
    matched old article names it (``split_from``), a deleted article merged
    into a matched new one names that (``merged_into``).
    """
    if pairs is None:
        pairs = align(old, new)
    old_index = {side.key: index for index, side in enumerate(old)}
    matches = [
        (new_index, old_index[pairs[side.key]])
        for new_index, side in enumerate(new)
        if side.key in pairs and pairs[side.key] in old_index
    ]
    matched_old = dict(matches)
    in_order = _increasing_subsequence(matches)
    kept_old = sorted(old_index for _, old_index in in_order)

    deleted_after: dict[int | None, list[int]] = defaultdict(list)
    used_old = set(matched_old.values())
    for index in range(len(old)):
        if index not in used_old:
            at = bisect.bisect_left(kept_old, index)
            deleted_after[kept_old[at - 1] if at else None].append(index)

    rows = [_deleted_row(old[index]) for index in deleted_after.pop(None, [])]
    for new_index, side in enumerate(new):
        if new_index not in matched_old:
            rows.append(_added_row(side))
            continue
        previous_index = matched_old[new_index]
        rows.append(
            _matched_row(
                old[previous_index],
                side,
                moved=(new_index, previous_index) not in in_order,
            )
        )
        rows.extend(
            _deleted_row(old[index]) for index in deleted_after.pop(previous_index, [])
        )
    splitting.mark(rows, _canonical)
    return rows


def _added_row(side: Side) -> Row:
    segments = [Segment(INSERT, side.text)] if side.text else []
    return Row(old=None, new=side, status=ADDED, new_segments=segments)


def _deleted_row(side: Side) -> Row:
    segments = [Segment(DELETE, side.text)] if side.text else []
    return Row(old=side, new=None, status=DELETED, old_segments=segments)


def _matched_row(old: Side, new: Side, *, moved: bool) -> Row:
    renumbered = old.order != new.order
    if _canonical(old.text) == _canonical(new.text):
        return Row(
            old=old,
            new=new,
            status=RENUMBERED if renumbered else UNCHANGED,
            renumbered=renumbered,
            similarity=1.0,
            old_segments=[Segment(EQUAL, old.text)] if old.text else [],
            new_segments=[Segment(EQUAL, new.text)] if new.text else [],
            moved=moved,
        )
    old_segments, new_segments = diff_segments(old.text, new.text)
    return Row(
        old=old,
        new=new,
        status=CHANGED,
        renumbered=renumbered,
        similarity=similarity(old.text, new.text),
        old_segments=old_segments,
        new_segments=new_segments,
        moved=moved,
    )


# --- The table as data, to keep ---------------------------------------------
