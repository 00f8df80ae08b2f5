"""
Check the rows of a spreadsheet of comments against one consultation.

The file's first row names the columns (:data:`HEADERS`, in any order; only
意见内容 is required, and a few common other spellings are understood).
:class:`Validator` keeps only the errors and counts, so checking a million
rows costs no more memory than checking a few; each clean row comes out as a
compact :class:`CleanRow`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _

from legislation.numerals import chinese_to_int

from ..models import Consultation, Contributor

TEXT = "意见内容"
ARTICLE = "针对条文"
NAME = "提出人姓名"
CONTACT = "联系方式"
KIND = "身份"
AFFILIATION = "工作单位"
DATE = "提出日期"
SUMMARY = "摘要"

# The template's columns, in its order.
HEADERS: tuple[str, ...] = (
    TEXT,
    ARTICLE,
    NAME,
    CONTACT,
    KIND,
    AFFILIATION,
    DATE,
    SUMMARY,
)
REQUIRED: tuple[str, ...] = (TEXT,)
# Other spellings people give the same columns.
ALIASES: dict[str, str] = {
    "意见": TEXT,
    "意见建议": TEXT,
    "意见原文": TEXT,
    "条文": ARTICLE,
    "条款": ARTICLE,
    "针对条款": ARTICLE,
    "姓名": NAME,
    "提出人": NAME,
    "联系电话": CONTACT,
    "电话": CONTACT,
    "手机": CONTACT,
    "手机号码": CONTACT,
    "提出人身份": KIND,
    "身份类别": KIND,
    "单位": AFFILIATION,
    "工作单位或住址": AFFILIATION,
    "日期": DATE,
    "意见摘要": SUMMARY,
}

MAX_TEXT_LENGTH = 5000
MAX_SUMMARY_LENGTH = 2000
MAX_ERRORS = 200  # errors kept and shown; the rest are only counted
PROGRESS_EVERY = 1000  # rows between two progress updates


class CleanRow(NamedTuple):
    """One checked row, ready to be written; compact on purpose."""

    row: int
    text: str
    summary: str
    article_id: int | None
    submitted_on: dt.date
    name: str
    contact: str
    kind: str
    affiliation: str


# --- checking ------------------------------------------------------------------

_ARTICLE_RE = re.compile(
    r"^第?\s*([0-9０-９零〇一二两三四五六七八九十百千]+)\s*条?\s*(第.+[款项])*$"
)
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_article_number(value: str) -> int | None:
    """Read 第十二条, 第12条, 十二 or 12 (optionally with 第二款); None if unreadable."""
    match = _ARTICLE_RE.match(value.strip())
    if not match:
        return None
    try:
        return chinese_to_int(match.group(1))
    except ValueError:
        return None


def parse_date(value: str) -> dt.date | None:
    """Read 2024-09-10, 2024/9/10, 2024.9.10 or 2024年9月10日; None if not a date."""
    match = _DATE_RE.match(value.strip())
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


# --- the rules a comment keeps however it is entered (by hand or imported) --------

# No comment of the city's people's congress predates the People's Republic.
EARLIEST_DATE = dt.date(1949, 1, 1)


def is_blank(text: str) -> bool:
    """
    Whether ``text`` shows nothing: empty, or only whitespace and invisible
    format characters (zero-width space and joiners, byte-order mark, word
    joiner…), as text pasted from web pages and chat apps can be.
    """
    return all(c.isspace() or unicodedata.category(c) == "Cf" for c in text)


def date_problem(day: dt.date, today: dt.date) -> str | None:
    """Say what is wrong with ``day`` as the date a comment was made, if anything."""
    if day < EARLIEST_DATE:
        return _("提出日期不能早于%(year)d年。") % {"year": EARLIEST_DATE.year}
    if day > today:
        return _("提出日期不能晚于今天。")
    return None


def _short(value: str, limit: int = 20) -> str:
    return value if len(value) <= limit else value[:limit] + "…"


class Validator:
    """
    Check rows against one consultation, keeping the errors and counts only.

    ``errors`` holds at most :data:`MAX_ERRORS` entries ``{"row", "column",
    "message"}``; ``error_count`` counts them all.
    """

    def __init__(self, consultation: Consultation) -> None:
        self.consultation = consultation
        self.articles: dict[int, int] = dict(
            consultation.version.articles.values_list("number", "pk")
        )
        kinds: dict[str, str] = {}
        for value, label in Contributor.Kind.choices:
            kinds[value] = value
            kinds[str(label)] = value
        self.kinds = kinds
        self.default_date = consultation.held_on or consultation.opens_on
        self.today = timezone.localdate()
        self.errors: list[dict[str, Any]] = []
        self.error_count = 0
        self.rows_read = 0
        self.columns: dict[str, str] | None = None  # canonical -> file header
        # Every known column -> the file's header for it (its own name if absent).
        self.headers: dict[str, str] = {name: name for name in HEADERS}
        self.limits: tuple[tuple[str, int], ...] = (
            (NAME, Contributor._meta.get_field("name").max_length),
            (CONTACT, Contributor._meta.get_field("contact").max_length),
            (AFFILIATION, Contributor._meta.get_field("affiliation").max_length),
            (SUMMARY, MAX_SUMMARY_LENGTH),
        )

    def error(self, row: int | None, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append({"row": row, "column": column, "message": message})

    def check_header(self, headers: Iterable[str]) -> bool:
        """Map the file's headers to the known columns; False if one is missing."""
        columns: dict[str, str] = {}
        for header in headers:
            canonical = header if header in HEADERS else ALIASES.get(header)
            if canonical and canonical not in columns:
                columns[canonical] = header
        self.columns = columns
        self.headers = {name: columns.get(name, name) for name in HEADERS}
        missing = [name for name in REQUIRED if name not in columns]
        for name in missing:
            self.error(1, name, _("缺少列“%(column)s”。") % {"column": name})
        return not missing

    def clean(self, number: int, row: dict[str, str]) -> CleanRow | None:
        """Check one row; return it clean, or None after recording its errors."""
        headers = self.headers

        def get(name: str) -> tuple[str, str]:
            header = headers[name]
            return header, (row.get(header) or "").strip()

        before = self.error_count
        header, text = get(TEXT)
        if is_blank(text):
            self.error(number, header, _("意见内容不能为空。"))
        elif len(text) > MAX_TEXT_LENGTH:
            self.error(
                number,
                header,
                _("意见内容超过%(max)d字（本行%(length)d字）。")
                % {"max": MAX_TEXT_LENGTH, "length": len(text)},
            )
        article_id = None
        header, value = get(ARTICLE)
        if value:
            article_number = parse_article_number(value)
            if article_number is None:
                self.error(
                    number,
                    header,
                    _("无法识别条文“%(value)s”，请填写如“第十二条”或“12”。")
                    % {"value": _short(value)},
                )
            elif article_number not in self.articles:
                self.error(
                    number,
                    header,
                    _("本次征求意见的草案文本中没有“%(value)s”。")
                    % {"value": _short(value)},
                )
            else:
                article_id = self.articles[article_number]
        header, value = get(DATE)
        submitted_on = self.default_date
        if value:
            submitted_on = parse_date(value)
            if submitted_on is None:
                self.error(
                    number,
                    header,
                    _("日期“%(value)s”无法识别，请使用如 2024-09-10 的格式。")
                    % {"value": _short(value)},
                )
            elif problem := date_problem(submitted_on, self.today):
                self.error(number, header, problem)
        if submitted_on is None:
            submitted_on = self.today
        header, value = get(KIND)
        kind = Contributor.Kind.RESIDENT.value
        if value:
            kind = self.kinds.get(value) or self.kinds.get(value.lower(), "")
            if not kind:
                self.error(
                    number,
                    header,
                    _("身份“%(value)s”不在可选范围内（%(kinds)s）。")
                    % {
                        "value": _short(value),
                        "kinds": "、".join(str(k) for k in Contributor.Kind.labels),
                    },
                )
        fields = {}
        for name, limit in self.limits:
            header, value = get(name)
            if len(value) > limit:
                self.error(
                    number,
                    header,
                    _("%(column)s超过%(max)d个字符。")
                    % {"column": header, "max": limit},
                )
            fields[name] = value
        if self.error_count != before:
            return None
        return CleanRow(
            row=number,
            text=text,
            summary=fields[SUMMARY],
            article_id=article_id,
            submitted_on=submitted_on,
            name=fields[NAME],
            contact=fields[CONTACT],
            kind=kind,
            affiliation=fields[AFFILIATION],
        )

    def iter_clean(
        self,
        rows: Iterable[tuple[int, dict]],
        *,
        progress: Callable[[int], None] | None = None,
    ) -> Iterator[CleanRow]:
        """
        Yield the clean rows of ``rows``, recording the errors of the others.

        Stops at a missing column (every row would fail on it). Calls
        ``progress(rows_read)`` every :data:`PROGRESS_EVERY` rows.
        """
        for number, row in rows:
            if self.columns is None and not self.check_header(row.keys()):
                return
            self.rows_read += 1
            clean = self.clean(number, row)
            if clean is not None:
                yield clean
            if progress is not None and self.rows_read % PROGRESS_EVERY == 0:
                progress(self.rows_read)

    def finish(self) -> None:
        """Record that the file had no rows, if so."""
        if not self.rows_read and not self.error_count:
            self.error(None, "", _("文件中没有意见。"))


def validate(
    rows: Iterable[tuple[int, dict]],
    consultation: Consultation,
    *,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[CleanRow], list[dict[str, Any]]]:
    """
    Check every row; return the clean rows and the errors (at most MAX_ERRORS).

    Holds every clean row in memory: for large files, stream with
    :class:`Validator` as :mod:`consultation.imports.load` does.
    """
    validator = Validator(consultation)
    clean = list(validator.iter_clean(rows, progress=progress))
    validator.finish()
    return clean, validator.errors
