"""
What changed in a consultation, a comment (and who made it) or a liaison point:
"修改记录" for staff. Who made a comment is shown in its history only to those
who may see it now (:func:`access.can_see_personal_data`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from npc.core.history import Entry, changes

from .. import access
from ..models import Comment, CommentRevision, Consultation, Contributor, LiaisonPoint

LIMIT = 200
PERSONAL = ("name", "contact", "affiliation", "receipt_code")
STAMPS = ("revision", "created_at", "created_by")


def comment_changes(comment: Comment, user: Any) -> list[Entry]:
    """The changes of a comment and of who made it, newest first."""
    rows = [
        *comment.history.select_related("history_user")[:LIMIT],
        *Contributor.history.filter(comment_id=comment.pk).select_related(
            "history_user"
        )[:LIMIT],
    ]
    return changes(
        rows,
        skip=(*STAMPS, "consultation", "bill", "point", "import_batch", "comment"),
        private=PERSONAL,
        show_private=access.can_see_personal_data(user, comment),
        label=lambda row: str(row.instance_type._meta.verbose_name),
    )[:LIMIT]


def comment_revisions(comment: Comment) -> QuerySet[CommentRevision]:
    """The text as first recorded and every correction, oldest first."""
    return comment.revisions.select_related("recorded_by").order_by("number")


def consultation_changes(consultation: Consultation) -> list[Entry]:
    rows = consultation.history.select_related("history_user")[:LIMIT]
    return changes(rows, skip=(*STAMPS, "opened_event"))


def point_changes(point: LiaisonPoint) -> list[Entry]:
    return changes(point.history.select_related("history_user")[:LIMIT])
