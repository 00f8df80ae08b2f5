"""
The text of a Word (.docx) draft: paragraphs with their automatic numbering,
tables as rows.

Drafting offices often let Word number the articles: the paragraph holds only
the text, and 第一条, 第二条 … come from the numbering definitions
(numbering.xml, e.g. a level written ``第%1条`` counted in Chinese). python-docx
reads the paragraphs but not the numbers, so they are counted here as Word
counts them: per list definition, each level restarting when a higher one
moves on, with a list's own start overrides.

A table becomes one ``| cell | cell |`` line per row (merged cells once), so
that the parser keeps it as a table inside its article instead of running the
cells into the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from legislation.numerals import int_to_chinese

_PLACEHOLDER = re.compile(r"%([1-9])")
# Number formats counted in Chinese; anything else is written in digits.
_CHINESE_FORMATS = {
    "chineseCounting",
    "chineseCountingThousand",
    "chineseLegalSimplified",
    "taiwaneseCounting",
    "taiwaneseCountingThousand",
}


@dataclass(frozen=True)
class _Level:
    number_format: str
    text: str  # e.g. 第%1条
    start: int
    suffix: str  # what Word puts after the label: a tab, a space or nothing


@dataclass
class _Numbering:
    """The numbering definitions of a document, and the counts so far."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)
    lists: dict[str, tuple[str, dict[int, int]]] = field(default_factory=dict)
    counts: dict[str, dict[int, int]] = field(default_factory=dict)
    started: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, document: Document) -> _Numbering:
        numbering = cls()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return numbering
        for abstract in root.findall(qn("w:abstractNum")):
            levels = {}
            for level in abstract.findall(qn("w:lvl")):
                levels[int(level.get(qn("w:ilvl"), "0"))] = _Level(
                    _value(level, "w:numFmt", "decimal"),
                    _value(level, "w:lvlText", ""),
                    int(_value(level, "w:start", "1")),
                    _value(level, "w:suff", "tab"),
                )
            numbering.levels[abstract.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            abstract_id = _value(num, "w:abstractNumId", "")
            overrides = {}
            for override in num.findall(qn("w:lvlOverride")):
                start = override.find(qn("w:startOverride"))
                if start is not None:
                    overrides[int(override.get(qn("w:ilvl"), "0"))] = int(
                        start.get(qn("w:val"))
                    )
            numbering.lists[num.get(qn("w:numId"))] = (abstract_id, overrides)
        return numbering

    def label(self, paragraph: Paragraph) -> str:
        """Count ``paragraph`` if Word numbers it; return its label, or ""."""
        found = _numbering_of(paragraph)
        if found is None or found[0] not in self.lists:
            return ""
        num_id, level = found
        abstract_id, overrides = self.lists[num_id]
        levels = self.levels.get(abstract_id, {})
        if level not in levels:
            return ""
        counts = self.counts.setdefault(abstract_id, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for overridden, start in overrides.items():
                counts[overridden] = start - 1
        counts[level] = counts.get(level, levels[level].start - 1) + 1
        for deeper in [n for n in counts if n > level]:
            del counts[deeper]  # a lower level starts again

        def place(match: re.Match[str]) -> str:
            at = int(match.group(1)) - 1
            definition = levels.get(at)
            value = counts.get(at, definition.start if definition else 1)
            if definition and definition.number_format in _CHINESE_FORMATS:
                return int_to_chinese(value)
            return str(value)

        text = _PLACEHOLDER.sub(place, levels[level].text)
        if not text:
            return ""
        return text + ("" if levels[level].suffix == "nothing" else " ")


def _value(element, tag: str, default: str) -> str:
    child = element.find(qn(tag))
    if child is None:
        return default
    return child.get(qn("w:val"), default)


def _numbering_of(paragraph: Paragraph) -> tuple[str, int] | None:
    """Return (list id, level) of a numbered paragraph, from it or its style."""
    properties = paragraph._p.pPr
    candidates = [properties.numPr if properties is not None else None]
    style = paragraph.style
    while style is not None:
        style_properties = style.element.pPr
        candidates.append(
            style_properties.numPr if style_properties is not None else None
        )
        style = style.base_style
    num_id = level = None
    for numbering in candidates:
        if numbering is None:
            continue
        if num_id is None and numbering.numId is not None:
            num_id = str(numbering.numId.val)
        if level is None and numbering.ilvl is not None:
            level = numbering.ilvl.val
    if num_id is None or num_id == "0":
        return None
    return num_id, level or 0


def _table_rows(table: Table) -> list[str]:
    """
    Write a table one ``| a | b |`` line a row, each merged cell once.

    A first row Word repeats as a header (``w:tblHeader``) is followed by a
    Markdown rule, which marks it as the header (see legislation.tables).
    """
    rows = []
    for index, row in enumerate(table.rows):
        cells = []
        seen = set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()).replace("|", "｜"))
        rows.append("| " + " | ".join(cells) + " |")
        if index == 0 and _is_header(row):
            rows.append("| " + " | ".join("---" for _ in cells) + " |")
    return rows


def _is_header(row) -> bool:  # noqa: ANN001 - a python-docx table row
    properties = row._tr.trPr  # noqa: SLF001
    if properties is None:
        return False
    flag = properties.find(qn("w:tblHeader"))
    return flag is not None and flag.get(qn("w:val"), "true") not in ("0", "false")


def docx_lines(document: Document) -> list[str]:
    """Return the document's paragraphs (numbered as Word shows them) and tables."""
    numbering = _Numbering.of(document)
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(numbering.label(block) + block.text)
        elif isinstance(block, Table):
            lines.extend(_table_rows(block))
    return lines
