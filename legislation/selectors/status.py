"""
Where a bill stands, in plain words: a sentence, a progress bar and key dates
(the public bill page, lists, feeds).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ..models import (
    MAIN_LINE,
    READINGS,
    Bill,
    BillEvent,
    Meeting,
    Stage,
    reading_number,
)
from .events import timeline


@dataclass(frozen=True)
class ProgressStep:
    """One stage of a bill's progress bar: ``done``, ``current`` or ``todo``."""

    stage: Stage
    state: str

    @property
    def label(self) -> str:
        return str(self.stage.label)


@dataclass(frozen=True)
class KeyDate:
    """A date that applies to a bill (the vote, approval, promulgation, …)."""

    label: str
    on: dt.date
    detail: str = ""
    upcoming: bool = False


@dataclass(frozen=True)
class BillStatus:
    """Where a bill stands: the stage, a sentence saying so, steps and dates."""

    stage: Stage
    sentence: str
    on: dt.date | None
    meeting: Meeting | None
    steps: list[ProgressStep]
    dates: list[KeyDate]


_READING_SENTENCES = {
    Stage.FIRST_READING: (
        _("一审中：已于%(date)s在%(meeting)s进行第一次审议"),
        _("一审中：已于%(date)s进行第一次审议"),
    ),
    Stage.SECOND_READING: (
        _("二审中：已于%(date)s在%(meeting)s进行第二次审议"),
        _("二审中：已于%(date)s进行第二次审议"),
    ),
    Stage.THIRD_READING: (
        _("三审中：已于%(date)s在%(meeting)s进行第三次审议"),
        _("三审中：已于%(date)s进行第三次审议"),
    ),
}
_OFF_THE_MAIN_LINE = frozenset(
    {Stage.REJECTED, Stage.NOT_APPROVED, Stage.WITHDRAWN, Stage.TERMINATED}
)


def _stage_sentence(bill: Bill, event: BillEvent | None) -> str:
    """Say in one sentence where ``bill`` stands, from the event that put it there."""
    stage = Stage(bill.stage)
    if stage == Stage.PLANNED:
        return _("立项：已列入%(year)s年度立法计划") % {"year": bill.plan_year}
    if stage == Stage.IN_FORCE and bill.effective_on:
        return _("已施行：%(date)s起施行") % {"date": date_format(bill.effective_on)}
    if event is None:
        return str(stage.label)
    values = {
        "date": date_format(event.on),
        "meeting": event.meeting.short_name if event.meeting else "",
        "sponsor": bill.get_sponsor_display(),
        "body": bill.drafting_body,
        "effective": date_format(bill.effective_on) if bill.effective_on else "",
    }
    if stage in _READING_SENTENCES:
        with_meeting, without = _READING_SENTENCES[stage]
        return (with_meeting if event.meeting else without) % values
    if stage == Stage.DRAFTING:
        if bill.drafting_body:
            return _("起草中：已于%(date)s启动起草，起草单位为%(body)s") % values
        return _("起草中：已于%(date)s启动起草") % values
    if stage in (Stage.PASSED, Stage.REJECTED) and event.meeting:
        message = {
            Stage.PASSED: _("已表决通过：已于%(date)s经%(meeting)s表决通过"),
            Stage.REJECTED: _("表决未通过：%(date)s在%(meeting)s表决未获通过"),
        }[stage]
        return message % values
    if stage == Stage.PROMULGATED and bill.effective_on:
        return _("已公布：已于%(date)s公布，自%(effective)s起施行") % values
    messages = {
        Stage.SUBMITTED: _("已提请审议：%(sponsor)s已于%(date)s提请市人大常委会审议"),
        Stage.PASSED: _("已表决通过：已于%(date)s表决通过"),
        Stage.REJECTED: _("表决未通过：%(date)s表决未获通过"),
        Stage.APPROVAL_REQUESTED: _("报请批准中：已于%(date)s报请省人大常委会批准"),
        Stage.APPROVED: _("已获批准：已于%(date)s经省人大常委会批准，待公布"),
        Stage.NOT_APPROVED: _("未获批准：省人大常委会已于%(date)s决定不予批准"),
        Stage.PROMULGATED: _("已公布：已于%(date)s公布"),
        Stage.IN_FORCE: _("已施行：%(date)s起施行"),
        Stage.WITHDRAWN: _("已撤回：提案人已于%(date)s撤回"),
        Stage.TERMINATED: _("已终止审议：已于%(date)s终止审议"),
    }
    return messages[stage] % values


def _progress(bill: Bill, event: BillEvent | None) -> list[ProgressStep]:
    """
    Lay the bill's stages along the main line, with the readings it plans.

    A bill that left the main line (rejected, not approved, withdrawn,
    terminated) shows the stages it passed through and then where it ended.
    """
    stage = Stage(bill.stage)
    readings = max(bill.planned_readings, reading_number(stage))
    line = [s for s in MAIN_LINE if s not in READINGS or reading_number(s) <= readings]
    if stage in _OFF_THE_MAIN_LINE:
        left_from = Stage(event.from_stage) if event and event.from_stage else None
        passed = line[: line.index(left_from) + 1] if left_from in line else []
        return [ProgressStep(s, "done") for s in passed] + [
            ProgressStep(stage, "current")
        ]
    at = line.index(stage)
    return [
        ProgressStep(s, "done" if i < at else "current" if i == at else "todo")
        for i, s in enumerate(line)
    ]


def _key_dates(bill: Bill, events: list[BillEvent], today: dt.date) -> list[KeyDate]:
    """List the dates that apply: readings, the vote, approval, promulgation, force."""
    dates: list[KeyDate] = []
    labels = {
        Stage.SUBMITTED: _("提请审议"),
        Stage.FIRST_READING: _("第一次审议"),
        Stage.SECOND_READING: _("第二次审议"),
        Stage.THIRD_READING: _("第三次审议"),
        Stage.PASSED: _("表决通过"),
        Stage.REJECTED: _("表决未通过"),
        Stage.APPROVAL_REQUESTED: _("报请批准"),
        Stage.APPROVED: _("省人大常委会批准"),
        Stage.NOT_APPROVED: _("省人大常委会不予批准"),
        Stage.PROMULGATED: _("公布"),
    }
    for event in events:
        if not event.changes_stage or event.to_stage not in labels:
            continue
        detail = event.meeting.short_name if event.meeting else ""
        if event.to_stage == Stage.PROMULGATED and bill.announcement_number:
            detail = bill.announcement_number
        dates.append(KeyDate(str(labels[event.to_stage]), event.on, detail))
    if bill.effective_on and bill.stage in (Stage.PROMULGATED, Stage.IN_FORCE):
        dates.append(
            KeyDate(
                str(_("施行")), bill.effective_on, upcoming=bill.effective_on > today
            )
        )
    return dates


def bill_status(
    bill: Bill,
    events: Sequence[BillEvent] | None = None,
    *,
    today: dt.date | None = None,
) -> BillStatus:
    """
    Say where ``bill`` stands, in words, as a progress bar and as key dates.

    ``events`` is the bill's public timeline, oldest first, as ``timeline``
    returns it (pass it when the page has it already: no query then; else one).
    The sentence names the date and meeting of the event that brought the bill
    to its stage, e.g. 二审中：已于2024年8月28日在市十五届人大常委会第二十一次会议
    进行第二次审议. Dates are formatted for the active language.
    """
    if events is None:
        events = timeline(bill, public=True)
    events = list(events)
    arrival = next(
        (e for e in reversed(events) if e.changes_stage and e.to_stage == bill.stage),
        None,
    )
    return BillStatus(
        stage=Stage(bill.stage),
        sentence=str(_stage_sentence(bill, arrival)),
        on=arrival.on if arrival else None,
        meeting=arrival.meeting if arrival else None,
        steps=_progress(bill, arrival),
        dates=_key_dates(bill, events, today or timezone.localdate()),
    )
