"""
Leader clustering over MinHash signatures, the one rule of near-duplicate groups.

Comments are taken in order (by id: the first one stored leads). A comment joins
the group whose representative it is most similar to, among the groups sharing
one of its band keys, if that similarity reaches THRESHOLD; otherwise it leads
a group of its own. Comparing with the representative, not with any member,
keeps a chain of small edits from drifting into another text. Grouping from
scratch and grouping one new comment apply the same rule; only where the
candidates come from differs (this index in memory, or the database).
"""

from __future__ import annotations

from collections.abc import Iterable

from . import signatures


class LeaderIndex:
    """The representatives seen so far: their signatures and band keys."""

    def __init__(self) -> None:
        # band key -> representative ids (one usually; a list on a collision)
        self._keys: dict[int, int | list[int]] = {}
        self._signatures: dict[int, bytes] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def add(self, leader: int, sig: bytes, keys: Iterable[int]) -> None:
        """Make ``leader`` a representative that later comments can join."""
        self._signatures[leader] = sig
        for key in keys:
            held = self._keys.get(key)
            if held is None:
                self._keys[key] = leader
            elif isinstance(held, list):
                held.append(leader)
            else:
                self._keys[key] = [held, leader]

    def candidates(self, keys: Iterable[int]) -> list[tuple[int, bytes]]:
        """The representatives sharing a band key with ``keys``."""
        found: set[int] = set()
        for key in keys:
            held = self._keys.get(key)
            if held is None:
                continue
            if isinstance(held, list):
                found.update(held)
            else:
                found.add(held)
        return [(leader, self._signatures[leader]) for leader in found]

    def assign(self, comment: int, sig: bytes, keys: list[int]) -> int:
        """
        Return the representative ``comment`` joins, itself if it leads a new
        group (and then it is added to the index).
        """
        leader, _score = signatures.best_match(sig, self.candidates(keys))
        if leader is None:
            self.add(comment, sig, keys)
            return comment
        return leader


def cluster(items: Iterable[tuple[int, int, str]]) -> dict[int, int]:
    """
    Group ``items`` (id, bill id, text), taken in id order; return each id's
    representative's id. Comments of different bills never group together.
    """
    indexes: dict[int, LeaderIndex] = {}
    result: dict[int, int] = {}
    for comment, bill, text in sorted(items):
        sig = signatures.signature(text)
        index = indexes.setdefault(bill, LeaderIndex())
        result[comment] = index.assign(comment, sig, signatures.band_keys(sig, bill))
    return result
