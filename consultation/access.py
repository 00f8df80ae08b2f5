"""
Who may see and do what on the consultation side (DESIGN §2).

One place for the rules; services check them again for every act, and pages,
API views and selectors read them to show only what is allowed:

- legislative staff and administrators see and do everything;
- a liaison-point clerk sees and changes the records of their own points only,
  and a comment only while it is pending; they never decide;
- anyone else sees no internal record and no personal data (public pages read
  the public selectors instead).

A user's point ids are read once and kept on the user object, so checking many
rows costs one query per request, not one per row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet

from npc.core.roles import is_clerk, is_legislative_staff

from .models import Comment, Consultation, Decision, LiaisonPoint

User = Model | AnonymousUser


def _point_ids(user: User) -> frozenset[int]:
    """Return the ids of the points ``user`` is a clerk of (cached on the user)."""
    if not is_clerk(user):
        return frozenset()
    cached = getattr(user, "_liaison_point_ids", None)
    if cached is None:
        cached = frozenset(
            LiaisonPoint.objects.filter(clerks=user).values_list("pk", flat=True)
        )
        user._liaison_point_ids = cached
    return cached


def forget_points(user: User) -> None:
    """Drop the cached point ids, after the user's points changed."""
    if hasattr(user, "_liaison_point_ids"):
        del user._liaison_point_ids


def points_for(user: User) -> QuerySet[LiaisonPoint]:
    """Return the points ``user`` works for: staff all, a clerk theirs, others none."""
    if is_legislative_staff(user):
        return LiaisonPoint.objects.all()
    if is_clerk(user):
        return LiaisonPoint.objects.filter(pk__in=_point_ids(user))
    return LiaisonPoint.objects.none()


def has_consultation_access(user: User) -> bool:
    """Say whether ``user`` may use the internal consultation pages at all."""
    return is_legislative_staff(user) or bool(_point_ids(user))


def visible_consultations(user: User) -> QuerySet[Consultation]:
    """Return the consultations ``user`` may manage: staff all, a clerk their points'."""
    if is_legislative_staff(user):
        return Consultation.objects.all()
    if is_clerk(user):
        return Consultation.objects.filter(point__in=_point_ids(user))
    return Consultation.objects.none()


def visible_comments(user: User) -> QuerySet[Comment]:
    """
    Return the comments ``user`` may see with their personal data: staff all, a
    clerk their points' only, anyone else none (public pages use
    :func:`consultation.selectors.public_comments`).
    """
    if is_legislative_staff(user):
        return Comment.objects.all()
    if is_clerk(user):
        return Comment.objects.filter(point__in=_point_ids(user))
    return Comment.objects.none()


def is_own_point(user: User, point_id: int | None) -> bool:
    """Say whether ``point_id`` is one of the points ``user`` is a clerk of."""
    return point_id is not None and point_id in _point_ids(user)


def can_record_consultation(user: User, point: LiaisonPoint | None) -> bool:
    """
    Say whether ``user`` may record a consultation held at ``point``.

    ``None`` means a consultation at no liaison point (an online period, a
    hearing held by the office): staff only. For "may this user record any
    consultation", ask :func:`has_consultation_access`.
    """
    if is_legislative_staff(user):
        return True
    return point is not None and is_own_point(user, point.pk)


def can_edit_consultation(user: User, consultation: Consultation) -> bool:
    """Say whether ``user`` may change ``consultation``: staff, or its point's clerk."""
    return is_legislative_staff(user) or is_own_point(user, consultation.point_id)


def can_enter_comment(user: User, consultation: Consultation) -> bool:
    """Say whether ``user`` may enter or import comments for ``consultation``."""
    return can_edit_consultation(user, consultation)


def can_edit_comment(user: User, comment: Comment) -> bool:
    """Say whether ``user`` may change ``comment``: staff always, its clerk while pending."""
    if is_legislative_staff(user):
        return True
    return is_own_point(user, comment.point_id) and comment.status == Decision.PENDING


def can_see_personal_data(user: User, comment: Comment | Mapping[str, Any]) -> bool:
    """
    Say whether ``user`` may read who made ``comment`` and its receipt code.

    Legislative staff and administrators may for every comment; a clerk for
    the comments of their own points only; anyone else never. ``comment`` is a
    Comment or a row of its values with its ``point_id``. The pages, the API
    and the exports all ask here.
    """
    point_id = comment["point_id"] if isinstance(comment, Mapping) else comment.point_id
    return is_legislative_staff(user) or is_own_point(user, point_id)


def with_personal_data(user: User, comments: QuerySet[Comment]) -> QuerySet | None:
    """
    Narrow ``comments`` to those whose maker ``user`` may know (the rule of
    :func:`can_see_personal_data`, as a query), or return None when the user may
    know none: to filter by a contributor's field without telling anything
    about the others.
    """
    if is_legislative_staff(user):
        return comments
    own = _point_ids(user)
    return comments.filter(point__in=own) if own else None


def can_decide(user: User) -> bool:
    """Say whether ``user`` may decide on comments: legislative staff and admins."""
    return is_legislative_staff(user)


def can_record_feedback(user: User, comments: Iterable[Comment]) -> bool:
    """
    Say whether ``user`` may record feedback on all of ``comments``: staff, or a
    clerk when every one of them was made at one of their points.
    """
    if is_legislative_staff(user):
        return True
    own = _point_ids(user)
    if not own:
        return False
    return all(c.point_id in own for c in comments)
