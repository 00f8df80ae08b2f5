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
