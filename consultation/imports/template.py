"""
Make the blank spreadsheets (CSV and XLSX) that clerks fill in to import comments.
"""

from __future__ import annotations

import codecs
import csv
import io

from django.utils.translation import gettext as _

from ..models import Contributor
from .validate import (
    AFFILIATION,
    ARTICLE,
    CONTACT,
    DATE,
    HEADERS,
    KIND,
    MAX_TEXT_LENGTH,
    NAME,
    SUMMARY,
    TEXT,
)


def template_csv() -> bytes:
    """Return the CSV template: the header row, UTF-8 with a BOM for Excel."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(HEADERS)
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def template_xlsx() -> bytes:
    """Return the XLSX template: the header row, and a sheet of instructions."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "意见"
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 60
    for letter in "BCDEFGH":
        sheet.column_dimensions[letter].width = 16
    notes = book.create_sheet("填写说明")
    kinds = "、".join(str(label) for label in Contributor.Kind.labels)
    for line in (
        (TEXT, _("必填。意见原文，不超过%(max)d字。") % {"max": MAX_TEXT_LENGTH}),
        (ARTICLE, _("可空。如“第十二条”或“12”，须是本次征求意见草案中的条文。")),
        (NAME, _("可空。不公开。")),
        (CONTACT, _("可空。手机或其他联系方式，不公开。")),
        (KIND, _("可空，默认为居民。可填：%(kinds)s。") % {"kinds": kinds}),
        (AFFILIATION, _("可空。不公开。")),
        (DATE, _("可空，格式如 2024-09-10；空则取活动日期。")),
        (SUMMARY, _("可空。意见摘要。")),
    ):
        notes.append(list(line))
    notes.column_dimensions["A"].width = 14
    notes.column_dimensions["B"].width = 80
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
