"""Clean up a draft's lines and recognise what each one is."""

import re
from dataclasses import dataclass

from legislation.numerals import chinese_to_int

# --- Normalisation ---------------------------------------------------------

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# Every Unicode space (NBSP, ideographic space U+3000, thin spaces…) and tab.
_SPACES = re.compile(r"[^\S\n]+")
_CJK = (
    r"\u2e80-\u2fff\u3001-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\uf900-\ufaff\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
    r"\u2014\u2018\u2019\u201c\u201d\u2026"
)
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")
_HALF_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_PUNCTUATION_NEXT_TO_CJK = re.compile(rf"(?<=[{_CJK}])[,;:?!]|[,;:?!](?=[{_CJK}])")
_OPENING_NEXT_TO_CJK = re.compile(rf"(?<=[{_CJK}])\((?!\))|\((?=[{_CJK}])")
_CLOSING_NEXT_TO_CJK = re.compile(rf"(?<=[{_CJK}])\)|(?<!\()\)(?=[{_CJK}])")


def _tidy(line: str) -> str:
    """Drop zero-width characters, collapse whitespace, strip the line."""
    return _SPACES.sub(" ", line.translate(_ZERO_WIDTH)).strip()


def _fold(line: str) -> str:
    """Drop spaces between Chinese characters; use Chinese punctuation there."""
    line = _SPACE_BETWEEN_CJK.sub("", line)
    line = _PUNCTUATION_NEXT_TO_CJK.sub(lambda m: _HALF_WIDTH[m.group()], line)
    line = _OPENING_NEXT_TO_CJK.sub("（", line)
    return _CLOSING_NEXT_TO_CJK.sub("）", line)


def _split_lines(text: str) -> list[str]:
    """Split on any line ending: \\n, \\r\\n or \\r."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def normalise(text: str) -> str:
    """
    Return ``text`` cleaned up for storing and comparing.

    Line endings become \\n; zero-width characters (U+200B–U+200D, U+2060,
    U+FEFF, soft hyphen) go; full-width spaces, NBSP, tabs and runs of spaces
    become one space, and lines lose leading and trailing spaces; a space
    between two Chinese characters goes (总  则 → 总则); a half-width comma,
    semicolon, colon, question mark, exclamation mark or parenthesis next to a
    Chinese character becomes full-width. Blank lines at both ends go. The
    number of lines otherwise stays the same.
    """
    lines = [_fold(_tidy(line)) for line in _split_lines(text)]
    return "\n".join(lines).strip("\n")


# --- Recognising lines -----------------------------------------------------

_NUMERAL = r"[零〇一二两三四五六七八九十百千万0-9０-９]+"
_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s*")
_LABEL = re.compile(
    rf"^第\s?(?P<number>{_NUMERAL})\s?(?P<unit>分编|[编条章节])"
    r"(?:(?<=条)之\s?(?P<suffix>[一二三四五六七八九十]+))?"
)
# A Markdown pipe-table row, as Word tables are written out (see files.py).
_TABLE_ROW = re.compile(r"^\|.*\|$")
_ITEM = re.compile(r"^[（(]\s?(?P<number>[零〇一二两三四五六七八九十百]+)\s?[）)]\s?")
_SUB_ITEM = re.compile(r"^(?:\d+|[０-９]+)[.．、]")
_BRACKETS = {"【": "】", "[": "]", "〔": "〕"}
_SENTENCE_PUNCTUATION = re.compile(r"[。；，：;,:]")
_CROSS_REFERENCE = (
    "规定",
    "的",
    "所",
    "之",
    "第",
    "款",
    "项",
    "、",
    "，",
    ",",
    "。",
    "；",
    ";",
    "：",
    ":",
    "和第",
    "或第",
    "至第",
    "及第",
    "以及",
)
_DATE = re.compile(r"^[（(]?\s?(?:\d{4}|[〇零一二三四五六七八九]{4})\s?年")
_DRAFT_MARK = re.compile(r"^[（(][^）)]*(?:草案|稿|意见)[^）)]*[）)]$")
_TABLE_OF_CONTENTS = re.compile(r"^目\s?录$")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_MAX_DIVISION_TITLE = 30
_MAX_TITLE = 60
_ARTICLE_STEP = 3  # how far a label without a space may jump ahead
_EXCERPT = 40


@dataclass
class _Label:
    unit: str  # "条" | "章" | "节" | "编" | "分编"
    number: int
    rest: str  # what follows the label, tidied
    spaced: bool  # the label is followed by whitespace, a bracket or nothing
    markdown: bool
    suffix: int = 0  # 第十条之一: 1 (an article inserted by an amendment)

    @property
    def key(self) -> tuple[int, int]:
        return (self.number, self.suffix)


def _read_label(line: str) -> _Label | None:
    """Read a 第X条/章/节 label at the start of a tidied line."""
    heading = _MARKDOWN_HEADING.match(line)
    body = line[heading.end() :] if heading else line
    if body.startswith(("**", "__")):
        # Bold labels in Markdown: **第一条** 为了… or **第一章 总则**
        body = body.replace(body[:2], "")
    match = _LABEL.match(body)
    if not match:
        return None
    try:
        number = chinese_to_int(match["number"])
        suffix = chinese_to_int(match["suffix"]) if match["suffix"] else 0
    except ValueError:
        return None
    rest = body[match.end() :]
    spaced = not rest or rest[0] == " " or rest[0] in _BRACKETS
    return _Label(match["unit"], number, rest.strip(), spaced, bool(heading), suffix)


def _is_division_title(label: _Label) -> bool:
    """Tell a chapter or section title from a sentence starting 第X章."""
    if label.markdown:
        return True
    title = _fold(label.rest)
    return len(title) <= _MAX_DIVISION_TITLE and not _SENTENCE_PUNCTUATION.search(title)


def _starts_article(label: _Label, previous: tuple[int, int]) -> bool:
    """Apply the rule for article labels (see the module docstring)."""
    if label.spaced:
        return True
    if label.rest.startswith(_CROSS_REFERENCE):
        return False
    if label.suffix:
        # 第十条之一这是…: an inserted article's label cannot be the start of
        # a cross reference once the text after it is not one; the numbering
        # check reports it if it is out of place.
        return True
    return previous[0] < label.number <= previous[0] + _ARTICLE_STEP


def _is_heading_like(text: str) -> bool:
    """A short line without sentence punctuation: a heading, not a sentence."""
    return (
        0 < len(text) <= _MAX_DIVISION_TITLE
        and not _SENTENCE_PUNCTUATION.search(text)
        and not text.endswith(("。", "！", "？"))
        and not _TABLE_ROW.match(text)
    )


def _split_heading(rest: str) -> tuple[str, str]:
    """Split ``【立法目的】为了…`` into the heading and the text after it."""
    closing = _BRACKETS.get(rest[:1])
    if closing:
        end = rest.find(closing)
        if end > 0:
            return _fold(rest[1:end].strip()), rest[end + 1 :].strip()
    return "", rest


def _excerpt(line: str) -> str:
    return line if len(line) <= _EXCERPT else line[: _EXCERPT - 1] + "…"
