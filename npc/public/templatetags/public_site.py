"""Template filters of the public site: numbers, dates and names, as words."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from legislation.models import BillEvent, Stage
from legislation.numerals import int_to_chinese
from npc.core import words

register = template.Library()


@register.filter
def highlight(text: str, query: str) -> str:
    """Mark the words of a search ``query`` in ``text`` (escaped)."""
    return words.highlight(text or "", query or "")


@register.filter
def highlight_excerpt(text: str, query: str) -> str:
    """The part of ``text`` around the first word of ``query``, marked."""
    return words.highlight(text or "", query or "", excerpt=True)


_STAGE_GROUPS = {
    Stage.PASSED: "ok",
    Stage.APPROVAL_REQUESTED: "ok",
    Stage.APPROVED: "ok",
    Stage.PROMULGATED: "ok",
    Stage.IN_FORCE: "ok",
    Stage.REJECTED: "bad",
    Stage.NOT_APPROVED: "bad",
    Stage.WITHDRAWN: "ended",
    Stage.TERMINATED: "ended",
    Stage.PLANNED: "pending",
    Stage.DRAFTING: "pending",
}


@register.filter
def percent(rate: float | None) -> str:
    """Show a rate (0.083) as a percentage (8.3%), or a dash when there is none."""
    if rate is None:
        return "—"
    return f"{rate * 100:.1f}%"


@register.filter
def chinese_number(number: int) -> str:
    """Write a number in Chinese numerals, as articles and items are numbered."""
    return int_to_chinese(int(number))


_ARRIVALS = {
    Stage.FIRST_READING: _lazy("第一次审议"),
    Stage.SECOND_READING: _lazy("第二次审议"),
    Stage.THIRD_READING: _lazy("第三次审议"),
    Stage.PASSED: _lazy("表决通过"),
    Stage.REJECTED: _lazy("表决未通过"),
    Stage.APPROVED: _lazy("省人大常委会批准"),
    Stage.NOT_APPROVED: _lazy("省人大常委会不予批准"),
}


@register.filter
def event_heading(event: BillEvent) -> str:
    """
    Name an event in words: a reading by its number, a vote or approval by its
    result, any other event by its kind.
    """
    if event.changes_stage and event.to_stage in _ARRIVALS:
        return str(_ARRIVALS[event.to_stage])
    return str(event.get_kind_display())


@register.filter
def stage_group(stage: str) -> str:
    """Return the colour group of a stage for its tag (the tag always has words)."""
    return _STAGE_GROUPS.get(stage, "")


@register.filter
def days_left(closes_on: dt.date, today: dt.date) -> str:
    """Say how long a comment period has left, counting its closing day."""
    days = (closes_on - today).days
    if days < 0:
        return _("已截止")
    if days == 0:
        return _("今天截止")
    return ngettext("还剩%(days)s天", "还剩%(days)s天", days) % {"days": days}
