"""
How a comparison table (:func:`legislation.comparison.compare`) is kept: the
fingerprint of everything it depends on, and its rows written as JSON data and
read back. The same two versions compare once, however often they are asked
for (selectors.compare_versions, :class:`~legislation.models.KeptComparison`).
"""

import hashlib
import json
from collections.abc import Hashable, Mapping, Sequence

from .comparison import Row, Segment, Side

# The form of the rows compare() returns: raise it whenever compare() would
# give another table for the same texts, so that tables kept before are
# computed again rather than served.
TABLE_FORM = 1


def fingerprint(
    old: Sequence[Side], new: Sequence[Side], pairs: Mapping[Hashable, Hashable]
) -> str:
    """
    Return a hash of everything ``compare(old, new, pairs)`` depends on.

    Two calls with the same fingerprint give the same table, so a table kept
    under it can be served instead of computed.
    """
    digest = hashlib.sha256(str(TABLE_FORM).encode())
    for sides in (old, new):
        digest.update(b"\x1e")
        for side in sides:
            digest.update(
                json.dumps(
                    [side.key, side.number, side.suffix, side.label, side.text],
                    ensure_ascii=False,
                ).encode()
            )
    digest.update(b"\x1e")
    digest.update(json.dumps(sorted(pairs.items()), ensure_ascii=False).encode())
    return digest.hexdigest()


def _side_data(side: Side | None) -> list | None:
    if side is None:
        return None
    return [side.key, side.number, side.text, side.label, side.suffix]


def _side(data: list | None) -> Side | None:
    if data is None:
        return None
    key, number, text, label, suffix = data
    return Side(key=key, number=number, text=text, label=label, suffix=suffix)


def rows_to_data(rows: Sequence[Row]) -> list[dict]:
    """Write the rows of a table as JSON data (see ``rows_from_data``)."""
    return [
        {
            "old": _side_data(row.old),
            "new": _side_data(row.new),
            "status": row.status,
            "renumbered": row.renumbered,
            "similarity": row.similarity,
            "old_segments": [[s.op, s.text] for s in row.old_segments],
            "new_segments": [[s.op, s.text] for s in row.new_segments],
            "moved": row.moved,
            "split_from": _side_data(row.split_from),
            "merged_into": _side_data(row.merged_into),
        }
        for row in rows
    ]


def rows_from_data(data: Sequence[dict]) -> list[Row]:
    """Read back the rows ``rows_to_data`` wrote, equal to those it was given."""
    return [
        Row(
            old=_side(item["old"]),
            new=_side(item["new"]),
            status=item["status"],
            renumbered=item["renumbered"],
            similarity=item["similarity"],
            old_segments=[Segment(op, text) for op, text in item["old_segments"]],
            new_segments=[Segment(op, text) for op, text in item["new_segments"]],
            moved=item["moved"],
            split_from=_side(item["split_from"]),
            merged_into=_side(item["merged_into"]),
        )
        for item in data
    ]
