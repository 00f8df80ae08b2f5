"""
Regulations and their texts in force: born at promulgation, changed by the
amendment (修正) and revision (修订) bills that name them, repealed by a repeal
bill, each article followed across texts by a regulation-wide lineage.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from .. import comparison
from ..errors import InvalidDraft
from ..models import (
    Bill,
    BillEvent,
    DraftVersion,
    EventKind,
    LawArticle,
    Regulation,
    RegulationChange,
    RegulationText,
    Stage,
    TextArticle,
)
from ._common import User, _lock, _require_staff, _touch
from .versions import add_draft_version

CHANGING_KINDS = (Bill.Kind.AMENDMENT, Bill.Kind.REVISION, Bill.Kind.REPEAL)


def final_text(bill: Bill) -> DraftVersion | None:
    """The text a bill made law: its promulgated text (公布稿), else its last."""
    versions = bill.versions.order_by("-number")
    promulgated = versions.filter(kind=DraftVersion.Kind.PROMULGATED).first()
    return promulgated or versions.first()


def after_promulgation(bill: Bill) -> RegulationText | None:
    """
    A bill was promulgated. A new regulation's bill brings the regulation into
    being, with the promulgated text as its first text in force; an amendment
    or revision bill that names its regulation gives it a new text in force.
    Either is in force from the bill's effective date, so the text in force on
    a day (``?on=``) is right before and after it. Idempotent.
    """
    if bill.kind == Bill.Kind.NEW:
        regulation, _created = Regulation.objects.get_or_create(
            bill=bill, defaults={"title": bill.title, "slug": bill.slug}
        )
    elif bill.kind in (Bill.Kind.AMENDMENT, Bill.Kind.REVISION):
        change = RegulationChange.objects.filter(bill=bill).first()
        if change is None:
            return None
        regulation = change.regulation
    else:
        return None
    version = final_text(bill)
    if version is None or RegulationText.objects.filter(version=version).exists():
        return None
    return _put_in_force(
        regulation,
        version,
        bill=bill,
        effective_on=bill.effective_on or bill.updated_at.date(),
        promulgated_on=_promulgated_on(bill),
    )


def after_entry_into_force(bill: Bill, on: dt.date) -> RegulationText | None:
    """
    A bill entered into force. A repeal bill ends the regulation it names; a
    bill whose text is not yet recorded in force (named after promulgation)
    gets it now.
    """
    change = RegulationChange.objects.filter(bill=bill).first()
    if change is not None and bill.kind == Bill.Kind.REPEAL:
        regulation = change.regulation
        regulation.repealed_on = bill.effective_on or on
        regulation.save(update_fields=["repealed_on"])
        return None
    return after_promulgation(bill)


def _promulgated_on(bill: Bill) -> dt.date | None:
    event = (
        BillEvent.objects.filter(bill=bill, to_stage=Stage.PROMULGATED)
        .order_by("-on")
        .first()
    )
    return event.on if event else None


@transaction.atomic
def name_regulation(
    *,
    bill: Bill,
    regulation: Regulation,
    by: User | None,
    expected_version: int | None = None,
) -> RegulationChange:
    """Say which regulation an amendment, revision or repeal bill changes."""
    _require_staff(by)
    locked = _lock(bill, expected_version)
    if locked.kind not in CHANGING_KINDS:
        raise InvalidDraft(_("只有修正、修订或废止法规案可以指明所修改的法规。"))
    if regulation.bill_id == locked.pk:
        raise InvalidDraft(_("法规案不能修改由其自身制定的法规。"))
    change, _created = RegulationChange.objects.update_or_create(
        bill=locked, defaults={"regulation": regulation}
    )
    _touch(locked, by)
    return change


@transaction.atomic
def record_earlier_regulation(
    *,
    title: str,
    slug: str,
    text: str,
    announcement_number: str,
    promulgated_on: dt.date,
    effective_on: dt.date,
    by: User | None,
    summary: str = "",
) -> Regulation:
    """
    Record a regulation made before these records began, with its text in force.

    Its bill is a record (stage 施行, not published among the bills, titled
    with the year), holding the text as its promulgated version.
    """
    _require_staff(by)
    bill = Bill.objects.create(
        # Named apart from a bill now revising the regulation, which has its title.
        title=_("%(title)s（%(year)d年公布）")
        % {"title": title, "year": promulgated_on.year},
        slug=slug,
        kind=Bill.Kind.NEW,
        plan_year=promulgated_on.year,
        stage=Stage.IN_FORCE,
        is_published=False,
        announcement_number=announcement_number,
        effective_on=effective_on,
        summary=summary,
        created_by=by,
        updated_by=by,
    )
    BillEvent.objects.create(
        bill=bill,
        kind=EventKind.PLANNED,
        on=promulgated_on,
        to_stage=Stage.IN_FORCE,
        recorded_by=by,
        is_public=False,
    )
    version = add_draft_version(
        bill=bill,
        text=text,
        title=title,
        kind=DraftVersion.Kind.PROMULGATED,
        on=promulgated_on,
        by=by,
        confirm_numbering=True,
        is_published=True,
    )
    regulation = Regulation.objects.create(bill=bill, title=title, slug=slug)
    _put_in_force(
        regulation,
        version,
        bill=bill,
        effective_on=effective_on,
        promulgated_on=promulgated_on,
    )
    return regulation


def _put_in_force(
    regulation: Regulation,
    version: DraftVersion,
    *,
    bill: Bill,
    effective_on: dt.date,
    promulgated_on: dt.date | None,
) -> RegulationText:
    """
    Store ``version`` as a text in force of ``regulation`` and give each of its
    articles the regulation-wide lineage of its match in the text before it.
    """
    previous = (
        regulation.texts.filter(effective_on__lt=effective_on)
        .order_by("-effective_on")
        .first()
    )
    text = RegulationText.objects.create(
        regulation=regulation,
        version=version,
        bill=bill,
        kind=bill.kind,
        announcement_number=bill.announcement_number,
        promulgated_on=promulgated_on,
        effective_on=effective_on,
    )
    articles = list(version.articles.order_by("position"))
    lineage_of: dict[int, int] = {}
    if previous is not None:
        earlier = list(
            TextArticle.objects.filter(text=previous).select_related("article")
        )
        old = [
            comparison.Side(
                key=t.lineage_id, number=t.article.number, text=t.article.text
            )
            for t in earlier
        ]
        new = [
            comparison.Side(key=a.pk, number=a.number, text=a.text) for a in articles
        ]
        lineage_of = dict(comparison.align(old, new))
    missing = [a for a in articles if a.pk not in lineage_of]
    created = LawArticle.objects.bulk_create(
        [LawArticle(regulation=regulation) for _ in missing]
    )
    lineage_of.update(
        {a.pk: lineage.pk for a, lineage in zip(missing, created, strict=True)}
    )
    TextArticle.objects.bulk_create(
        [
            TextArticle(text=text, article=a, lineage_id=lineage_of[a.pk])
            for a in articles
        ]
    )
    return text
