"""
Where adopted comments were taken up: articles of a later version, or what was
done instead of changing the text (:class:`~consultation.models.AdoptionLink`).

:func:`~.decisions.decide_comments` names the places with the decision;
:func:`link_comments` adds an article to comments already adopted, from a row
of the comparison table. Both check the places here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from legislation.models import Article
from npc.core.history import bulk_create_history

from .. import access
from ..errors import (
    ArticlesNotFound,
    CommentsNotFound,
    ConcurrentUpdate,
    InvalidTextLink,
    NotPermitted,
)
from ..models import ADOPTING, AdoptionLink, Comment
from ._common import shown_changed


@dataclass(frozen=True)
class Places:
    """Where a decision says comments were taken up."""

    articles: list[Article]
    elsewhere: str


def check_places(
    *,
    comments: Sequence[Comment],
    articles: Sequence[Article | int] | None,
    elsewhere: str,
    explanation: str,
) -> Places | None:
    """
    Check the places an adoption of ``comments`` names; None keeps their own.

    Each article must belong to the comments' bill, to a version later than the
    one commented on and not dated before the comment. Without articles and
    without ``elsewhere``, a comment with no place of its own needs an
    ``explanation`` saying why. Raises InvalidTextLink.
    """
    if articles is None and not elsewhere:
        unplaced = {c.pk for c in comments} - set(
            AdoptionLink.objects.filter(comment__in=comments).values_list(
                "comment_id", flat=True
            )
        )
        if unplaced and not explanation:
            raise _no_place()
        return None
    chosen = _articles(articles or [])
    if not chosen and not elsewhere and not explanation:
        raise _no_place()
    if chosen:
        commented_on = dict(
            Comment.objects.filter(pk__in=[c.pk for c in comments]).values_list(
                "pk", "consultation__version__number"
            )
        )
        for comment in comments:
            for article in chosen:
                _check_one(comment, article, commented_on[comment.pk])
    return Places(articles=chosen, elsewhere=elsewhere)


def _no_place() -> InvalidTextLink:
    return InvalidTextLink(
        _("采纳的意见须指明写入的条文，或说明未写入条文时采取了什么措施。")
    )


def _articles(values: Sequence[Article | int]) -> list[Article]:
    ids = sorted({getattr(a, "pk", a) for a in values})
    rows = list(
        Article.objects.filter(pk__in=ids)
        .select_related("version")
        .order_by("version__number", "position")
    )
    if len(rows) != len(ids):
        raise ArticlesNotFound(_("所选条文不存在。"))
    return rows


def _check_one(comment: Comment, article: Article, commented_number: int) -> None:
    version = article.version
    if version.bill_id != comment.bill_id:
        raise InvalidTextLink(
            _("%(article)s不属于意见 %(code)s 所针对的法规案。")
            % {"article": article.label, "code": comment.receipt}
        )
    if version.number <= commented_number:
        raise InvalidTextLink(
            _("意见 %(code)s 的修改须写入其所针对文本之后的文本。")
            % {"code": comment.receipt}
        )
    if version.date < comment.submitted_on:
        raise InvalidTextLink(
            _("“%(version)s”（%(date)s）早于意见 %(code)s 的提出日期，不能采纳该意见。")
            % {
                "version": version.get_kind_display(),
                "date": version.date.isoformat(),
                "code": comment.receipt,
            }
        )


def write_places(*, comments: Sequence[Comment], places: Places, by: Any) -> None:
    """Replace the places of ``comments`` with ``places``."""
    AdoptionLink.objects.filter(comment__in=comments).delete()
    rows = [
        AdoptionLink(comment=c, article=a, linked_by=by)
        for c in comments
        for a in places.articles
    ]
    if places.elsewhere:
        rows += [
            AdoptionLink(comment=c, elsewhere=places.elsewhere, linked_by=by)
            for c in comments
        ]
    bulk_create_history(rows, AdoptionLink, by=by)


@transaction.atomic
def link_comments(
    *,
    article: Article,
    comments: Iterable[Comment] | Iterable[int],
    by: Any,
    expected_revisions: Mapping[int, int] | None = None,
) -> list[Comment]:
    """
    Say that ``article`` took up ``comments`` (关联意见 on a comparison row).

    Staff only. The comments must already be adopted or partially adopted, and
    the article fit each of them (:func:`check_places`); links they have stay.
    Comments are locked in primary-key order and their revisions bumped; a
    stale revision refuses the whole set. Raises NotPermitted, InvalidTextLink,
    CommentsNotFound or ConcurrentUpdate.
    """
    if not access.can_decide(by):
        raise NotPermitted(_("只有立法工作人员可以处理意见。"))
    ids = sorted({getattr(c, "pk", c) for c in comments})
    if not ids:
        raise InvalidTextLink(_("请选择要关联的意见。"))
    locked = list(Comment.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if len(locked) != len(ids):
        raise CommentsNotFound(_("部分意见不存在或已被删除。"))
    stale = [
        c
        for c in locked
        if expected_revisions is not None
        and c.pk in expected_revisions
        and expected_revisions[c.pk] != c.revision
    ]
    if stale:
        raise ConcurrentUpdate(
            _("%(count)d条意见已被他人处理或修改（如 %(code)s），请刷新后重试。")
            % {"count": len(stale), "code": stale[0].receipt}
        )
    undecided = [c for c in locked if c.status not in ADOPTING]
    if undecided:
        raise InvalidTextLink(
            _("意见 %(code)s 未被采纳，不能关联条文；请先作出采纳或部分采纳的决定。")
            % {"code": undecided[0].receipt}
        )
    places = check_places(
        comments=locked, articles=[article], elsewhere="", explanation=""
    )
    assert places is not None  # an article was given
    have = set(
        AdoptionLink.objects.filter(
            comment__in=ids, article=places.articles[0]
        ).values_list("comment_id", flat=True)
    )
    bulk_create_history(
        [
            AdoptionLink(comment=c, article=places.articles[0], linked_by=by)
            for c in locked
            if c.pk not in have
        ],
        AdoptionLink,
        by=by,
    )
    for c in locked:
        c.revision += 1
    Comment.objects.bulk_update(locked, ["revision", "updated_at"], batch_size=1000)
    shown_changed({c.bill_id for c in locked})
    return locked
