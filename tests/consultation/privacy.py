"""
A check that no contributor's personal data shows on a public surface.

``assert_no_personal_data(text)`` fails when any contributor's name or contact
stored in the database appears in ``text`` (a rendered page, a JSON response, an
export decoded to text). Use it on every public page and response, with the demo
data loaded, so that a leak shows.

Two-character names can occur in ordinary words (高新, 国强); a name that already
occurs in the public texts themselves (comment texts, explanations, articles,
titles) proves nothing and is skipped. Contacts are always checked.
"""

from __future__ import annotations

from django.db.models import Max

from consultation.models import Comment, Consultation, Contributor, LiaisonPoint
from legislation.models import Article, Bill

_cache: dict[tuple, tuple[frozenset[str], frozenset[str]]] = {}


def _public_corpus() -> str:
    parts: list[str] = []
    parts += Comment.objects.values_list("text", flat=True)
    parts += Comment.objects.values_list("summary", flat=True)
    parts += Comment.objects.values_list("explanation", flat=True)
    parts += Article.objects.values_list("text", flat=True)
    parts += Bill.objects.values_list("title", flat=True)
    parts += Bill.objects.values_list("summary", flat=True)
    parts += Consultation.objects.values_list("title", flat=True)
    parts += Consultation.objects.values_list("summary", flat=True)
    parts += Consultation.objects.values_list("place", flat=True)
    parts += LiaisonPoint.objects.values_list("name", flat=True)
    parts += LiaisonPoint.objects.values_list("address", flat=True)
    return "\n".join(parts)


def personal_data() -> tuple[frozenset[str], frozenset[str]]:
    """Return the names worth looking for and all contacts, as stored now."""
    key = tuple(
        Contributor.objects.aggregate(
            n=Max("comment_id"),
        ).values()
    ) + (Contributor.objects.count(), Comment.objects.count())
    if key not in _cache:
        rows = list(Contributor.objects.values_list("name", "contact"))
        names = {name for name, _ in rows if len(name) >= 2}
        contacts = frozenset(contact for _, contact in rows if len(contact) >= 5)
        corpus = _public_corpus()
        names = frozenset(name for name in names if name not in corpus)
        _cache.clear()
        _cache[key] = (names, contacts)
    return _cache[key]


def _found(needles: frozenset[str], text: str) -> list[str]:
    """Return the needles that occur in ``text``: one set lookup per position and length."""
    found: set[str] = set()
    for length in {len(n) for n in needles}:
        found.update(
            text[i : i + length]
            for i in range(len(text) - length + 1)
            if text[i : i + length] in needles
        )
    return sorted(found)


def assert_no_personal_data(text: str) -> None:
    """Fail if any contributor's name or contact appears in ``text``."""
    names, contacts = personal_data()
    leaked = _found(contacts, text) + _found(names, text)
    assert not leaked, f"personal data on a public surface: {leaked[:5]}"
