"""
Comments to spreadsheets: the export for a reader (with who made each comment,
where :func:`consultation.access.can_see_personal_data` lets them see it) and the
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

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from legislation.numerals import article_label

from . import access
from .models import (
    Channel,
    Comment,
    Contributor,
    Decision,
    Reason,
    format_receipt_code,
)

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


# What a row shows, read as plain values: no model instances, and none of the
# large texts of the joined rows (a draft's source text, an article's text).
FIELDS = (
    "receipt_code",
    "bill__title",
    "consultation__version__title",
    "consultation__title",
    "consultation__channel",
    "point__name",
    "article__number",
    "text",
    "summary",
    "submitted_on",
    "status",
    "reason",
    "explanation",
    "decided_at",
)
PERSONAL_FIELDS = (
    "point_id",
    "contributor__name",
    "contributor__contact",
    "contributor__kind",
    "contributor__affiliation",
)


def _rows(
    comments: Iterable[Comment], reader: Model | AnonymousUser | None
) -> Iterator[list[str]]:
    personal = reader is not None
    if not isinstance(comments, QuerySet):
        comments = Comment.objects.filter(pk__in=[c.pk for c in comments])
    if not comments.ordered:
        comments = comments.order_by("pk")
    fields = FIELDS + PERSONAL_FIELDS if personal else FIELDS
    channels = dict(Channel.choices)
    kinds = dict(Contributor.Kind.choices)
    statuses = dict(Decision.choices)
    reasons = dict(Reason.choices)
    for values in comments.values_list(*fields).iterator(chunk_size=CHUNK):
        (
            code,
            bill,
            version,
            consultation,
            channel,
            point,
            article,
            text,
            summary,
            submitted_on,
            status,
            reason,
            explanation,
            decided_at,
            *person,
        ) = values
        row = [
            bill,
            version,
            consultation,
            str(channels.get(channel, channel)),
            point or "",
            article_label(article) if article else "",
            text,
            summary,
            submitted_on.isoformat(),
            str(statuses.get(status, status)),
            str(reasons.get(reason, reason)) if reason else "",
            explanation,
            timezone.localdate(decided_at).isoformat() if decided_at else "",
        ]
        if personal:
            point_id, name, contact, kind, affiliation = person
            if not access.can_see_personal_data(reader, {"point_id": point_id}):
                code = name = contact = kind = affiliation = None
            row = [
                format_receipt_code(code) if code else "",
                *row,
                name or "",
                contact or "",
                str(kinds.get(kind, kind)) if kind else "",
                affiliation or "",
            ]
        yield [neutralise(value) for value in row]


def export_comments(
    comments: Iterable[Comment],
    *,
    fmt: Literal["csv", "xlsx"],
    reader: Model | AnonymousUser | None = None,
) -> bytes:
    """
    Write ``comments`` to a CSV (UTF-8 with BOM, for Excel) or XLSX file.

    With a ``reader``, the receipt code and the contributor columns are added,
    filled in on the rows whose personal data the reader may see
    (:func:`consultation.access.can_see_personal_data`) and left empty on the
    others. Without one, the public export: no such columns. A queryset keeps
    its order (by primary key if it has none) and is read in one query, in
    chunks.
    """
    header = _columns(reader is not None)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(_rows(comments, reader))
        return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")
    if fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        book = Workbook(write_only=True)
        sheet = book.create_sheet(_("意见建议"))
        sheet.append(header)
        for row in _rows(comments, reader):
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", value) for value in row])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    raise ValueError(f"Unknown export format: {fmt!r}")
