"""
Feedback letters (反馈函): for each liaison point, or each contributor who left
a contact, what they said, what was decided and why, and where it went into the
text; one page each. A contributor is named only to those who may see personal
data; otherwise by the comment's receipt code.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from legislation.models import Bill

from .. import access
from ..models import Comment, Decision
from ..selectors import comment_places
from . import style
from .report import write_place

BY_POINT = "point"
BY_CONTRIBUTOR = "contributor"


def _groups(bill: Bill, by: str, user: Any) -> list[tuple[str, list[Comment]]]:
    decided = (
        Comment.objects.filter(bill=bill)
        .exclude(status=Decision.PENDING)
        .select_related("point", "contributor")
        .order_by("pk")
    )
    groups: dict[Any, list[Comment]] = defaultdict(list)
    names: dict[Any, str] = {}
    if by == BY_POINT:
        for comment in decided.filter(point__isnull=False):
            groups[comment.point_id].append(comment)
            names[comment.point_id] = comment.point.name
    else:
        for comment in decided.exclude(contributor__contact=""):
            person = comment.contributor
            key = (person.name, person.contact) if person.name else comment.pk
            groups[key].append(comment)
            if person.name and access.can_see_personal_data(user, comment):
                names[key] = _("%(name)s同志") % {"name": person.name}
            else:
                names.setdefault(
                    key, _("意见提出人（回执码 %(code)s）") % {"code": comment.receipt}
                )
    return [(names[key], comments) for key, comments in groups.items()]


def feedback_letters_docx(
    *, bill: Bill, by: str, user: Any, progress: Callable[[int], None] | None = None
) -> bytes:
    """
    One DOCX with a letter on each page: per liaison point (``by="point"``) or
    per contributor with a contact (``by="contributor"``), on ``bill``'s decided
    comments.
    """
    groups = _groups(bill, by, user)
    places = comment_places(c.pk for _, comments in groups for c in comments)
    document = style.new_document()
    for index, (addressee, comments) in enumerate(groups):
        if progress is not None and index % 20 == 0:
            progress(index * 100 // len(groups))
        if index:
            style.page_break(document)
        style.title(
            document,
            _("关于《%(title)s》意见建议办理情况的反馈函") % {"title": bill.title},
        )
        style.body(document, f"{addressee}：", indent=False)
        style.body(
            document,
            _("感谢您对《%(title)s》提出的意见建议。经认真研究，现将办理情况反馈如下：")
            % {"title": bill.title},
        )
        for number, comment in enumerate(comments, start=1):
            style.body(document, f"{number}. {comment.text}")
            outcome = _("处理结果：%(status)s") % {
                "status": comment.get_status_display()
            }
            if comment.reason:
                outcome += f"（{comment.get_reason_display()}）"
            style.body(document, outcome)
            if comment.explanation:
                style.body(
                    document, _("说明：%(text)s") % {"text": comment.explanation}
                )
            for place in places.get(comment.pk, []):
                write_place(document, place)
        style.signature(
            document,
            [
                str(_("长治市人大常委会法制工作委员会")),
                timezone.localdate().isoformat(),
            ],
        )
    if not groups:
        style.body(document, _("暂无需要反馈的意见。"))
    return style.docx_bytes(document)
