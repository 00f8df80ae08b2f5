"""
The comment-adoption report (意见采纳情况报告) on one bill: the consultations
held, the totals by channel, point and article (the statistics page's own
numbers), the adopted and partially adopted comments with the change each
caused, and the reasons for not adopting, grouped.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from legislation import tables
from legislation.models import Bill

from ..models import Comment, Consultation, Decision, Reason
from ..selectors import comment_places, comment_stats
from . import style

# How many not-adopted comments each reason quotes.
EXAMPLES_PER_REASON = 3


@dataclass
class ReportData:
    bill: Bill
    stats: dict[str, Any]
    consultations: list[Consultation]
    adopted: list[tuple[Comment, list]]  # comment, places
    reasons: list[tuple[str, int, list[str]]]  # label, count, example texts


def report_data(*, bill: Bill) -> ReportData:
    """
    Gather the report on ``bill``: the statistics page's counts (public
    comments), its published consultations, its adopted comments with their
    places and the reasons for not adopting. A fixed number of queries.
    """
    stats = comment_stats(bill=bill)
    consultations = list(
        Consultation.objects.filter(bill=bill, is_published=True)
        .select_related("version", "point")
        .order_by("held_on", "opens_on", "pk")
    )
    public = Comment.objects.filter(
        bill=bill, consultation__is_published=True, bill__is_published=True
    )
    adopted = list(
        public.filter(status__in=[Decision.ADOPTED, Decision.PARTIALLY_ADOPTED])
        .select_related("article")
        .order_by("pk")
    )
    places = comment_places(c.pk for c in adopted)
    grouped: dict[str, list[str]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for reason, text in (
        public.filter(status=Decision.NOT_ADOPTED)
        .order_by("reason", "pk")
        .values_list("reason", "text")
    ):
        counts[reason] += 1
        if len(grouped[reason]) < EXAMPLES_PER_REASON:
            grouped[reason].append(text)
    reasons = [
        (str(label), counts[value], grouped[value])
        for value, label in Reason.choices
        if counts.get(value)
    ]
    return ReportData(
        bill=bill,
        stats=stats,
        consultations=consultations,
        adopted=[(c, places.get(c.pk, [])) for c in adopted],
        reasons=reasons,
    )


def _place_text(place, text: str | None = None) -> str:  # noqa: ANN001
    """Where a comment went, in words; an article's tables as readable rows."""
    if place.article is None:
        return _("未写入条文：%(what)s") % {"what": place.elsewhere}
    return _("写入%(version)s%(label)s：%(text)s") % {
        "version": place.article.version.get_kind_display(),
        "label": place.article.label,
        "text": tables.readable(place.article.text) if text is None else text,
    }


def write_place(document, place) -> None:  # noqa: ANN001
    """Where a comment went, in a document: an article's tables as Word tables."""
    if place.article is None or not tables.has_table(place.article.text):
        style.body(document, _place_text(place))
        return
    style.body(document, _place_text(place, ""))
    style.article_text(document, [tables.Piece("equal", place.article.text)])


def _consultation_row(c: Consultation) -> list[str]:
    when = (
        c.held_on.isoformat()
        if c.held_on
        else f"{c.opens_on.isoformat()}—{c.closes_on.isoformat()}"
    )
    return [
        when,
        c.title,
        c.get_channel_display(),
        c.version.get_kind_display(),
        str(c.participants or ""),
    ]


def _group_rows(groups: list[dict]) -> list[list[str]]:
    return [[g["label"] or _("（无）"), str(g["count"])] for g in groups if g["count"]]


def adoption_report_docx(*, bill: Bill) -> bytes:
    data = report_data(bill=bill)
    stats = data.stats
    document = style.new_document()
    style.title(
        document, _("关于《%(title)s》征求意见采纳情况的报告") % {"title": bill.title}
    )
    style.heading(document, _("一、征求意见的基本情况"))
    style.body(
        document,
        _(
            "共开展征求意见活动%(consultations)d次，收到意见建议%(total)d条，"
            "已研究处理%(decided)d条，其中采纳%(adopted)d条，部分采纳%(partial)d条。"
        )
        % {
            "consultations": len(data.consultations),
            "total": stats["total"],
            "decided": stats["decided"],
            "adopted": stats["adopted"],
            "partial": stats["partially_adopted"],
        },
    )
    style.table(
        document,
        [_("日期"), _("名称"), _("渠道"), _("文本"), _("人数")],
        [_consultation_row(c) for c in data.consultations],
    )
    style.heading(document, _("二、意见的分布"))
    for caption, key in (
        (_("按渠道"), "by_channel"),
        (_("按基层立法联系点"), "by_point"),
        (_("按条文"), "by_article"),
        (_("按处理结果"), "by_status"),
    ):
        style.body(document, caption, indent=False)
        style.table(document, [_("类别"), _("意见数")], _group_rows(stats[key]))
    style.heading(document, _("三、采纳和部分采纳的意见"))
    for index, (comment, places) in enumerate(data.adopted, start=1):
        style.body(
            document,
            f"{index}. {comment.text}（{comment.get_status_display()}）",
        )
        for place in places:
            write_place(document, place)
        if not places and comment.explanation:
            style.body(document, comment.explanation)
    style.heading(document, _("四、未采纳意见的理由"))
    for label, count, examples in data.reasons:
        style.body(
            document, _("%(label)s：%(count)d条。") % {"label": label, "count": count}
        )
        for text in examples:
            style.body(document, f"如：“{text}”")
    style.signature(
        document,
        [str(_("长治市人大常委会法制工作委员会")), timezone.localdate().isoformat()],
    )
    return style.docx_bytes(document)


def adoption_report_xlsx(*, bill: Bill) -> bytes:
    data = report_data(bill=bill)
    stats = data.stats
    book = Workbook()
    first = book.active
    first.title = str(_("总体情况"))
    style.sheet_table(
        first,
        _("《%(title)s》征求意见采纳情况") % {"title": bill.title},
        [str(_("项目")), str(_("数量"))],
        [
            [str(_("征求意见活动")), len(data.consultations)],
            [str(_("意见建议")), stats["total"]],
            [str(_("已研究处理")), stats["decided"]],
            [str(_("采纳")), stats["adopted"]],
            [str(_("部分采纳")), stats["partially_adopted"]],
        ],
        [40, 16],
    )
    for caption, key in (
        (_("按渠道"), "by_channel"),
        (_("按联系点"), "by_point"),
        (_("按条文"), "by_article"),
        (_("按处理结果"), "by_status"),
    ):
        sheet = book.create_sheet(str(caption))
        rows = [
            [g["label"] or str(_("（无）")), g["count"]]
            for g in stats[key]
            if g["count"]
        ]
        style.sheet_table(
            sheet, str(caption), [str(_("类别")), str(_("意见数"))], rows, [50, 14]
        )
    sheet = book.create_sheet(str(_("采纳的意见")))
    style.sheet_table(
        sheet,
        str(_("采纳和部分采纳的意见")),
        [str(_("意见")), str(_("处理结果")), str(_("写入条文"))],
        [
            [
                c.text,
                c.get_status_display(),
                "\n".join(_place_text(p) for p in places) or c.explanation,
            ]
            for c, places in data.adopted
        ],
        [60, 12, 60],
    )
    sheet = book.create_sheet(str(_("未采纳理由")))
    style.sheet_table(
        sheet,
        str(_("未采纳意见的理由")),
        [str(_("理由")), str(_("意见数")), str(_("举例"))],
        [
            [label, count, "\n".join(examples)]
            for label, count, examples in data.reasons
        ],
        [30, 10, 80],
    )
    sheet = book.create_sheet(str(_("征求意见活动")))
    style.sheet_table(
        sheet,
        str(_("征求意见活动")),
        [
            str(_("日期")),
            str(_("名称")),
            str(_("渠道")),
            str(_("文本")),
            str(_("人数")),
        ],
        [_consultation_row(c) for c in data.consultations],
        [24, 60, 18, 14, 8],
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
