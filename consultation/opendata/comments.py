"""
Every comment the public may read, with its decision and where it went, as CSV
and as JSON Lines, written row by row.

The rows are those of :meth:`CommentQuerySet.publicly_visible` (published after
moderation, in a published consultation of a published bill): no comment held
for moderation or withheld, none of an unpublished bill. The columns are those
the public comment API shows an anonymous reader, no more: no receipt code, no
contributor (name, contact, affiliation, kind), no staff member. Added: the
article's Akoma Ntoso ``eId`` (its lineage's, see ``legislation.akn``) so a row
can be joined to the texts, and where an adopted comment was taken up — the
articles of published versions, or what was done instead.

Comments are read in batches by primary key (``id > last ORDER BY id LIMIT
n``), not through one cursor held open across the whole run: memory holds one
batch, each batch is one short query on the primary key, and nothing keeps a
transaction open for the minutes a million rows take.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterator
from typing import IO, Any

from django.db.models import Q
from django.utils import timezone

from legislation import akn
from legislation.models import Vote
from legislation.numerals import article_label

from ..exports import neutralise
from ..models import AdoptionLink, Channel, Comment, Decision, Reason
from ..selectors._common import undecided_note

BATCH = 2000

# What the file shows of a comment: the public API's fields, nothing personal.
_COLUMNS = {
    "id": "id",
    "bill": "bill__slug",
    "consultation": "consultation_id",
    "version": "consultation__version__number",
    "channel": "consultation__channel",
    "point_id": "point_id",
    "point": "point__name",
    "article_id": "article_id",
    "article_number": "article__number",
    "article_suffix": "article__suffix",
    "article_lineage": "article__lineage_id",
    "bill_id": "bill_id",
    "text": "text",
    "corrected": "corrected",
    "summary": "summary",
    "submitted_on": "submitted_on",
    "status": "status",
    "reason": "reason",
    "explanation": "explanation",
    "duplicate_of": "duplicate_of_id",
    "decided_at": "decided_at",
    "revision": "revision",
    "created_at": "created_at",
}

FIELDS = [
    "id",
    "bill",
    "consultation",
    "version",
    "channel",
    "channel_label",
    "point_id",
    "point",
    "article_id",
    "article",
    "article_eid",
    "text",
    "corrected",
    "summary",
    "submitted_on",
    "status",
    "status_label",
    "reason",
    "reason_label",
    "explanation",
    "undecided_note",
    "duplicate_of",
    "decided_at",
    "revision",
    "created_at",
    "adopted_into",
]


def _batches() -> Iterator[list[dict[str, Any]]]:
    comments = Comment.objects.publicly_visible()
    names, paths = list(_COLUMNS), list(_COLUMNS.values())
    last = 0
    while True:
        batch = [
            dict(zip(names, values, strict=True))
            for values in comments.filter(pk__gt=last)
            .order_by("pk")
            .values_list(*paths)[:BATCH]
        ]
        if not batch:
            return
        yield batch
        last = batch[-1]["id"]


class _ArticleIds:
    """The Akoma Ntoso eIds of articles, read once per bill."""

    def __init__(self) -> None:
        self.bills: dict[int, dict[int, str]] = {}

    def __call__(self, bill_id: int, lineage_id: int) -> str:
        if bill_id not in self.bills:
            self.bills[bill_id] = akn.bill_article_ids(bill_id)
        return self.bills[bill_id].get(lineage_id, "")


def _links(comment_ids: list[int], eid: _ArticleIds) -> dict[int, list[dict[str, Any]]]:
    """Where each comment was taken up, in published versions only. One query."""
    links = (
        AdoptionLink.objects.filter(comment_id__in=comment_ids)
        .filter(
            Q(article__isnull=True)
            | Q(
                article__version__is_published=True,
                article__version__bill__is_published=True,
            )
        )
        .order_by("comment_id", "pk")
        .values_list(
            "comment_id",
            "article_id",
            "article__number",
            "article__suffix",
            "article__lineage_id",
            "article__version__number",
            "article__version__bill_id",
            "elsewhere",
        )
    )
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for comment, article, number, suffix, lineage, version, bill, elsewhere in links:
        found[comment].append(
            {
                "version": version,
                "article_id": article,
                "article": article_label(number, suffix) if article else "",
                "article_eid": eid(bill, lineage) if article else "",
                "elsewhere": elsewhere,
            }
        )
    return found


def _undecided_reasons() -> dict[int, str]:
    """The reason recorded at each bill's last vote for leaving comments pending."""
    reasons: dict[int, str] = {}
    for bill, reason in (
        Vote.objects.exclude(undecided_reason="")
        .order_by("bill_id", "-pk")
        .values_list("bill_id", "undecided_reason")
    ):
        reasons.setdefault(bill, reason)
    return reasons


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    return value.isoformat()


def rows() -> Iterator[dict[str, Any]]:
    """Every public comment as one record of :data:`FIELDS`, oldest first."""
    eid = _ArticleIds()
    reasons = _undecided_reasons()
    channels = dict(Channel.choices)
    decisions = dict(Decision.choices)
    reason_labels = dict(Reason.choices)
    for batch in _batches():
        links = _links([row["id"] for row in batch], eid)
        for row in batch:
            has_article = row["article_id"] is not None
            yield {
                "id": row["id"],
                "bill": row["bill"],
                "consultation": row["consultation"],
                "version": row["version"],
                "channel": row["channel"],
                "channel_label": str(channels.get(row["channel"], "")),
                "point_id": row["point_id"],
                "point": row["point"] or "",
                "article_id": row["article_id"],
                "article": article_label(row["article_number"], row["article_suffix"])
                if has_article
                else "",
                "article_eid": eid(row["bill_id"], row["article_lineage"])
                if has_article
                else "",
                "text": row["text"],
                "corrected": row["corrected"],
                "summary": row["summary"],
                "submitted_on": _iso(row["submitted_on"]),
                "status": row["status"],
                "status_label": str(decisions.get(row["status"], "")),
                "reason": row["reason"],
                "reason_label": str(reason_labels.get(row["reason"], ""))
                if row["reason"]
                else "",
                "explanation": row["explanation"],
                "undecided_note": str(
                    undecided_note(row["status"], reasons.get(row["bill_id"]))
                ),
                "duplicate_of": row["duplicate_of"],
                "decided_at": _iso(row["decided_at"]),
                "revision": row["revision"],
                "created_at": _iso(row["created_at"]),
                "adopted_into": links.get(row["id"], []),
            }


def _place(link: dict[str, Any]) -> str:
    if link["article_id"] is None:
        return link["elsewhere"]
    return f"{link['version']} {link['article']} #{link['article_eid']}"


def write(csv_file: IO[bytes], jsonl_file: IO[bytes]) -> int:
    """
    Write every public comment to both files as it is read; return how many.

    CSV: UTF-8 with a byte-order mark (spreadsheets then read Chinese right),
    one row per comment, ``adopted_into`` one place a line (``<version>
    <article> #<eId>``, or what was done instead); cells a spreadsheet would run
    as a formula are quoted off. JSON Lines: one object per line, UTF-8.
    """
    text = io.TextIOWrapper(csv_file, encoding="utf-8-sig", newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(FIELDS)
    count = 0
    for record in rows():
        cells = {
            **record,
            "adopted_into": "\n".join(map(_place, record["adopted_into"])),
        }
        writer.writerow([_cell(cells[name]) for name in FIELDS])
        jsonl_file.write(json.dumps(record, ensure_ascii=False).encode("utf-8"))
        jsonl_file.write(b"\n")
        count += 1
    text.flush()
    text.detach()  # the caller closes the file
    return count


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralise(value)
