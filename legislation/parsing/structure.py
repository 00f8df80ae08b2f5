"""The shapes a parsed draft comes in, its limits, and its error."""

from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.utils.translation import gettext

from legislation.numerals import article_label, int_to_chinese


class DraftFormatError(ValueError):
    """The file cannot be read as a draft regulation."""


# What the stored structure can hold (legislation.models: the numbers are small
# integers, the heading and titles bounded columns); a draft past them is refused
# at the parse, with its line, rather than failing when it is saved.
MAX_NUMBER = 32767
MAX_HEADING_LENGTH = 100
MAX_DIVISION_TITLE_LENGTH = 200


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
    def is_table(self) -> bool:
        """Return whether the paragraph is a table, one ``| a | b |`` row a line."""
        return self.text.startswith("|")

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
    suffix: int = 0  # 第十二条之一: 1; 0 for an ordinary article
    part: int | None = None  # 编
    subpart: int | None = None  # 分编

    @property
    def label(self) -> str:
        """Return the label, e.g. 第十二条 or 第十二条之一."""
        return article_label(self.number, self.suffix)

    @property
    def key(self) -> tuple[int, int]:
        """Return (number, suffix), the order of articles."""
        return (self.number, self.suffix)

    @property
    def text(self) -> str:
        """Return the article's text without label and heading, one line each."""
        return "\n".join(
            text for paragraph in self.paragraphs if (text := paragraph.full_text)
        )


_DIVISION_UNITS = {"part": "编", "subpart": "分编", "chapter": "章", "section": "节"}


@dataclass
class ParsedDivision:
    """A part (编), sub-part (分编), chapter (章) or section (节) heading."""

    kind: str  # "part" | "subpart" | "chapter" | "section"
    number: int
    title: str
    line: int
    chapter: int | None  # for a section, the chapter it belongs to
    part: int | None = None  # the part (编) it belongs to, if any
    subpart: int | None = None  # for a chapter or section, its sub-part
    labelled: bool = True  # False: a bare heading line (保护措施) taken as one

    @property
    def label(self) -> str:
        """Return the label, e.g. 第三章, 第二节 or 第一分编."""
        return f"第{int_to_chinese(self.number)}{_DIVISION_UNITS[self.kind]}"


@dataclass
class NumberingProblem:
    """A chapter, section or article whose number does not follow the last."""

    line: int
    unit: str  # "article" | "part" | "subpart" | "chapter" | "section" | "line"
    # "gap" | "repeat" | "order", or "unplaced": a line that reads as a heading
    # where no heading can be, reported rather than merged into the article.
    kind: str
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
    parts: list[ParsedDivision] = field(default_factory=list)  # 编 and 分编

    @property
    def ok(self) -> bool:
        """Return whether the numbering is free of problems."""
        return not self.problems


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
