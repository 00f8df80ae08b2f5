"""The parser: a draft's lines in, its structure and numbering problems out."""

from legislation.numerals import chinese_to_int

from .lines import (
    _COMMENT,
    _DATE,
    _DRAFT_MARK,
    _ITEM,
    _MARKDOWN_HEADING,
    _MAX_TITLE,
    _SUB_ITEM,
    _TABLE_OF_CONTENTS,
    _TABLE_ROW,
    _fold,
    _is_division_title,
    _is_heading_like,
    _Label,
    _read_label,
    _split_heading,
    _starts_article,
    _tidy,
)
from .numbering import _check_numbering, _unplaced_problem
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
    _localise,
    gettext_noop,
)

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
        self.parts: list[ParsedDivision] = []  # 编 and 分编
        self.chapters: list[ParsedDivision] = []
        self.sections: list[ParsedDivision] = []
        self.articles: list[ParsedArticle] = []
        self.part: int | None = None
        self.subpart: int | None = None
        self.chapter: int | None = None
        self.section: int | None = None
        self.last_item_open = False  # a 1. line may continue the last item
        self.last_table_row = False  # a | row | line may continue a table
        # The heading just read, while no article has followed it: its title
        # may go on on the next line.
        self.open_division: ParsedDivision | None = None
        self.unplaced: list[NumberingProblem] = []

    def parse(self) -> ParsedDraft:
        for number, line in enumerate(self.lines, start=1):
            if line:
                self._take(number, line)
        if not self.articles:
            raise DraftFormatError(
                _localise(gettext_noop("文本中没有找到任何条文（第一条）。"))
            )
        texts = dict(enumerate(self.lines, start=1))
        problems = _check_numbering(
            self.chapters, self.sections, self.articles, texts, self.parts
        )
        problems = sorted(problems + self.unplaced, key=lambda problem: problem.line)
        return ParsedDraft(
            title=self.title,
            preamble="\n".join(self.preamble),
            chapters=self.chapters,
            sections=self.sections,
            articles=self.articles,
            problems=problems,
            history=self.history,
            parts=self.parts,
        )

    def _take(self, number: int, line: str) -> None:
        label = _read_label(line)
        if self.in_contents:
            if label is None or (label.unit != "条" and not self._contents_end(label)):
                return  # still in the table of contents
            self.in_contents = False
        if label and label.unit != "条" and _is_division_title(label):
            self._start_division(number, label)
            return
        previous = self.articles[-1].key if self.articles else (0, 0)
        if label and label.unit == "条" and _starts_article(label, previous):
            self._start_article(number, label)
            return
        if not self.body_started:
            self._take_front_matter(number, line)
            return
        self._take_body_line(number, line)

    def _next_starts_article(self, number: int) -> bool:
        """Tell whether the next non-blank line after ``number`` is a label."""
        for line in self.lines[number:]:
            if line:
                label = _read_label(line)
                return label is not None and (label.unit != "条" or label.spaced)
        return False

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

    def _start_division(
        self, number: int, label: _Label, *, labelled: bool = True
    ) -> None:
        self.body_started = True
        self.title_open = False
        self.last_item_open = False
        self.last_table_row = False
        title = _fold(label.rest)
        _check_number(number, label.number)
        if len(title) > MAX_DIVISION_TITLE_LENGTH:
            raise _too_long(number, gettext_noop("章节名称"), MAX_DIVISION_TITLE_LENGTH)
        if label.unit == "编":
            self.part, self.subpart = label.number, None
            self.chapter = self.section = None
            division = ParsedDivision("part", label.number, title, number, None)
            self.parts.append(division)
        elif label.unit == "分编":
            self.subpart = label.number
            self.chapter = self.section = None
            division = ParsedDivision(
                "subpart", label.number, title, number, None, part=self.part
            )
            self.parts.append(division)
        elif label.unit == "章":
            self.chapter = label.number
            self.section = None
            division = ParsedDivision(
                "chapter",
                label.number,
                title,
                number,
                None,
                part=self.part,
                subpart=self.subpart,
                labelled=labelled,
            )
            self.chapters.append(division)
        else:
            self.section = label.number
            division = ParsedDivision(
                "section",
                label.number,
                title,
                number,
                self.chapter,
                part=self.part,
                subpart=self.subpart,
            )
            self.sections.append(division)
        self.open_division = division

    def _start_article(self, number: int, label: _Label) -> None:
        self.body_started = True
        self.title_open = False
        self.last_item_open = False
        self.last_table_row = False
        self.open_division = None
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
                suffix=label.suffix,
                part=self.part,
                subpart=self.subpart,
            )
        )

    def _take_body_line(self, number: int, line: str) -> None:
        heading = _MARKDOWN_HEADING.match(line)
        text = _fold(line[heading.end() :] if heading else line)
        if self._take_heading_line(number, text):
            return
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
        if _TABLE_ROW.match(text):
            # A table (one | a | b | row a line) is one paragraph of its article.
            if self.last_table_row:
                article.paragraphs[-1].text += "\n" + text
            else:
                article.paragraphs.append(ParsedParagraph(text))
            self.last_table_row = True
            return
        self.last_table_row = False
        article.paragraphs.append(ParsedParagraph(text))

    def _take_heading_line(self, number: int, text: str) -> bool:
        """
        Place a line that reads as a heading (short, no sentence punctuation).

        Right after a heading, before any article, it goes on that heading's
        title (two-line headings). Before an article, in a text whose
        chapters are labelled 第X章, it is the next chapter's bare heading
        (保护措施, 附则). Before an article anywhere else it is reported, and
        kept as a paragraph. Return whether the line was taken.
        """
        if not _is_heading_like(text) or _ITEM.match(text):
            return False
        division = self.open_division
        if division is not None:
            joined = division.title + text
            if len(joined) > MAX_DIVISION_TITLE_LENGTH:
                raise _too_long(
                    number, gettext_noop("章节名称"), MAX_DIVISION_TITLE_LENGTH
                )
            division.title = joined
            return True
        if not self.articles or not self._next_starts_article(number):
            return False
        if self.chapters:
            # Chapter numbers start again in each part (编).
            in_part = [c for c in self.chapters if c.part == self.part]
            last = in_part[-1].number if in_part else 0
            label = _Label("章", last + 1, text, True, False)
            self._start_division(number, label, labelled=False)
            self.open_division = None
            return True
        self.unplaced.append(_unplaced_problem(number, text, self.articles[-1].number))
        return False


def parse_draft(text: str) -> ParsedDraft:
    """
    Split ``text`` into title, preamble, chapters, sections and articles.

    Numbering problems do not stop the parse; they are listed in
    ``problems``, sorted by line. Raise DraftFormatError when the text holds no
    article at all. See the module docstring for how lines are recognised.
    """
    return _Parser(text).parse()


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
