"""
The comparison table (修改对照表) as handed to the committee: three columns,
原条文 / 修改后条文 / 说明; deleted words struck through, added words in bold
and underlined; articles only renumbered folded into one note or listed; the
comments behind each change in the 说明 column.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from legislation import comparison, tables
from legislation.models import Bill, DraftVersion

from ..selectors import RowComments, row_comments
from . import style

STATUS_NOTES = {  # labels read at render time
    comparison.CHANGED: gettext_lazy("修改"),
    comparison.ADDED: gettext_lazy("新增"),
    comparison.DELETED: gettext_lazy("删除"),
    comparison.RENUMBERED: gettext_lazy("条文序号调整"),
}
# How much of a comment the 说明 column quotes.
QUOTE_LENGTH = 60


def _rows(rows: list[comparison.Row], renumbered: str) -> tuple[list, list]:
    """The rows to show and the renumbered-only ones folded into a note."""
    shown, folded = [], []
    for row in rows:
        if row.status == comparison.UNCHANGED:
            continue
        if row.status == comparison.RENUMBERED and renumbered == "fold":
            folded.append(row)
            continue
        shown.append(row)
    return shown, folded


def _note(row: comparison.Row, behind: RowComments | None) -> str:
    parts = [str(STATUS_NOTES.get(row.status, ""))]
    if row.renumbered and row.status == comparison.CHANGED:
        parts.append(
            _("条文序号由%(old)s调整为%(new)s")
            % {"old": row.old.label, "new": row.new.label}
        )
    if behind is not None and behind.count:
        parts.append(_("根据%(count)d条意见修改") % {"count": behind.count})
        for text in behind.examples:
            quoted = text if len(text) <= QUOTE_LENGTH else text[:QUOTE_LENGTH] + "…"
            parts.append(f"“{quoted}”")
    return "；".join(p for p in parts if p)


def _label(side: comparison.Side | None) -> str:
    return f"{side.label} " if side else ""


def _folded_note(folded: list[comparison.Row]) -> str:
    return _("以下条文仅序号调整，内容未作修改：%(list)s。") % {
        "list": "、".join(f"{r.old.label}→{r.new.label}" for r in folded)
    }


def _title(bill: Bill) -> str:
    return _("《%(title)s》修改对照表") % {"title": bill.title}


def _subtitle(old: DraftVersion, new: DraftVersion) -> str:
    return _("（%(old)s与%(new)s对照）") % {
        "old": old.get_kind_display(),
        "new": new.get_kind_display(),
    }


def comparison_docx(
    *,
    bill: Bill,
    old: DraftVersion,
    new: DraftVersion,
    rows: list[comparison.Row],
    public: bool = True,
    renumbered: str = "fold",
) -> bytes:
    """
    The comparison table of ``rows`` (old → new) as a DOCX file, landscape A4.
    ``renumbered`` is "fold" (one note) or "list" (a row each).
    """
    behind = row_comments(old=old, new=new, public=public)
    shown, folded = _rows(rows, renumbered)
    document = style.new_document(landscape=True)
    style.title(document, _title(bill))
    style.subtitle(document, _subtitle(old, new))
    grid = document.add_table(rows=1, cols=3)
    grid.style = "Table Grid"
    for cell, text in zip(
        grid.rows[0].cells, (_("原条文"), _("修改后条文"), _("说明")), strict=True
    ):
        style.cell_text(cell, text, bold=True)
    style.repeat_header(grid.rows[0])
    for row in shown:
        old_cell, new_cell, note_cell = grid.add_row().cells
        _segments(old_cell, row.old, row.old_segments, comparison.DELETE)
        _segments(new_cell, row.new, row.new_segments, comparison.INSERT)
        style.cell_text(
            note_cell, _note(row, behind.get(row.new.key) if row.new else None)
        )
    if folded:
        style.body(document, _folded_note(folded))
    return style.docx_bytes(document)


def _segments(cell, side, segments, marked: str) -> None:  # noqa: ANN001
    """The article's label, then its text marked; its tables as Word tables."""
    if side is None:
        return
    style.cell_text(cell, _label(side), bold=True)
    style.article_text(
        cell,
        segments or [comparison.Segment(comparison.EQUAL, side.text)],
        paragraph=cell.paragraphs[0],
        marked=marked,
    )


def comparison_xlsx(
    *,
    bill: Bill,
    old: DraftVersion,
    new: DraftVersion,
    rows: list[comparison.Row],
    public: bool = True,
    renumbered: str = "fold",
) -> bytes:
    """The comparison table as an XLSX sheet, marked as the DOCX is."""
    behind = row_comments(old=old, new=new, public=public)
    shown, folded = _rows(rows, renumbered)
    book = Workbook()
    sheet = book.active
    sheet.title = str(_("修改对照表"))
    values = []
    for row in shown:
        values.append(
            [
                _rich(row.old, row.old_segments, comparison.DELETE),
                _rich(row.new, row.new_segments, comparison.INSERT),
                _note(row, behind.get(row.new.key) if row.new else None),
            ]
        )
    style.sheet_table(
        sheet,
        f"{_title(bill)}{_subtitle(old, new)}",
        [str(_("原条文")), str(_("修改后条文")), str(_("说明"))],
        values,
        [60, 60, 40],
    )
    if folded:
        sheet.append([_folded_note(folded)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rich(side, segments, marked: str):  # noqa: ANN001, ANN202
    """
    The article's label and marked text in one cell. A spreadsheet cell cannot
    hold a table: a table's rows are written on their own lines, cells apart by
    tabs (legislation.tables.readable), so nobody reads pipes.
    """
    if side is None:
        return ""
    text = CellRichText(
        TextBlock(InlineFont(rFont=style.XLSX_FONT, b=True), _label(side))
    )
    segments = segments or [comparison.Segment(comparison.EQUAL, side.text)]
    for segment in tables.readable_segments(segments):
        font = InlineFont(rFont=style.XLSX_FONT)
        if segment.op == marked == comparison.DELETE:
            font = InlineFont(rFont=style.XLSX_FONT, strike=True)
        elif segment.op == marked == comparison.INSERT:
            font = InlineFont(rFont=style.XLSX_FONT, b=True, u="single")
        if segment.text:
            text.append(TextBlock(font, segment.text))
    return text
