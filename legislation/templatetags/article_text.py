"""
Article text as HTML, tables drawn as tables, on every page that shows it.

``{{ article.text|article_text }}`` writes each line as a paragraph and each
``| a | b |`` table (see ``legislation.tables``) as a ``<table>``, its header row
in ``<th>``. ``{{ row.old_segments|marked_text }}`` writes the marked segments
of a comparison inline, as the comparison cells always were (line breaks kept
by the page's ``white-space: pre-line``), with each table drawn on its side and
its changed cells marked. ``{{ article.text|readable_text|truncatechars:40 }}``
gives an excerpt without pipes. Everything is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from legislation import tables

register = template.Library()

_CHANGED = ' class="cell-changed"'


def _table(rows: Iterable[tuple[bool, Iterable[tuple[str, bool]]]]) -> str:
    """A table of rows: (header?, [(a cell's safe HTML, changed?), …])."""
    head, body = [], []
    for header, cells in rows:
        tag = "th" if header else "td"
        scope = ' scope="col"' if header else ""
        html = "".join(
            f"<{tag}{scope}{_CHANGED if changed else ''}>{cell}</{tag}>"
            for cell, changed in cells
        )
        (head if header else body).append(f"<tr>{html}</tr>")
    parts = ['<table class="article-table">']
    if head:
        parts.append(f"<thead>{''.join(head)}</thead>")
    parts.append(f"<tbody>{''.join(body)}</tbody></table>")
    return "".join(parts)


@register.filter(is_safe=True)
def article_text(text: str) -> SafeString:
    """Write ``text`` as paragraphs and tables."""
    return _body(text, "")


@register.simple_tag
def article_body(text: str, *, label: str, heading: str = "", gap: str = "") -> str:
    """
    Write an article: its label (and bracketed heading) opening the first
    paragraph, or in a paragraph of its own before a leading table, then its
    paragraphs and tables.
    """
    lead = format_html('<span class="article-number">{}</span>', label)
    if heading:
        lead += format_html('<span class="article-heading">【{}】</span>', heading)
    return _body(text, lead + conditional_escape(gap))


def _body(text: str, lead: str) -> SafeString:
    parts: list[str] = []
    for block in tables.blocks(text or ""):
        if block.is_table:
            if lead:
                parts.append(f"<p>{lead}</p>")
                lead = ""
            parts.append(
                _table(
                    (
                        row.header,
                        ((conditional_escape(cell.text), False) for cell in row.cells),
                    )
                    for row in block.rows
                )
            )
            continue
        for line in block.lines:
            parts.append(f"<p>{lead}{conditional_escape(line)}</p>")
            lead = ""
    if lead:
        parts.append(f"<p>{lead}</p>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


@register.filter
def readable_text(text: str) -> str:
    """
    Write ``text`` with its tables' rows as cells apart by spaces, for an
    excerpt (a list, a menu) where a table cannot be drawn (see
    ``legislation.tables.readable``).
    """
    return tables.readable(text or "").replace("\t", " ")


def _pieces(pieces: Iterable[tables.Piece], labels: bool) -> str:
    html = []
    for piece in pieces:
        text = conditional_escape(piece.text)
        if piece.op in ("delete", "insert") and not labels:
            tag = "del" if piece.op == "delete" else "ins"
            html.append(format_html("<{}>{}</{}>", tag, text, tag))
        elif piece.op == "delete":
            html.append(
                format_html(
                    '<del><span class="visually-hidden">{}</span>{}'
                    '<span class="visually-hidden">］</span></del>',
                    _("［删去："),
                    text,
                )
            )
        elif piece.op == "insert":
            html.append(
                format_html(
                    '<ins><span class="visually-hidden">{}</span>{}'
                    '<span class="visually-hidden">］</span></ins>',
                    _("［增加："),
                    text,
                )
            )
        else:
            html.append(str(text))
    return "".join(html)


@register.filter(is_safe=True)
def marked_text(segments: Iterable, style: str = "") -> SafeString:
    """
    Write a comparison side's marked segments, tables drawn with changed cells.

    Deleted words are in ``<del>``, inserted ones in ``<ins>``, each with a
    hidden word for screen readers; a table cell with a change gets the class
    ``cell-changed``. ``style`` "bare" leaves the hidden words out (the staff
    table, whose legend says it all).
    """
    labels = style != "bare"
    parts = []
    for block in tables.marked_blocks(segments or []):
        if block.is_table:
            parts.append(
                _table(
                    (
                        header,
                        [
                            (_pieces(cell.pieces, labels), cell.changed)
                            for cell in cells
                        ],
                    )
                    for header, cells in block.rows
                )
            )
        else:
            parts.append(_pieces(block.pieces, labels))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above
