"""
Change a group by hand, and decide a whole group in one action.

Staff and administrators only, as deciding comments is. Every change names the
revision of each group it touches as the person saw it; a group that changed
meanwhile (a comment joined, left or was decided) refuses it with
:class:`StaleGroup` (409) and nothing is written.

Locks are taken in one order: the bill's grouping lock (for a change of
membership, as comment entry takes it before touching a group), then the
groups' comments in primary-key order, then the groups in primary-key order,
the order in which a decision on single comments
(:func:`consultation.services.decide_comments`) takes them too; so none of
these can deadlock with another.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from .. import access
from ..errors import InvalidDecision, NotPermitted
from ..models import Comment, Decision
from ..services import decide_comments
from . import signatures
from .models import CommentGroup, CommentSignature, GroupKey
from .services import InvalidGrouping, StaleGroup, lock_bills


def _check_actor(by: Any) -> None:
    if not access.can_decide(by):
        raise NotPermitted(_("只有立法工作人员可以处理相似意见组。"))


def _lock(
    group_ids: Iterable[int], expected: Mapping[int, int | None]
) -> dict[int, CommentGroup]:
    """Lock the groups, members first; refuse if one changed since it was read."""
    ids = sorted(set(group_ids))
    members = list(
        CommentSignature.objects.filter(group_id__in=ids).values_list(
            "comment_id", flat=True
        )
    )
    list(
        Comment.objects.select_for_update()
        .filter(pk__in=members)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    locked = {
        g.pk: g
        for g in CommentGroup.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
    }
    if len(locked) != len(ids):
        raise StaleGroup(_("相似意见组已被合并或重新分组，请刷新后重试。"))
    for pk, group in locked.items():
        want = expected.get(pk)
        if want is not None and want != group.revision:
            raise StaleGroup(
                _(
                    "相似意见组 #%(group)d 已有变化（新增、移出或处理了意见），"
                    "请刷新后重试。"
                )
                % {"group": pk}
            )
    return locked


def _set_keys(group: CommentGroup, sig: bytes) -> None:
    GroupKey.objects.filter(group=group).delete()
    GroupKey.objects.bulk_create(
        [GroupKey(group=group, key=k) for k in signatures.band_keys(sig, group.bill_id)]
    )


def _signature(comment_id: int) -> bytes:
    return bytes(CommentSignature.objects.get(comment_id=comment_id).signature)


def _leave(group: CommentGroup, comment_id: int) -> None:
    """Take ``comment_id`` out of ``group`` (locked): the size, the representative."""
    group.size -= 1
    group.revision += 1
    if group.size == 0:
        group.delete()
        return
    if group.representative_id == comment_id:
        # The earliest remaining comment leads; the keys follow its signature.
        heir = (
            CommentSignature.objects.filter(group=group)
            .exclude(comment_id=comment_id)
            .order_by("comment_id")
            .values_list("comment_id", "signature")
            .first()
        )
        group.representative_id = heir[0]
        _set_keys(group, bytes(heir[1]))
    group.save(update_fields=["size", "revision", "representative"])


def _member(group: CommentGroup, comment: Comment | int) -> int:
    pk = getattr(comment, "pk", comment)
    if not CommentSignature.objects.filter(group=group, comment_id=pk).exists():
        raise InvalidGrouping(_("该意见不在这个相似意见组中。"))
    return pk


@transaction.atomic
def remove_from_group(
    *,
    group: CommentGroup,
    comment: Comment | int,
    by: Any,
    expected_revision: int | None,
) -> CommentGroup:
    """
    Take ``comment`` out of ``group`` into a group of its own; return the new
    group. A group's only comment cannot leave it. Later comments may join
    either group, by the usual rule.
    """
    _check_actor(by)
    lock_bills([group.bill_id])
    locked = _lock([group.pk], {group.pk: expected_revision})[group.pk]
    pk = _member(locked, comment)
    if locked.size <= 1:
        raise InvalidGrouping(_("该意见已单独成组。"))
    _leave(locked, pk)
    alone = CommentGroup.objects.create(
        bill_id=locked.bill_id, representative_id=pk, size=1
    )
    CommentSignature.objects.filter(comment_id=pk).update(group=alone)
    _set_keys(alone, _signature(pk))
    return alone


@transaction.atomic
def move_to_group(
    *,
    group: CommentGroup,
    comment: Comment | int,
    to: CommentGroup,
    by: Any,
    expected_revisions: Mapping[int, int | None],
) -> CommentGroup:
    """Move ``comment`` from ``group`` into ``to``, a group of the same bill."""
    _check_actor(by)
    if group.pk == to.pk:
        raise InvalidGrouping(_("意见已在该组中。"))
    if group.bill_id != to.bill_id:
        raise InvalidGrouping(_("只能移入同一法规案的相似意见组。"))
    lock_bills([group.bill_id])
    locked = _lock([group.pk, to.pk], expected_revisions)
    source, target = locked[group.pk], locked[to.pk]
    pk = _member(source, comment)
    _leave(source, pk)
    CommentSignature.objects.filter(comment_id=pk).update(group=target)
    CommentGroup.objects.filter(pk=target.pk).update(
        size=F("size") + 1, revision=F("revision") + 1
    )
    target.refresh_from_db()
    return target


@transaction.atomic
def merge_groups(
    *,
    group: CommentGroup,
    into: CommentGroup,
    by: Any,
    expected_revisions: Mapping[int, int | None],
) -> CommentGroup:
    """
    Move every comment of ``group`` into ``into`` (a same-point suggestion
    accepted by a person); ``group`` is gone afterwards.
    """
    _check_actor(by)
    if group.pk == into.pk:
        raise InvalidGrouping(_("不能与自身合并。"))
    if group.bill_id != into.bill_id:
        raise InvalidGrouping(_("只能合并同一法规案的相似意见组。"))
    lock_bills([group.bill_id])
    locked = _lock([group.pk, into.pk], expected_revisions)
    source, target = locked[group.pk], locked[into.pk]
    CommentSignature.objects.filter(group=source).update(group=target)
    target.size += source.size
    target.revision += 1
    target.save(update_fields=["size", "revision"])
    source.delete()
    return target


@transaction.atomic
def decide_group(
    *,
    group: CommentGroup,
    status: str,
    by: Any,
    reason: str = "",
    explanation: str = "",
    articles: Iterable[Any] | None = None,
    elsewhere: str = "",
    expected_revision: int | None,
) -> list[Comment]:
    """
    Decide every comment of ``group`` in one action: the representative gets
    the decision, every other comment is marked a duplicate of it. An adoption
    names where it was taken up (``articles`` or ``elsewhere``, as for
    :func:`consultation.services.decide_comments`), on the representative.

    The rules, locks and history are those of
    :func:`consultation.services.decide_comments` (which writes each comment's
    DecisionRecord); a group cannot be decided a duplicate as a whole. Returns
    the decided comments, the representative first.

    Raises NotPermitted, StaleGroup, InvalidDecision.
    """
    _check_actor(by)
    if status == Decision.DUPLICATE:
        raise InvalidDecision(
            _("整组处理时，代表意见不能标为重复意见；请选择其他处理结果。")
        )
    locked = _lock([group.pk], {group.pk: expected_revision})[group.pk]
    rep = Comment.objects.get(pk=locked.representative_id)
    members = set(
        CommentSignature.objects.filter(group=locked).values_list(
            "comment_id", flat=True
        )
    )
    others = sorted(members - {rep.pk})
    if status == Decision.PENDING:
        # Reopened: every comment of the group is to be studied again.
        return decide_comments(comments=sorted(members), status=status, by=by)
    decided = decide_comments(
        comments=[rep.pk],
        status=status,
        by=by,
        reason=reason,
        explanation=explanation,
        articles=articles,
        elsewhere=elsewhere,
    )
    if others:
        # A comment already kept for another of the group (marked by hand)
        # cannot become a duplicate while they point at it: those pointing go
        # first, then the ones they pointed at.
        pointed = set(
            Comment.objects.filter(pk__in=others, duplicates__isnull=False).values_list(
                "pk", flat=True
            )
        )
        for part in (
            [pk for pk in others if pk not in pointed],
            sorted(pointed),
        ):
            if part:
                decided += decide_comments(
                    comments=part,
                    status=Decision.DUPLICATE,
                    by=by,
                    duplicate_of=rep,
                    explanation=explanation,
                )
    return decided
