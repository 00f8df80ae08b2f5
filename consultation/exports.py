"""
Comments to spreadsheets: the staff export (with who made each comment) and the
public export (without any personal data, and without receipt codes, which let
anyone look a comment up and belong to its contributor).

Every text cell that a spreadsheet could take for a formula (starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with an
apostrophe, in both exports and both formats.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from typing import Literal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .models import Comment, Contributor, Decision, Reason

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000


def neutralise(value: object) -> str:
    """Render ``value`` as text a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _columns(personal: bool) -> list[str]:
    head = [_("回执码")] if personal else []
    tail = (
        [_("提出人姓名"), _("联系方式"), _("身份"), _("工作单位")] if personal else []
    )
    return [
        *head,
        _("法规案"),
        _("草案文本"),
        _("征求意见活动"),
        _("渠道"),
        _("联系点"),
        _("针对条文"),
        _("意见内容"),
        _("摘要"),
        _("提出日期"),
        _("处理结果"),
        _("理由"),
        _("说明"),
        _("处理日期"),
        *tail,
    ]


def _rows(comments: Iterable[Comment], personal: bool) -> Iterator[list[str]]:
    if isinstance(comments, QuerySet):
        related = ["bill", "consultation__version", "point", "article"]
        if personal:
            related.append("contributor")
        comments = (
            comments.select_related(*related).order_by("pk").iterator(chunk_size=CHUNK)
        )
    kinds = dict(Contributor.Kind.choices)
    statuses = dict(Decision.choices)
    reasons = dict(Reason.choices)
    for c in comments:
        consultation = c.consultation
        row = [
            c.bill.title,
            consultation.version.title,
            consultation.title,
            consultation.get_channel_display(),
            c.point.name if c.point_id else "",
            c.article.label if c.article_id else "",
            c.text,
            c.summary,
            c.submitted_on.isoformat(),
            str(statuses.get(c.status, c.status)),
            str(reasons.get(c.reason, c.reason)) if c.reason else "",
            c.explanation,
            c.decided_at.date().isoformat() if c.decided_at else "",
        ]
        if personal:
            person = getattr(c, "contributor", None)
            row = [
                c.receipt,
                *row,
                person.name if person else "",
                person.contact if person else "",
                str(kinds.get(person.kind, person.kind)) if person else "",
                person.affiliation if person else "",
            ]
        yield [neutralise(value) for value in row]


def export_comments(
    comments: Iterable[Comment], *, fmt: Literal["csv", "xlsx"], personal: bool
) -> bytes:
    """
    Write ``comments`` to a CSV (UTF-8 with BOM, for Excel) or XLSX file.

    ``personal`` adds the receipt code and the contributor columns: only for
    callers who checked that the user may see them
    (:func:`consultation.access.can_see_personal_data`). Querysets are read in
    chunks, with their related rows joined.
    """
    header = _columns(personal)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(_rows(comments, personal))
        return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")
    if fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        book = Workbook(write_only=True)
        sheet = book.create_sheet(_("意见建议"))
        sheet.append(header)
        for row in _rows(comments, personal):
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", value) for value in row])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    raise ValueError(f"Unknown export format: {fmt!r}")
