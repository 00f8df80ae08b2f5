"""Check the numbering of articles, chapters and sections."""

from legislation.numerals import article_label, int_to_chinese

from .lines import _excerpt
from .structure import (
    NumberingProblem,
    ParsedArticle,
    ParsedDivision,
    _localise,
    gettext_noop,
)

# --- Numbering checks ------------------------------------------------------

_UNIT_CHARACTERS = {
    "article": "条",
    "part": "编",
    "subpart": "分编",
    "chapter": "章",
    "section": "节",
}
_GAP = gettext_noop("缺少编号")
_REPEAT = gettext_noop("编号重复")
_ORDER = gettext_noop("顺序错误")
_AFTER = gettext_noop(
    "第%(line)d行：%(previous)s之后应为%(expected)s，实为%(found)s（%(reason)s）"
)
_FIRST = gettext_noop(
    "第%(line)d行：第一个编号应为%(expected)s，实为%(found)s（%(reason)s）"
)
_UNPLACED = gettext_noop(
    "第%(line)d行：“%(found)s”像是标题，但无法确定它属于哪一章节，"
    "已作为上一条的一款保留；请加上“第X章”等编号或改正后重新上传"
)


def _unplaced_problem(line: int, text: str, previous: int) -> NumberingProblem:
    """Report a heading-like line that the parser could not place."""
    return NumberingProblem(
        line=line,
        unit="line",
        kind="unplaced",
        expected=previous,
        found=previous,
        excerpt=_excerpt(text),
        message=_localise(_UNPLACED) % {"line": line, "found": _excerpt(text)},
    )


def _inserted_problems(
    articles: list[ParsedArticle], texts: dict[int, str]
) -> list[NumberingProblem]:
    """
    Check inserted articles (第X条之一): each follows article X or X之(n-1).

    The main sequence leaves them out: 第十条之一 between 第十条 and 第十一条
    is in order.
    """
    problems = []
    previous: tuple[int, int] | None = None
    for article in articles:
        if article.suffix and previous != (article.number, article.suffix - 1):
            expected = article_label(article.number, article.suffix - 1)
            found = article_label(article.number, article.suffix)
            kind = (
                "gap"
                if previous
                and previous[0] == article.number
                and previous[1] < article.suffix - 1
                else "order"
            )
            params = {
                "line": article.line,
                "expected": expected,
                "found": found,
                "reason": _localise(_GAP if kind == "gap" else _ORDER),
                "previous": article_label(*previous) if previous else "",
            }
            message = _localise(_AFTER if previous else _FIRST) % params
            problems.append(
                NumberingProblem(
                    line=article.line,
                    unit="article",
                    kind=kind,
                    expected=article.number,
                    found=article.number,
                    excerpt=_excerpt(texts[article.line]),
                    message=message,
                )
            )
        previous = article.key
    return problems


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


def _restarting_runs(
    divisions: list[ParsedDivision], unit: str, restart: set[str]
) -> list[list[tuple[int, int]]]:
    """Split the numbers of ``unit`` into runs restarting at each ``restart``."""
    runs: list[list[tuple[int, int]]] = [[]]
    for division in sorted(divisions, key=lambda d: d.line):
        if division.kind in restart:
            runs.append([])
        elif division.kind == unit:
            runs[-1].append((division.number, division.line))
    return [run for run in runs if run]


def _check_numbering(
    chapters: list[ParsedDivision],
    sections: list[ParsedDivision],
    articles: list[ParsedArticle],
    texts: dict[int, str],
    parts: list[ParsedDivision] | None = None,
) -> list[NumberingProblem]:
    """
    Check parts, sub-parts (per part), chapters (per part), sections (per
    chapter) and articles (through the whole text); sort by line.
    """
    parts = parts or []
    divisions = parts + chapters + sections
    runs: list[tuple[str, list[tuple[int, int]]]] = [
        ("part", [(p.number, p.line) for p in parts if p.kind == "part"]),
        ("article", [(a.number, a.line) for a in articles if not a.suffix]),
    ]
    # Sub-parts and chapters start again in every part (编); sections in every
    # chapter.
    runs.extend(
        ("subpart", run) for run in _restarting_runs(divisions, "subpart", {"part"})
    )
    runs.extend(
        ("chapter", run) for run in _restarting_runs(divisions, "chapter", {"part"})
    )
    runs.extend(
        ("section", run)
        for run in _restarting_runs(
            divisions, "section", {"part", "subpart", "chapter"}
        )
    )
    problems = _inserted_problems(articles, texts)
    for unit, numbered in runs:
        if not numbered:
            continue
        sequence = _Sequence(unit, [number for number, _ in numbered])
        for number, line in numbered:
            if problem := sequence.check(number, line, texts[line]):
                problems.append(problem)
    return sorted(problems, key=lambda problem: problem.line)
