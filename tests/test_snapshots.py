"""Which transactions a snapshot saw (npc.core.snapshots), as PostgreSQL spells it."""

import pytest

from npc.core.snapshots import Snapshot


@pytest.mark.parametrize(
    ("xid", "seen"),
    [
        (99, True),  # completed before the oldest still running
        (100, False),  # running when the snapshot was taken
        (101, True),  # completed in between
        (103, False),  # running too
        (104, True),
        (105, False),  # not begun, or not completed, when it was taken
        (200, False),
    ],
)
def test_a_snapshot_saw_what_completed_before_it(xid, seen):
    assert Snapshot.parse("100:105:100,103").saw(xid) is seen


def test_a_snapshot_with_nothing_running():
    snapshot = Snapshot.parse("1843:1843:")
    assert snapshot.saw(1842)
    assert not snapshot.saw(1843)
