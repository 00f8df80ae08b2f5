"""A bill's documents: all of them for staff, the published ones for others."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet

from npc.core.roles import is_legislative_staff

from ..models import (
    Bill,
    Document,
)


def public_documents(bill: Bill) -> QuerySet[Document]:
    """Return the bill's published documents, oldest first."""
    return (
        bill.documents.filter(is_published=True)
        .select_related("meeting")
        .order_by("date", "pk")
    )


def bill_documents(bill: Bill) -> QuerySet[Document]:
    """Return all the bill's documents, published or not, oldest first."""
    return bill.documents.select_related("meeting", "version").order_by("date", "pk")


def visible_documents(user: Model | AnonymousUser, bill: Bill) -> QuerySet[Document]:
    """
    Return the documents of ``bill`` that ``user`` may read, oldest first: all for
    staff, published ones for others (the bill itself must be visible to them).
    """
    if is_legislative_staff(user):
        return bill_documents(bill)
    return public_documents(bill).select_related("version")
