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

* A **chapter** or **section** starts a line with 第X章 or 第X节, followed by a
  short title (at most 30 characters, no sentence punctuation) or nothing. A
  Markdown heading (``## 第一章 总则``) always counts. Section numbers restart in
  each chapter; article numbers run on through the whole text.
* An **item** starts a line with （一） or (一). Items belong to the paragraph
  before them; a line such as ``1.`` right after an item continues the item.
* Any other line inside an article is a further paragraph.

Before the first chapter or article: the first line is the title (``# 标题`` or
a short plain line), a line such as （草案） right after it joins the title,
dated lines (2020年5月1日…通过) and anything before a ``<!-- … -->`` comment are
history, a table of contents after 目录 is skipped, and what is left is the
preamble.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from django.apps import apps
from django.conf import settings
from django.utils.translation import gettext

from legislation.numerals import article_label, chinese_to_int, int_to_chinese

__all__ = [
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


class DraftFormatError(ValueError):
    """The file cannot be read as a draft regulation."""


# What the stored structure can hold (legislation.models: the numbers are small
# integers, the heading and titles bounded columns); a draft past them is refused
# at the parse, with its line, rather than failing when it is saved.
MAX_NUMBER = 32767
MAX_HEADING_LENGTH = 100
MAX_DIVISION_TITLE_LENGTH = 200


def _too_long(line: int, what: str, limit: int) -> DraftFormatError:
    return DraftFormatError(
        _localise(gettext_noop("第%(line)d行：%(what)s超过%(limit)d个字。"))
        % {"line": line, "what": _localise(what), "limit": limit}
    )


def _check_number(line: int, number: int) -> None:
    if number > MAX_NUMBER:
        raise DraftFormatError(
            _localise(
                gettext_noop("第%(line)d行：编号%(number)d超出范围（最大%(max)d）。")
            )
            % {"line": line, "number": number, "max": MAX_NUMBER}
        )


@dataclass(frozen=True)
class ParsedItem:
    """An item (项) of a paragraph, written （一）… in the text."""

    number: int
    text: str  # without the （一） label

    @property
    def label(self) -> str:
        """Return the label in the canonical form, e.g. （三）."""
        return f"（{int_to_chinese(self.number)}）"

    @property
    def full_text(self) -> str:
        """Return the item as it reads in the article, label included."""
        return self.label + self.text


@dataclass
class ParsedParagraph:
    """A paragraph (款) of an article, with the items that follow it."""

    text: str
    items: list[ParsedItem] = field(default_factory=list)

    @property
    def full_text(self) -> str:
        """Return the paragraph and its items, one per line."""
        lines = [self.text] if self.text else []
        lines.extend(item.full_text for item in self.items)
        return "\n".join(lines)


@dataclass
class ParsedArticle:
    """An article (条): its number, bracketed heading and paragraphs."""

    number: int
    heading: str
    paragraphs: list[ParsedParagraph]
    chapter: int | None
    section: int | None
    line: int  # 1-based line of the 第X条 label in the source text

    @property
    def label(self) -> str:
        """Return the label, e.g. 第十二条."""
        return article_label(self.number)

    @property
    def text(self) -> str:
        """Return the article's text without label and heading, one line each."""
        return "\n".join(
            text for paragraph in self.paragraphs if (text := paragraph.full_text)
        )


@dataclass
class ParsedDivision:
    """A chapter (章) or section (节) heading."""

    kind: str  # "chapter" | "section"
    number: int
    title: str
    line: int
    chapter: int | None  # for a section, the chapter it belongs to

    @property
    def label(self) -> str:
        """Return the label, e.g. 第三章 or 第二节."""
        unit = "章" if self.kind == "chapter" else "节"
        return f"第{int_to_chinese(self.number)}{unit}"


@dataclass
class NumberingProblem:
    """A chapter, section or article whose number does not follow the last."""

    line: int
    unit: str  # "article" | "chapter" | "section"
    kind: str  # "gap" | "repeat" | "order" | "inserted" (第X条之一)
    expected: int
    found: int
    excerpt: str
    message: str


@dataclass
class ParsedDraft:
    """The structure of a draft and the numbering problems found in it."""

    title: str
    preamble: str
    chapters: list[ParsedDivision]
    sections: list[ParsedDivision]
    articles: list[ParsedArticle]
    problems: list[NumberingProblem]
    history: list[str] = field(default_factory=list)  # 通过/修正 lines

    @property
    def ok(self) -> bool:
        """Return whether the numbering is free of problems."""
        return not self.problems


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
_LABEL = re.compile(rf"^第\s?(?P<number>{_NUMERAL})\s?(?P<unit>[条章节])")
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
    unit: str  # "条" | "章" | "节"
    number: int
    rest: str  # what follows the label, tidied
    spaced: bool  # the label is followed by whitespace, a bracket or nothing
    markdown: bool


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
    except ValueError:
        return None
    rest = body[match.end() :]
    spaced = not rest or rest[0] == " " or rest[0] in _BRACKETS
    return _Label(match["unit"], number, rest.strip(), spaced, bool(heading))


def _is_division_title(label: _Label) -> bool:
    """Tell a chapter or section title from a sentence starting 第X章."""
    if label.markdown:
        return True
    title = _fold(label.rest)
    return len(title) <= _MAX_DIVISION_TITLE and not _SENTENCE_PUNCTUATION.search(title)


def _starts_article(label: _Label, previous: int) -> bool:
    """Apply the rule for article labels (see the module docstring)."""
    if label.spaced:
        return True
    if not previous < label.number <= previous + _ARTICLE_STEP:
        return False
    return not label.rest.startswith(_CROSS_REFERENCE)


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


def gettext_noop(message: str) -> str:
    """
    Mark ``message`` for translation and return it unchanged.

    Django's own gettext_noop reads the settings; this module must work without
    them (it is used by scripts and settings-free tests). makemessages finds
    the msgids by this name all the same; _localise translates them when shown.
    """
    return message


def _localise(message: str) -> str:
    """Translate ``message`` when Django is ready; else keep the Chinese msgid."""
    if settings.configured and apps.ready:
        return gettext(message)
    return message


# --- Numbering checks ------------------------------------------------------

_UNIT_CHARACTERS = {"article": "条", "chapter": "章", "section": "节"}
_GAP = gettext_noop("缺少编号")
_REPEAT = gettext_noop("编号重复")
_ORDER = gettext_noop("顺序错误")
_AFTER = gettext_noop(
    "第%(line)d行：%(previous)s之后应为%(expected)s，实为%(found)s（%(reason)s）"
)
_FIRST = gettext_noop(
    "第%(line)d行：第一个编号应为%(expected)s，实为%(found)s（%(reason)s）"
)
_INSERTED = gettext_noop(
    "第%(line)d行：%(found)s是插入的条文，暂不支持，其内容会并入上一条；"
    "请将条文按顺序编号后重新上传"
)
# 第十二条之一: an article inserted by an amendment, numbered after another
# (a label: followed by a space, a bracketed heading or nothing; "第十二条之一
# 规定的…" at the start of a line is a cross-reference).
_INSERTED_LABEL = re.compile(r"^之\s?[一二三四五六七八九十]+(?=\s|[【\[〔]|$)")


def _inserted_problem(line: int, label: _Label, text: str) -> NumberingProblem:
    """Report a 第X条之Y article, which the structure cannot hold yet."""
    suffix = _INSERTED_LABEL.match(label.rest).group().replace(" ", "")
    found = f"第{int_to_chinese(label.number)}条{suffix}"
    return NumberingProblem(
        line=line,
        unit="article",
        kind="inserted",
        expected=label.number + 1,
        found=label.number,
        excerpt=_excerpt(text),
        message=_localise(_INSERTED) % {"line": line, "found": found},
    )


class _Sequence:
    """Check that the numbers of one kind of unit run 1, 2, 3, …"""

    def __init__(self, unit: str, numbers: list[int]) -> None:
        self.unit = unit
        self.upcoming = list(numbers)  # numbers not yet seen, in text order
        self.seen: set[int] = set()
        self.highest = 0
        self.previous: int | None = None
        self.announced: set[int] = set()  # skipped numbers reported as order

    def _label(self, number: int) -> str:
        return f"第{int_to_chinese(number)}{_UNIT_CHARACTERS[self.unit]}"

    def check(self, number: int, line: int, text: str) -> NumberingProblem | None:
        """Take the next number found at ``line``; return the problem, if any."""
        self.upcoming.pop(0)
        expected = self.highest + 1
        kind: str | None = None
        if number in self.seen:
            kind = "repeat"
        elif number > expected:
            missing = range(expected, number)
            if all(n in self.upcoming for n in missing):
                # The skipped numbers follow later: the order is wrong, and
                # saying so once, here, is enough.
                kind = "order"
                self.announced.update(missing)
            else:
                kind = "gap"
        elif number < expected and number not in self.announced:
            kind = "order"
        previous = self.previous
        self.seen.add(number)
        self.highest = max(self.highest, number)
        self.previous = number
        if kind is None:
            return None
        reason = {"gap": _GAP, "repeat": _REPEAT, "order": _ORDER}[kind]
        params = {
            "line": line,
            "expected": self._label(expected),
            "found": self._label(number),
            "reason": _localise(reason),
        }
        if previous is None:
            message = _localise(_FIRST) % params
        else:
            message = _localise(_AFTER) % (params | {"previous": self._label(previous)})
        return NumberingProblem(
            line=line,
            unit=self.unit,
            kind=kind,
            expected=expected,
            found=number,
            excerpt=_excerpt(text),
            message=message,
        )


def _check_numbering(
    chapters: list[ParsedDivision],
    sections: list[ParsedDivision],
    articles: list[ParsedArticle],
    texts: dict[int, str],
) -> list[NumberingProblem]:
    """Check chapters, sections (per chapter) and articles; sort by line."""
    runs: list[tuple[str, list[tuple[int, int]]]] = [
        ("chapter", [(c.number, c.line) for c in chapters]),
        ("article", [(a.number, a.line) for a in articles]),
    ]
    # Section numbers start again after every chapter heading.
    section_runs: list[list[tuple[int, int]]] = [[]]
    for division in sorted(chapters + sections, key=lambda d: d.line):
        if division.kind == "chapter":
            section_runs.append([])
        else:
            section_runs[-1].append((division.number, division.line))
    runs.extend(("section", run) for run in section_runs if run)
    problems = []
    for unit, numbered in runs:
        sequence = _Sequence(unit, [number for number, _ in numbered])
        for number, line in numbered:
            if problem := sequence.check(number, line, texts[line]):
                problems.append(problem)
    return sorted(problems, key=lambda problem: problem.line)


# --- The parser ------------------------------------------------------------


class _Parser:
    """Walk the lines once, keeping the current chapter, section and article."""

    def __init__(self, text: str) -> None:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        first_comment = _COMMENT.search(text)
        comment_end = (
            text.count("\n", 0, first_comment.end()) + 1 if first_comment else 0
        )
        # Comments may span lines: blank them out but keep the line numbers.
        text = _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)
        self.lines = [_tidy(line) for line in text.split("\n")]
        # A comment before the body (e.g. <!-- INFO END -->) closes the
        # metadata: every line above it is history, not preamble.
        before_comment = self.lines[:comment_end]
        self.metadata_end = 0 if any(map(_read_label, before_comment)) else comment_end
        self.title = ""
        self.title_open = False  # a （草案） line may still join the title
        self.history: list[str] = []
        self.history_depth = 0  # open brackets in the history lines
        self.preamble: list[str] = []
        self.in_contents = False
        self.contents_chapters = 0
        self.body_started = False
        self.chapters: list[ParsedDivision] = []
        self.sections: list[ParsedDivision] = []
        self.articles: list[ParsedArticle] = []
        self.chapter: int | None = None
        self.section: int | None = None
        self.last_item_open = False  # a 1. line may continue the last item
        self.inserted: list[NumberingProblem] = []

    def parse(self) -> ParsedDraft:
        for number, line in enumerate(self.lines, start=1):
            if line:
                self._take(number, line)
        if not self.articles:
            raise DraftFormatError(
                _localise(gettext_noop("文本中没有找到任何条文（第一条）。"))
            )
        texts = dict(enumerate(self.lines, start=1))
        problems = _check_numbering(self.chapters, self.sections, self.articles, texts)
        problems = sorted(problems + self.inserted, key=lambda problem: problem.line)
        return ParsedDraft(
            title=self.title,
            preamble="\n".join(self.preamble),
            chapters=self.chapters,
            sections=self.sections,
            articles=self.articles,
            problems=problems,
            history=self.history,
        )

    def _take(self, number: int, line: str) -> None:
        label = _read_label(line)
        if self.in_contents:
            if label is None or (label.unit != "条" and not self._contents_end(label)):
                return  # still in the table of contents
            self.in_contents = False
        if label and label.unit in "章节" and _is_division_title(label):
            self._start_division(number, label)
            return
        previous = self.articles[-1].number if self.articles else 0
        if label and label.unit == "条" and _INSERTED_LABEL.match(label.rest):
            self.inserted.append(_inserted_problem(number, label, line))
        elif label and label.unit == "条" and _starts_article(label, previous):
            self._start_article(number, label)
            return
        if not self.body_started:
            self._take_front_matter(number, line)
            return
        self._take_body_line(line)

    def _contents_end(self, label: _Label) -> bool:
        """Tell the body's first chapter from the table of contents."""
        if label.unit == "章":
            if label.number <= self.contents_chapters:
                return True
            self.contents_chapters = label.number
        return False

    def _take_front_matter(self, number: int, line: str) -> None:
        heading = _MARKDOWN_HEADING.match(line)
        text = _fold(line[heading.end() :] if heading else line)
        if not text:
            return
        if _TABLE_OF_CONTENTS.match(text):
            self.in_contents = True
            self.title_open = False
            return
        if not self.title and not self.history and not self.preamble:
            is_title_like = len(text) <= _MAX_TITLE and not text.endswith(
                ("。", "；", "：", "，")
            )
            if (heading and len(heading.group(1)) == 1) or (
                not heading and is_title_like and not _DATE.match(text)
            ):
                self.title = text
                self.title_open = True
                return
        if self.title_open and _DRAFT_MARK.match(text):
            self.title += text
            return
        self.title_open = False
        if number <= self.metadata_end or self.history_depth or _DATE.match(text):
            # （2004年…通过 2010年…修订） may run over several lines.
            opened = text.count("（") + text.count("(")
            closed = text.count("）") + text.count(")")
            self.history_depth = max(0, self.history_depth + opened - closed)
            # History is shown as written: keep the space after the date.
            self.history.append(line)
            return
        self.preamble.append(text)

    def _start_division(self, number: int, label: _Label) -> None:
        self.body_started = True
        self.title_open = False
        self.last_item_open = False
        title = _fold(label.rest)
        _check_number(number, label.number)
        if len(title) > MAX_DIVISION_TITLE_LENGTH:
            raise _too_long(number, gettext_noop("章节名称"), MAX_DIVISION_TITLE_LENGTH)
        if label.unit == "章":
            self.chapter = label.number
            self.section = None
            self.chapters.append(
                ParsedDivision("chapter", label.number, title, number, None)
            )
        else:
            self.section = label.number
            self.sections.append(
                ParsedDivision("section", label.number, title, number, self.chapter)
            )

    def _start_article(self, number: int, label: _Label) -> None:
        self.body_started = True
        self.title_open = False
        self.last_item_open = False
        heading, text = _split_heading(label.rest)
        _check_number(number, label.number)
        if len(heading) > MAX_HEADING_LENGTH:
            raise _too_long(number, gettext_noop("条旨"), MAX_HEADING_LENGTH)
        paragraphs = [ParsedParagraph(_fold(text))] if text else []
        self.articles.append(
            ParsedArticle(
                number=label.number,
                heading=heading,
                paragraphs=paragraphs,
                chapter=self.chapter,
                section=self.section,
                line=number,
            )
        )

    def _take_body_line(self, line: str) -> None:
        heading = _MARKDOWN_HEADING.match(line)
        text = _fold(line[heading.end() :] if heading else line)
        if not self.articles:
            # Text between a chapter heading and the first article.
            self.preamble.append(text)
            return
        article = self.articles[-1]
        item = _ITEM.match(text)
        if item:
            try:
                item_number = chinese_to_int(item["number"])
            except ValueError:
                item = None
        if item:
            if not article.paragraphs:
                article.paragraphs.append(ParsedParagraph(""))
            article.paragraphs[-1].items.append(
                ParsedItem(item_number, text[item.end() :])
            )
            self.last_item_open = True
            return
        if self.last_item_open and _SUB_ITEM.match(text):
            items = article.paragraphs[-1].items
            items[-1] = ParsedItem(items[-1].number, f"{items[-1].text}\n{text}")
            return
        self.last_item_open = False
        article.paragraphs.append(ParsedParagraph(text))


def parse_draft(text: str) -> ParsedDraft:
    """
    Split ``text`` into title, preamble, chapters, sections and articles.

    Numbering problems do not stop the parse; they are listed in
    ``problems``, sorted by line. Raise DraftFormatError when the text holds no
    article at all. See the module docstring for how lines are recognised.
    """
    return _Parser(text).parse()


# --- Files -----------------------------------------------------------------

_TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
_ENCODINGS = ("utf-8", "utf-8-sig", "gb18030")


def extract_text(filename: str, data: bytes) -> str:
    """
    Return the text of an uploaded draft.

    Text files (.txt, .md, .markdown) are decoded as UTF-8, UTF-8 with a byte
    order mark, or GB18030, trying them in that order (UTF-16 with a byte order
    mark is recognised too). Word documents (.docx) give one line per paragraph,
    tables row by row. Raise DraftFormatError for another file type or a file
    that cannot be read.
    """
    suffix = PurePath(filename).suffix.lower()
    if suffix in _TEXT_SUFFIXES:
        return _decode(data)
    if suffix == ".docx":
        return _docx_text(data)
    if suffix in {".doc", ".wps", ".pdf", ".rtf"}:
        raise DraftFormatError(
            _localise(gettext_noop("不支持%(suffix)s文件，请另存为.docx或.txt后上传。"))
            % {"suffix": suffix}
        )
    raise DraftFormatError(
        _localise(gettext_noop("不支持的文件类型，请上传.docx、.txt或.md文件。"))
    )


def _decode(data: bytes) -> str:
    """Decode a text file; see extract_text for the encodings tried."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in _ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break  # binary data that happens to decode
        return text.removeprefix("\ufeff")
    raise DraftFormatError(
        _localise(gettext_noop("无法识别文件编码，请以UTF-8或GB18030编码保存后上传。"))
    )


def _docx_text(data: bytes) -> str:
    """Return the paragraphs and table rows of a .docx file, in order."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise DraftFormatError(
            _localise(gettext_noop("无法读取该Word文件，请确认是.docx格式且未加密。"))
        ) from error
    lines = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                lines.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(lines)
