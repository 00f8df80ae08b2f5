"""
Keep a bill's comments in near-duplicate groups, and decide a group at once.

Grouping is set-based: :func:`group_comments` groups any number of new comments
with a fixed number of queries per chunk (their own texts, the band keys they
hit, those groups' representatives' signatures, then bulk writes), never
reading another comment's text. Comment entry and the public submission queue
it for their one comment once they commit (:func:`group_after_commit`); an
import's task runs it for the batch's comments after the import commits.
:func:`regroup_bill` builds a bill's groups from scratch.

One writer per bill at a time: on PostgreSQL a transaction-scoped advisory
lock on the bill serialises the writers (two copies of one text entered at the
same moment must not both found a group).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from rest_framework import status

from npc.core.errors import ConcurrentUpdate, DomainError

from ..models import Comment
from . import signatures
from .clustering import LeaderIndex
from .models import CommentGroup, CommentSignature, GroupKey

# pg_advisory_xact_lock(GROUPING_LOCK, bill id)
GROUPING_LOCK = 18
CHUNK = 1000


class StaleGroup(ConcurrentUpdate):
    """The group changed (a comment joined, left or was decided) since it was read."""

    code = "stale_group"


class InvalidGrouping(DomainError):
    """A move the grouping rules forbid (another bill's group, an empty group)."""

    code = "invalid_grouping"
    http_status = status.HTTP_400_BAD_REQUEST


def lock_bills(bill_ids: Iterable[int], *, wait: bool = True) -> bool:
    """
    Take the grouping lock of ``bill_ids`` until the transaction ends. Without
    ``wait``, take it only if no one holds it and say whether it was taken.
    """
    if connection.vendor != "postgresql":
        return True  # SQLite serialises writers itself
    function = "pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock"
    with connection.cursor() as cursor:
        for bill_id in sorted(set(bill_ids)):
            cursor.execute(f"SELECT {function}(%s, %s)", [GROUPING_LOCK, bill_id])
            if not wait and not cursor.fetchone()[0]:
                return False
    return True


def _representatives(group_ids: Iterable[int]) -> dict[int, tuple[int, bytes]]:
    """group id -> (representative id, its signature); two primary-key lookups."""
    rep_of = dict(
        CommentGroup.objects.filter(pk__in=list(group_ids)).values_list(
            "representative_id", "pk"
        )
    )
    rows = CommentSignature.objects.filter(comment_id__in=list(rep_of)).values_list(
        "comment_id", "signature"
    )
    return {rep_of[c]: (c, bytes(sig)) for c, sig in rows}


def _new_groups(
    bill_of: dict[int, int], leaders: Sequence[int], keys_of: dict[int, list[int]]
) -> dict[int, int]:
    """Create a group for each of ``leaders``; return leader id -> group id."""
    groups = CommentGroup.objects.bulk_create(
        [
            CommentGroup(bill_id=bill_of[leader], representative_id=leader, size=0)
            for leader in leaders
        ],
        batch_size=CHUNK,
    )
    group_of = {g.representative_id: g.pk for g in groups}
    GroupKey.objects.bulk_create(
        [
            GroupKey(group_id=group_of[leader], key=key)
            for leader in leaders
            for key in keys_of[leader]
        ],
        batch_size=CHUNK * signatures.BANDS,
    )
    return group_of


def _grow(sizes: Counter[int]) -> None:
    """Add ``sizes`` (group id -> comments joined) to groups, bumping revisions."""
    by_count: dict[int, list[int]] = defaultdict(list)
    for group_id, n in sizes.items():
        by_count[n].append(group_id)
    # One UPDATE per distinct count: a chunk's joins are mostly ones and twos.
    for n, ids in by_count.items():
        CommentGroup.objects.filter(pk__in=ids).update(
            size=F("size") + n, revision=F("revision") + 1
        )


def group_comments(*, comment_ids: Iterable[int], wait: bool = True) -> int:
    """
    Put the comments ``comment_ids`` that have no group yet into near-duplicate
    groups, in id order; return how many were grouped.

    Each joins the group of its bill whose representative is most similar (at
    least signatures.THRESHOLD), among those sharing a band key, or leads a new
    group. Reads only the new comments' own texts. Each chunk of CHUNK comments
    is its own transaction (a savepoint inside the caller's), holding its bills'
    lock only while it reads and writes groups: a large import's comments are
    grouped without keeping comment entry on the bill waiting.

    Without ``wait`` (a comment just entered, whose transaction may go on), a
    comment whose bill another writer is grouping right now is left for the
    sweep (:func:`group_ungrouped`, every minute): entry never waits for it.
    """
    ids = sorted(set(comment_ids))
    done = 0
    for start in range(0, len(ids), CHUNK):
        done += _group_chunk(ids[start : start + CHUNK], wait=wait)
    return done


def _group_chunk(ids: list[int], *, wait: bool = True) -> int:
    rows = list(
        Comment.objects.filter(pk__in=ids, signature__isnull=True)
        .order_by("pk")
        .values_list("pk", "bill_id", "text")
    )
    if not rows:
        return 0
    # Computed before the lock: the comments' own texts, nobody else's.
    sig_of = {pk: signatures.signature(text) for pk, _bill, text in rows}
    with transaction.atomic():
        if not lock_bills((bill for _pk, bill, _t in rows), wait=wait):
            return 0
        # Grouped meanwhile by another writer (now that the lock is ours)?
        already = set(
            CommentSignature.objects.filter(comment_id__in=ids).values_list(
                "comment_id", flat=True
            )
        )
        rows = [r for r in rows if r[0] not in already]
        return _write_chunk(rows, sig_of)


def _write_chunk(rows: list[tuple[int, int, str]], sig_of: dict[int, bytes]) -> int:
    bill_of = {pk: bill for pk, bill, _text in rows}
    keys_of = {pk: signatures.band_keys(sig_of[pk], bill_of[pk]) for pk in bill_of}
    hit = GroupKey.objects.filter(
        key__in={k for keys in keys_of.values() for k in keys}
    ).values_list("key", "group_id", "group__bill_id")
    indexes: dict[int, LeaderIndex] = defaultdict(LeaderIndex)
    group_of: dict[int, int] = {}  # representative id -> group id
    keys_by_group: dict[int, list[int]] = defaultdict(list)
    bill_of_group: dict[int, int] = {}
    for key, group_id, bill_id in hit:
        keys_by_group[group_id].append(key)
        bill_of_group[group_id] = bill_id
    for group_id, (rep, sig) in _representatives(keys_by_group).items():
        group_of[rep] = group_id
        indexes[bill_of_group[group_id]].add(rep, sig, keys_by_group[group_id])
    leader_of: dict[int, int] = {}
    leaders: list[int] = []
    for pk, bill, _text in rows:
        leader = indexes[bill].assign(pk, sig_of[pk], keys_of[pk])
        leader_of[pk] = leader
        if leader == pk:
            leaders.append(pk)
    group_of.update(_new_groups(bill_of, leaders, keys_of))
    CommentSignature.objects.bulk_create(
        [
            CommentSignature(
                comment_id=pk, group_id=group_of[leader_of[pk]], signature=sig_of[pk]
            )
            for pk, _bill, _text in rows
        ],
        batch_size=CHUNK,
    )
    _grow(Counter(group_of[leader_of[pk]] for pk, _b, _t in rows))
    return len(rows)


def group_after_commit(*, comment_ids: Sequence[int]) -> None:
    """
    Group ``comment_ids``, just written, once the transaction writing them
    commits: by a worker (in process without a broker), never inside the
    writer's transaction. Entry holds no grouping lock then, and a comment's
    receipt does not wait for its group. A comment the task cannot group at
    once (its bill being grouped by another writer), or whose task is lost,
    is grouped by the sweep (:func:`group_ungrouped`, every minute).
    """
    from .. import tasks  # the task module imports the services

    tasks.group_new_comments.delay_on_commit(list(comment_ids))


def group_ungrouped(
    *, bill_ids: Iterable[int] | None = None, limit: int | None = None
) -> int:
    """
    Group every comment (of ``bill_ids``; the ``limit`` oldest) not in a group
    yet; return how many.
    """
    pending = Comment.objects.filter(signature__isnull=True)
    if bill_ids is not None:
        pending = pending.filter(bill_id__in=list(bill_ids))
    ids = list(pending.order_by("pk").values_list("pk", flat=True)[:limit])
    return group_comments(comment_ids=ids)


@transaction.atomic
def regroup_bill(*, bill_id: int, chunk: int = 5000) -> int:
    """
    Build ``bill_id``'s near-duplicate groups from scratch; return the number of
    groups. Comment entry on the bill waits meanwhile (the bill's lock). The
    decisions already taken stay as they are.
    """
    lock_bills([bill_id])
    CommentSignature.objects.filter(comment__bill_id=bill_id).delete()
    GroupKey.objects.filter(group__bill_id=bill_id).delete()
    CommentGroup.objects.filter(bill_id=bill_id).delete()
    index = LeaderIndex()
    group_of: dict[int, int] = {}
    comments = (
        Comment.objects.filter(bill_id=bill_id)
        .order_by("pk")
        .values_list("pk", "text")
        .iterator(chunk_size=chunk)
    )
    batch: list[tuple[int, str]] = []
    for row in comments:
        batch.append(row)
        if len(batch) == chunk:
            _regroup_chunk(bill_id, batch, index, group_of)
            batch = []
    if batch:
        _regroup_chunk(bill_id, batch, index, group_of)
    sizes = (
        CommentSignature.objects.filter(group=OuterRef("pk"))
        .order_by()
        .values("group")
        .annotate(n=Count("pk"))
        .values("n")
    )
    CommentGroup.objects.filter(bill_id=bill_id).update(
        size=Coalesce(Subquery(sizes), 0)
    )
    if connection.vendor == "postgresql":
        # Hundreds of thousands of rows just written: plan the next lookups
        # on their real numbers, not on the empty tables of the last analyse.
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE consultation_commentgroup, consultation_commentsignature, "
                "consultation_groupkey"
            )
    return len(group_of)


def _regroup_chunk(
    bill_id: int,
    rows: list[tuple[int, str]],
    index: LeaderIndex,
    group_of: dict[int, int],
) -> None:
    sig_of = {pk: signatures.signature(text) for pk, text in rows}
    keys_of = {pk: signatures.band_keys(sig, bill_id) for pk, sig in sig_of.items()}
    leader_of = {pk: index.assign(pk, sig_of[pk], keys_of[pk]) for pk, _t in rows}
    leaders = [pk for pk, _t in rows if leader_of[pk] == pk]
    group_of.update(_new_groups(dict.fromkeys(leaders, bill_id), leaders, keys_of))
    CommentSignature.objects.bulk_create(
        [
            CommentSignature(
                comment_id=pk, group_id=group_of[leader_of[pk]], signature=sig_of[pk]
            )
            for pk, _t in rows
        ],
        batch_size=CHUNK,
    )


def members_decided(comment_ids: Iterable[int]) -> None:
    """
    Bump the revision of the groups holding ``comment_ids``, just decided: a
    group decision prepared before is stale now. Called by decide_comments.
    """
    CommentGroup.objects.filter(
        pk__in=CommentSignature.objects.filter(comment_id__in=list(comment_ids)).values(
            "group_id"
        )
    ).update(revision=F("revision") + 1)


@transaction.atomic
def text_changed(*, comment_id: int) -> None:
    """
    Group ``comment_id`` again after its text was corrected: its signature is
    recomputed; if it no longer resembles its group's representative it leaves
    for the group it resembles now (or one of its own).
    """
    row = (
        CommentSignature.objects.filter(comment_id=comment_id)
        .select_related("group")
        .first()
    )
    if row is None:
        group_comments(comment_ids=[comment_id])
        return
    lock_bills([row.group.bill_id])
    group = CommentGroup.objects.select_for_update().get(pk=row.group_id)
    text = Comment.objects.values_list("text", flat=True).get(pk=comment_id)
    sig = signatures.signature(text)
    if (
        group.representative_id == comment_id
        or signatures.similarity(sig, _representatives([group.pk])[group.pk][1])
        >= signatures.THRESHOLD
    ):
        CommentSignature.objects.filter(comment_id=comment_id).update(signature=sig)
        if group.representative_id == comment_id:
            GroupKey.objects.filter(group=group).delete()
            GroupKey.objects.bulk_create(
                [
                    GroupKey(group=group, key=k)
                    for k in signatures.band_keys(sig, group.bill_id)
                ]
            )
        CommentGroup.objects.filter(pk=group.pk).update(revision=F("revision") + 1)
        return
    row.delete()
    CommentGroup.objects.filter(pk=group.pk).update(
        size=F("size") - 1, revision=F("revision") + 1
    )
    group_comments(comment_ids=[comment_id])
