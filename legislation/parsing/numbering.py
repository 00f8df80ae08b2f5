"""Check the numbering of articles, chapters and sections."""

import re

from legislation.numerals import int_to_chinese

from .lines import _excerpt, _Label
from .structure import (
    NumberingProblem,
    ParsedArticle,
    ParsedDivision,
    _localise,
    gettext_noop,
)

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
