"""
A version of a bill, or a text in force, as plain text: the way it is printed.

The title, the preamble, then each part (编), sub-part (分编), chapter and
section heading where it begins and each article as ``第十二条　…`` with its
paragraphs and items on their lines. Read from the parsed structure, not from
the text as it was uploaded, so the plain text and the Akoma Ntoso document of
a version always say the same.
"""

from __future__ import annotations

from .models import DraftVersion

SPACE = "\u3000"  # the ideographic space printed after a heading's number


def plain_text(version: DraftVersion) -> str:
    """Return ``version`` as plain text, lines ending in ``\\n``. Two queries."""
    lines = [version.title, ""]
    if version.preamble:
        lines += [*version.preamble.splitlines(), ""]
    seen: set[tuple[str, int]] = set()

    def heading(kind: str, unit) -> None:  # noqa: ANN001 - a Part, Chapter, Section
        if unit is None or (kind, unit.pk) in seen:
            return
        seen.add((kind, unit.pk))
        lines.append(f"{unit.label}{SPACE}{unit.title}".rstrip())

    articles = version.articles.select_related(
        "chapter__part__parent", "section"
    ).order_by("position")
    for article in articles:
        chapter = article.chapter
        if chapter is not None:
            heading("part", chapter.top_part)
            heading("subpart", chapter.subpart)
            heading("chapter", chapter)
        heading("section", article.section)
        head = f"【{article.heading}】" if article.heading else ""
        first, *rest = article.text.splitlines() or [""]
        lines.append(f"{article.label}{SPACE}{head}{first}")
        lines += rest
    return "\n".join(lines) + "\n"
