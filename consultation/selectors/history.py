"""
What changed in a consultation, a comment (and who made it) or a liaison point:
"修改记录" for staff. Who made a comment is shown in its history only to those
who may see it now (:func:`access.can_see_personal_data`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from npc.core.history import ACTIONS, Change, Entry, Surface, changes

from .. import access
from ..models import (
    Comment,
    CommentRevision,
    Consultation,
    Contributor,
    ImportBatch,
    LiaisonPoint,
)

LIMIT = 200
PERSONAL = ("name", "contact", "affiliation", "receipt_code")
STAMPS = ("revision", "created_at", "created_by")


def comment_changes(comment: Comment, user: Any) -> list[Entry]:
    """
    The changes of a comment and of who made it, newest first.

    An imported comment was written in bulk with its whole file, which wrote no
    history row per comment: its creation is its import batch (who uploaded
    which file, when), shown as the first entry.
    """
    rows = [
        *comment.history.select_related("history_user")[:LIMIT],
        *Contributor.history.filter(comment_id=comment.pk).select_related(
            "history_user"
        )[:LIMIT],
    ]
    entries = changes(
        rows,
        skip=(*STAMPS, "consultation", "bill", "point", "import_batch", "comment"),
        private=PERSONAL,
        show_private=access.can_see_personal_data(user, comment),
        label=lambda row: str(row.instance_type._meta.verbose_name),
    )[:LIMIT]
    if comment.import_batch_id:
        batch = ImportBatch.objects.select_related("created_by").get(
            pk=comment.import_batch_id
        )
        entries.append(
            Entry(
                when=batch.created_at,
                who=batch.created_by.get_username() if batch.created_by else "",
                surface=Surface.IMPORT.label,
                action=str(ACTIONS["+"]),
                record=str(Comment._meta.verbose_name),
                changes=[
                    Change(
                        label=str(_("导入来源")),
                        old="",
                        new=_("%(file)s 第%(row)d行")
                        % {"file": batch.original_name, "row": comment.import_row},
                    )
                ],
            )
        )
    return entries


def comment_revisions(comment: Comment) -> QuerySet[CommentRevision]:
    """The text as first recorded and every correction, oldest first."""
    return comment.revisions.select_related("recorded_by").order_by("number")


def consultation_changes(consultation: Consultation) -> list[Entry]:
    rows = consultation.history.select_related("history_user")[:LIMIT]
    return changes(rows, skip=(*STAMPS, "opened_event"))


def point_changes(point: LiaisonPoint) -> list[Entry]:
    return changes(point.history.select_related("history_user")[:LIMIT])
