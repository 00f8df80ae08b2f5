"""
Precision and recall of grouping on the labelled set (``labelled.json``).

Both levels are scored over pairs of comments:

* near-duplicates: a pair is predicted when both comments land in one group
  (the same leader clustering as the stored groups, :mod:`.clustering`), and
  true when the set gives them the same ``dup`` label;
* same point: over the predicted groups, a pair of groups is predicted when
  :func:`.samepoint.suggest` suggests it, and true when their representatives
  have the same ``point`` label. Recall counts every pair of predicted groups
  making the same point, so near-duplicates the first level missed are there
  for the second to find.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from . import clustering, samepoint

LABELLED = Path(__file__).with_name("labelled.json")


@dataclass(frozen=True)
class Score:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        truth = self.true_positives + self.false_negatives
        return self.true_positives / truth if truth else 1.0


def load(path: Path = LABELLED) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def evaluate(rows: list[dict]) -> dict[str, Score]:
    """Score both levels on ``rows`` (id, article, text, dup, point)."""
    by_id = {r["id"]: r for r in rows}
    leader = clustering.cluster((r["id"], 0, r["text"]) for r in rows)
    tp = fp = fn = 0
    for a, b in combinations(sorted(by_id), 2):
        same = by_id[a]["dup"] == by_id[b]["dup"]
        grouped = leader[a] == leader[b]
        tp += same and grouped
        fp += grouped and not same
        fn += same and not grouped
    near = Score(tp, fp, fn)
    reps = sorted(set(leader.values()))
    suggested = {
        (a, b)
        for a, b, _s in samepoint.suggest(
            [(g, by_id[g]["article"], by_id[g]["text"]) for g in reps]
        )
    }
    tp = fp = fn = 0
    for a, b in combinations(reps, 2):
        same = by_id[a]["point"] == by_id[b]["point"]
        hit = (a, b) in suggested
        tp += same and hit
        fp += hit and not same
        fn += same and not hit
    return {"near_duplicate": near, "same_point": Score(tp, fp, fn)}
