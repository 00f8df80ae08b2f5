"""
Chinese official style for generated documents (after GB/T 9704): A4 with the
standard margins, titles in 宋体 (小标宋 where installed), body text in 仿宋,
page numbers centred in the footer, table headers repeated on each page.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell
from docx.text.run import Run
from lxml import etree
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from legislation import tables

# The fonts asked for, first choice first: an office program without one falls
# back on the next (the East Asian font is what Chinese text is set in).
BODY_FONTS = ("仿宋_GB2312", "仿宋", "FangSong")
TITLE_FONTS = ("方正小标宋简体", "宋体", "SimSun")
HEADING_FONTS = ("黑体", "SimHei")
LATIN_FONT = "Times New Roman"


def set_fonts(run_or_style, east_asian: tuple[str, ...]) -> None:
    """Set the Latin and East Asian fonts of a run or style."""
    font = run_or_style.font
    font.name = LATIN_FONT
    r_pr = run_or_style.element.get_or_add_rPr()
    r_fonts = r_pr.get_or_add_rFonts()
    r_fonts.set(qn("w:eastAsia"), east_asian[0])


def new_document(*, landscape: bool = False):  # noqa: ANN201 - a docx Document
    """An empty A4 document in official style, with page numbers."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    if landscape:
        section.orientation = 1
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    if landscape:
        section.top_margin = section.bottom_margin = Cm(2.6)
    normal = document.styles["Normal"]
    set_fonts(normal, BODY_FONTS)
    normal.font.size = Pt(16)  # 三号
    _page_numbers(section)
    _declare_fallbacks(document)
    return document


def _declare_fallbacks(document) -> None:  # noqa: ANN001
    """
    Declare each first-choice Chinese font in the font table with the next ones
    as its alternative names (w:altName) and the GB2312 character set, so that
    an office program without it takes the next one rather than any font.
    """
    part = next(
        p
        for p in document.part.package.iter_parts()
        if str(p.partname) == "/word/fontTable.xml"
    )
    table = etree.fromstring(part.blob)
    for chain in (BODY_FONTS, TITLE_FONTS, HEADING_FONTS):
        font = etree.SubElement(table, qn("w:font"))
        font.set(qn("w:name"), chain[0])
        alt = etree.SubElement(font, qn("w:altName"))
        alt.set(qn("w:val"), ",".join(chain[1:]))
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "86")  # GB2312
        family = etree.SubElement(font, qn("w:family"))
        family.set(qn("w:val"), "modern" if chain is BODY_FONTS else "roman")
    part._blob = etree.tostring(  # noqa: SLF001 - a generic part keeps its bytes
        table, xml_declaration=True, encoding="UTF-8", standalone=True
    )


def _page_numbers(section) -> None:  # noqa: ANN001
    """Centre "— N —" in the footer (a PAGE field the office program fills)."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)  # noqa: SLF001
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)  # noqa: SLF001
    paragraph.add_run(" —")
    for r in paragraph.runs:
        set_fonts(r, TITLE_FONTS)
        r.font.size = Pt(14)


def title(document, text: str) -> None:  # noqa: ANN001
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    set_fonts(run, TITLE_FONTS)
    run.font.size = Pt(22)  # 二号


def subtitle(document, text: str) -> None:  # noqa: ANN001
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    set_fonts(run, BODY_FONTS)
    run.font.size = Pt(14)


def heading(document, text: str) -> None:  # noqa: ANN001
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    set_fonts(run, HEADING_FONTS)
    run.font.size = Pt(16)


def body(document, text: str, *, indent: bool = True) -> None:  # noqa: ANN001
    paragraph = document.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters
    run = paragraph.add_run(text)
    set_fonts(run, BODY_FONTS)


def signature(document, lines: list[str]) -> None:  # noqa: ANN001
    for line in lines:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        set_fonts(paragraph.add_run(line), BODY_FONTS)


def page_break(document) -> None:  # noqa: ANN001
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def repeat_header(row) -> None:  # noqa: ANN001
    """Repeat a table's first row at the top of each page."""
    tr_pr = row._tr.get_or_add_trPr()  # noqa: SLF001
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def cell_text(cell, text: str, *, size: int = 12, bold: bool = False) -> Run:  # noqa: ANN001
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    set_fonts(run, HEADING_FONTS if bold else BODY_FONTS)
    run.font.size = Pt(size)
    return run


def table(document, headers: list[str], rows: list[list[str]], widths=None):  # noqa: ANN001, ANN201
    """A bordered table with a repeated header row, 小四 text."""
    grid = document.add_table(rows=1, cols=len(headers))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, headers, strict=True):
        cell_text(cell, text, bold=True)
    repeat_header(grid.rows[0])
    for values in rows:
        cells = grid.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell_text(cell, str(text))
    if widths:
        for row in grid.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)
    return grid


def _marked_run(paragraph, piece, marked: str, size: int, bold: bool = False):  # noqa: ANN001, ANN202
    """Add ``piece`` as a run: struck through if deleted, bold and underlined
    if inserted, when ``marked`` names that kind of change."""
    run = paragraph.add_run(piece.text)
    set_fonts(run, HEADING_FONTS if bold else BODY_FONTS)
    run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    if piece.op == marked == "delete":
        run.font.strike = True
    elif piece.op == marked == "insert":
        run.font.bold = True
        run.font.underline = True
    return run


def article_text(  # noqa: ANN201
    container,  # noqa: ANN001 - a document or a table cell
    segments,  # noqa: ANN001 - marked segments (op, text) of the article's text
    *,
    paragraph=None,  # noqa: ANN001 - the paragraph the text runs on in, if any
    marked: str = "",
    size: int = 12,
):
    """
    Write an article's text into ``container``, its tables as Word tables.

    Ordinary lines run on in ``paragraph`` (a new one if none), line breaks
    kept; each ``| a | b |`` table (see legislation.tables) becomes a bordered
    table, its header row in bold and repeated on each page, and the text
    after it a new paragraph. ``marked`` ("delete" or "insert") strikes or
    underlines the pieces so marked, in tables cell by cell. Return the last
    paragraph written.
    """
    for block in tables.marked_blocks(segments):
        if not block.is_table:
            if paragraph is None:
                paragraph = container.add_paragraph()
            for piece in block.pieces:
                _marked_run(paragraph, piece, marked, size)
            paragraph = None
            continue
        grid = container.add_table(rows=len(block.rows), cols=block.width)
        grid.style = "Table Grid"
        for row, (header, cells) in zip(grid.rows, block.rows, strict=True):
            if header:
                repeat_header(row)
            for cell, marked_cell in zip(row.cells, cells, strict=False):
                for piece in marked_cell.pieces:
                    _marked_run(cell.paragraphs[0], piece, marked, size - 1, header)
        # In a cell, python-docx ends the cell with an empty paragraph after the
        # table (Word needs one); the text after the table goes there.
        paragraph = container.paragraphs[-1] if isinstance(container, _Cell) else None
    return paragraph


def docx_bytes(document) -> bytes:  # noqa: ANN001
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- spreadsheets ----------------------------------------------------------------

XLSX_FONT = "仿宋"
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def sheet_table(sheet, title_text: str, headers: list[str], rows, widths) -> None:  # noqa: ANN001
    """Fill ``sheet`` with a title row, a header row and ``rows``, for A4 print."""
    sheet.append([title_text])
    sheet.merge_cells(
        start_row=1, start_column=1, end_row=1, end_column=max(1, len(headers))
    )
    sheet["A1"].font = Font(name="宋体", size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(name="黑体", size=11, bold=True)
        cell.fill = PatternFill("solid", fgColor="EEEEEE")
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for values in rows:
        sheet.append(list(values))
        for cell in sheet[sheet.max_row]:
            cell.border = BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if cell.font is None or not cell.font.name:
                cell.font = Font(name=XLSX_FONT, size=11)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    sheet.print_title_rows = "2:2"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.freeze_panes = "A3"
