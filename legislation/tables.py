"""
Tables inside the text of an article, read one way for every page and file.

A table in a draft (a Word table, or a Markdown one) is kept inside its article
as one ``| a | b |`` line per row (see ``parsing``): the article's text stays one
string, which the comparison, the search and the lineage read as they read any
other text. A Markdown rule (``| --- | --- |``) right after the first row marks
that row as the table's header; Word's "repeat as header row" is written so by
``parsing.word``. A rule anywhere else is dropped.

``blocks`` splits a text into runs of ordinary lines and tables, each with the
place of each cell in the text. ``marked_blocks`` lays the marked segments of a
comparison (which join back into the text) over those blocks, so that a changed
cell shows its changed words inside a table on both sides. ``readable`` writes
a text for a spreadsheet or a plain file: each table row on its own line with
its cells separated by tabs, so a cell pasted into a spreadsheet falls back into
columns, and nobody reads pipes.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

__all__ = [
    "Block",
    "Cell",
    "MarkedBlock",
    "MarkedCell",
    "Piece",
    "TableRow",
    "blocks",
    "has_table",
    "is_table_line",
    "marked_blocks",
    "readable",
    "readable_segments",
]

TEXT = "text"
TABLE = "table"
EQUAL = "equal"

_RULE_CELL = re.compile(r"^\s*:?-+:?\s*$")


class _Segment(Protocol):
    op: str
    text: str


def is_table_line(line: str) -> bool:
    """Return whether ``line`` is a table row (or rule): ``| … |``."""
    stripped = line.strip()
    return len(stripped) >= 2 and stripped[0] == "|" and stripped[-1] == "|"


def has_table(text: str) -> bool:
    """Return whether ``text`` holds a table line (cheap, for the common case)."""
    return "|" in text and any(is_table_line(line) for line in text.split("\n"))


@dataclass(frozen=True)
class Cell:
    """One cell: its text (stripped) and where that text is in the article."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class TableRow:
    cells: tuple[Cell, ...]
    header: bool = False


@dataclass(frozen=True)
class Block:
    """Lines of ordinary text, or a table, and where they are in the article."""

    kind: str  # "text" | "table"
    start: int
    end: int
    text: str = ""  # the lines, for a text block
    rows: tuple[TableRow, ...] = ()

    @property
    def is_table(self) -> bool:
        return self.kind == TABLE

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n") if self.text else []

    @property
    def width(self) -> int:
        """The number of columns: the longest row's."""
        return max((len(row.cells) for row in self.rows), default=0)


def _cells(line: str, offset: int) -> list[Cell]:
    """The cells of one ``| a | b |`` line starting at ``offset`` in the text."""
    first = line.index("|")
    last = line.rindex("|")
    cells = []
    position = first + 1
    for raw in line[first + 1 : last].split("|"):
        lead = len(raw) - len(raw.lstrip())
        text = raw.strip()
        start = offset + position + lead
        cells.append(Cell(start, start + len(text), text))
        position += len(raw) + 1
    return cells


def _is_rule(cells: Sequence[Cell]) -> bool:
    return bool(cells) and all(_RULE_CELL.match(cell.text) for cell in cells)


def blocks(text: str) -> list[Block]:
    """
    Split ``text`` into runs of ordinary lines and tables, in order.

    A text block is its lines without the line breaks that part it from a
    table around it; a table block holds its rows (rules left out, the row
    before a rule that follows the first row marked as header). Every cell and
    text block knows where it is in ``text``.
    """
    if not has_table(text):
        return [Block(TEXT, 0, len(text), text)] if text else []
    # Consecutive lines of one kind, as (is a table?, [(offset, line), …]).
    groups: list[tuple[bool, list[tuple[int, str]]]] = []
    offset = 0
    for line in text.split("\n"):
        table = is_table_line(line)
        if groups and groups[-1][0] == table:
            groups[-1][1].append((offset, line))
        else:
            groups.append((table, [(offset, line)]))
        offset += len(line) + 1
    result: list[Block] = []
    for table, lines in groups:
        start = lines[0][0]
        end = lines[-1][0] + len(lines[-1][1])
        if not table:
            if text[start:end].strip():
                result.append(Block(TEXT, start, end, text[start:end]))
            continue
        rows: list[TableRow] = []
        for index, (line_offset, line) in enumerate(lines):
            cells = _cells(line, line_offset)
            if not _is_rule(cells):
                rows.append(TableRow(tuple(cells)))
            elif index == 1:
                rows[0] = TableRow(rows[0].cells, header=True)
        if rows:
            result.append(Block(TABLE, start, end, rows=tuple(rows)))
    return result


# --- Marked segments over the blocks -------------------------------------------


@dataclass(frozen=True)
class Piece:
    """A run of text and how the comparison marks it (equal, insert, delete)."""

    op: str
    text: str


@dataclass(frozen=True)
class MarkedCell:
    pieces: tuple[Piece, ...]

    @property
    def changed(self) -> bool:
        return any(piece.op != EQUAL for piece in self.pieces)

    @property
    def text(self) -> str:
        return "".join(piece.text for piece in self.pieces)


@dataclass(frozen=True)
class MarkedBlock:
    kind: str
    pieces: tuple[Piece, ...] = ()  # a text block's
    rows: tuple[tuple[bool, tuple[MarkedCell, ...]], ...] = ()  # (header, cells)

    @property
    def is_table(self) -> bool:
        return self.kind == TABLE

    @property
    def width(self) -> int:
        return max((len(cells) for _, cells in self.rows), default=0)


class _Overlay:
    """The segments of a text, looked up by a range of the text."""

    def __init__(self, segments: Iterable[_Segment]) -> None:
        self.starts: list[int] = []
        self.segments: list[_Segment] = []
        position = 0
        for segment in segments:
            if segment.text:
                self.starts.append(position)
                self.segments.append(segment)
                position += len(segment.text)
        self.text = "".join(segment.text for segment in self.segments)

    def pieces(self, start: int, end: int) -> tuple[Piece, ...]:
        result: list[Piece] = []
        index = max(bisect.bisect_right(self.starts, start) - 1, 0)
        while index < len(self.segments) and self.starts[index] < end:
            segment = self.segments[index]
            begin = self.starts[index]
            part = segment.text[max(start - begin, 0) : end - begin]
            if part:
                if result and result[-1].op == segment.op:
                    result[-1] = Piece(segment.op, result[-1].text + part)
                else:
                    result.append(Piece(segment.op, part))
            index += 1
        return tuple(result)


def marked_blocks(segments: Iterable[_Segment]) -> list[MarkedBlock]:
    """
    Lay marked ``segments`` (which join into a text) over that text's blocks.

    A text block gets the pieces of its range; a table, for each cell, the
    pieces of the cell's text, so a word changed in a cell is marked in that
    cell and a row added or deleted has all its cells marked. The pipes between
    cells are not shown, so their marks are dropped.
    """
    overlay = _Overlay(segments)
    result = []
    for block in blocks(overlay.text):
        if block.is_table:
            rows = tuple(
                (
                    row.header,
                    tuple(
                        MarkedCell(overlay.pieces(cell.start, cell.end))
                        for cell in row.cells
                    ),
                )
                for row in block.rows
            )
            result.append(MarkedBlock(TABLE, rows=rows))
        else:
            result.append(MarkedBlock(TEXT, overlay.pieces(block.start, block.end)))
    return result


# --- Readable plain text ---------------------------------------------------------


def readable(text: str) -> str:
    """
    Return ``text`` with each table row written as its cells joined by tabs.

    For spreadsheets and plain files, where a table cannot be drawn: the rows
    stay on their own lines, the rules are dropped.
    """
    if not has_table(text):
        return text
    parts = []
    for block in blocks(text):
        if block.is_table:
            parts.extend(
                "\t".join(cell.text for cell in row.cells) for row in block.rows
            )
        else:
            parts.append(block.text)
    return "\n".join(parts)


def readable_segments(segments: Sequence[_Segment]) -> list[Piece]:
    """The marked ``segments`` of a text, over its ``readable`` form."""
    if not any(has_table(segment.text) for segment in segments) and not has_table(
        "".join(segment.text for segment in segments)
    ):
        return [Piece(segment.op, segment.text) for segment in segments]
    result: list[Piece] = []

    def add(piece: Piece) -> None:
        if result and result[-1].op == piece.op:
            result[-1] = Piece(piece.op, result[-1].text + piece.text)
        else:
            result.append(piece)

    for index, block in enumerate(marked_blocks(segments)):
        if index:
            add(Piece(EQUAL, "\n"))
        if not block.is_table:
            for piece in block.pieces:
                add(piece)
            continue
        for row_index, (_, cells) in enumerate(block.rows):
            if row_index:
                add(Piece(EQUAL, "\n"))
            for cell_index, cell in enumerate(cells):
                if cell_index:
                    add(Piece(EQUAL, "\t"))
                for piece in cell.pieces:
                    add(piece)
    return result
