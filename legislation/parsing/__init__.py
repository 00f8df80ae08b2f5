"""
Split the text of a draft regulation into chapters, sections and articles.

A draft arrives as plain text, Markdown or a Word document. ``extract_text``
turns the file into text; ``parse_draft`` finds the title, the history lines,
the preamble, the chapters (章), sections (节), articles (条), paragraphs (款)
and items (项), and reports numbering problems (a gap, a repeat, numbers out of
order) at the line where they occur. The structure is returned even when there
are problems: the caller shows them and decides.

How a line is recognised, after clean-up (zero-width characters removed, runs of
whitespace collapsed, Markdown ``#`` and ``**`` around the label dropped):

* An **article** starts a line with 第X条, X in Chinese or Arabic numerals.

  - If the label is followed by the end of the line, whitespace, or an opening
    bracket (【 [ 〔), the line always starts an article: 第十条 为了…,
    第十条【立法目的】…. Numbering problems are reported for it.
  - If the label is followed directly by text (第十条为了…), the line starts an
    article only when X is one to three more than the previous article's number
    and the text does not read as the rest of a cross reference (规定, 的, 所,
    之, 第, 款, 项, 、, …). So "第十二条规定的情形…" at the start of a
    paragraph stays a paragraph of the current article.
  - 第X条 anywhere but at the start of a line is never a heading.
  - 第X条之一, 之二: an article inserted by an amendment after article X, an
    article in its own right (``suffix`` 1, 2). Followed directly by text it
    starts an article unless the text reads as a cross reference; it must
    follow article X or X之(n-1), else the numbering check reports it.

* A **chapter** or **section** starts a line with 第X章 or 第X节, followed by a
  short title (at most 30 characters, no sentence punctuation) or nothing. A
  Markdown heading (``## 第一章 总则``) always counts. Section numbers restart in
  each chapter; article numbers run on through the whole text.
* A **part** (第X编) or **sub-part** (第X分编) stands above chapters. Chapter
  numbers restart in each part (not in each sub-part), as in a code.
* A line that reads as a heading (at most 30 characters, no sentence
  punctuation) right after a heading, before any article, continues that
  heading (two-line headings; 第一章 alone on a line takes the next as its
  title). Between articles, followed by an article, it is a bare chapter
  heading (保护措施, 附则) in a text whose chapters are labelled; elsewhere it
  is reported at its line ("unplaced") and kept as a paragraph, never merged
  without a word.
* A **table** is one ``| a | b |`` line per row (Word tables are written so by
  ``extract_text``); consecutive rows are one paragraph of the article.
* An **item** starts a line with （一） or (一). Items belong to the paragraph
  before them; a line such as ``1.`` right after an item continues the item.
* Any other line inside an article is a further paragraph.

Before the first chapter or article: the first line is the title (``# 标题`` or
a short plain line), a line such as （草案） right after it joins the title,
dated lines (2020年5月1日…通过) and anything before a ``<!-- … -->`` comment are
history, a table of contents after 目录 is skipped, and what is left is the
preamble.
"""

from .files import extract_text
from .lines import normalise
from .parser import parse_draft
from .structure import (
    MAX_DIVISION_TITLE_LENGTH,
    MAX_HEADING_LENGTH,
    MAX_NUMBER,
    DraftFormatError,
    NumberingProblem,
    ParsedArticle,
    ParsedDivision,
    ParsedDraft,
    ParsedItem,
    ParsedParagraph,
)

__all__ = [
    "MAX_DIVISION_TITLE_LENGTH",
    "MAX_HEADING_LENGTH",
    "MAX_NUMBER",
    "DraftFormatError",
    "NumberingProblem",
    "ParsedArticle",
    "ParsedDivision",
    "ParsedDraft",
    "ParsedItem",
    "ParsedParagraph",
    "extract_text",
    "normalise",
    "parse_draft",
]
