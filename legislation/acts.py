"""
The acts on a bill, in one table: what each is called, which stages it moves a
bill to, which event it writes, when it is possible and which service records it.

Services, staff pages, the API and the admin all read this table; adding a stage
or an act means adding a row here (and writing its service). Whether a stage may
follow another stays in ``models.TRANSITIONS``: an act that moves a bill is
possible exactly when the table allows one of its stages.

One guard for every act, :func:`may`: legislative staff and administrators may
record acts (DESIGN §2), and only those the bill's stage allows. Services ask the
same question of the user who acts (``by``) and refuse with ``NotPermitted``.

Imports models and roles only, so that services, selectors, views and serializers
may all import it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from npc.core.roles import is_legislative_staff

from .models import BEFORE_VOTE, READINGS, Bill, EventKind, Stage


@dataclass(frozen=True)
class Act:
    """One act on a bill, as every interface and the services know it."""

    name: str
    label: Any  # a lazily translated string
    event: EventKind
    # The function of ``legislation.services`` that records the act.
    service: str
    # The stages the act moves a bill to; none for an act beside the stages.
    to: tuple[Stage, ...] = ()
    # What the service takes from a request besides the bill, the user and the
    # version read: ``advance_bill`` and ``record_act`` pass exactly these.
    inputs: tuple[str, ...] = ()
    # Inputs that must be given, with the refusal when one is missing.
    needs: tuple[tuple[str, Any], ...] = ()
    # For an act beside the stages: whether the bill allows it now.
    when: Callable[[Bill], bool] | None = None
    # The staff page that records it (a URL name in ``staff:``) and its arguments.
    page: str = ""
    page_kwargs: tuple[tuple[str, str], ...] = ()
    # Withdrawal and termination end a bill's road; they are offered last.
    ending: bool = False
    # Listed among the next acts on the staff workspace and in ``next_acts``;
    # a correction, always possible, is offered beside each event instead.
    listed: bool = True

    @property
    def moves(self) -> bool:
        return bool(self.to)

    def possible(self, bill: Bill) -> bool:
        """Say whether the bill, as it stands, allows the act."""
        if self.to:
            return any(bill.can_move_to(stage) for stage in self.to)
        return self.when is None or self.when(bill)


def _filing_possible(bill: Bill) -> bool:
    """Filing (备案) follows promulgation, once (a mistake is corrected, not refiled)."""
    return (
        bill.stage in (Stage.PROMULGATED, Stage.IN_FORCE)
        and not bill.events.filter(kind=EventKind.FILED).exists()
    )


_DATE_NEEDED = (("on", _("请填写日期。")),)

# In the order the staff workspace offers them: the main line, the acts beside
# it, then the endings.
ACTS: dict[str, Act] = {
    act.name: act
    for act in (
        Act(
            name="start_drafting",
            label=_("启动起草"),
            event=EventKind.DRAFTING_STARTED,
            to=(Stage.DRAFTING,),
            service="start_drafting",
            inputs=("on", "note"),
            needs=_DATE_NEEDED,
            page="bill-advance",
            page_kwargs=(("stage", Stage.DRAFTING.value),),
        ),
        Act(
            name="submit",
            label=_("提请审议"),
            event=EventKind.SUBMITTED,
            to=(Stage.SUBMITTED,),
            service="submit_bill",
            inputs=("on", "note"),
            needs=_DATE_NEEDED,
            page="bill-advance",
            page_kwargs=(("stage", Stage.SUBMITTED.value),),
        ),
        Act(
            name="reading",
            label=_("记录审议"),
            event=EventKind.READING,
            to=READINGS,
            service="record_reading",
            inputs=("meeting", "version", "note", "reading"),
            needs=(("meeting", _("审议须选择常委会会议。")),),
            page="bill-reading",
        ),
        Act(
            name="vote",
            label=_("记录表决"),
            event=EventKind.VOTE,
            to=(Stage.PASSED, Stage.REJECTED),
            # Its counts decide the stage: recorded through its own endpoint and
            # page, never through ``advance_bill``.
            service="record_vote",
            page="bill-vote",
        ),
        Act(
            name="request_approval",
            label=_("报请批准"),
            event=EventKind.APPROVAL_REQUESTED,
            to=(Stage.APPROVAL_REQUESTED,),
            service="request_approval",
            inputs=("on", "note"),
            needs=_DATE_NEEDED,
            page="bill-approval-request",
        ),
        Act(
            name="record_approval",
            label=_("记录批准决定"),
            event=EventKind.APPROVAL_DECIDED,
            to=(Stage.APPROVED, Stage.NOT_APPROVED),
            service="record_approval",
            inputs=("approved", "on", "note"),
            needs=_DATE_NEEDED,
            page="bill-approval-decision",
        ),
        Act(
            name="promulgate",
            label=_("公布"),
            event=EventKind.PROMULGATED,
            to=(Stage.PROMULGATED,),
            service="promulgate",
            inputs=("on", "announcement_number", "effective_on", "note"),
            needs=(*_DATE_NEEDED, ("effective_on", _("公布须填写施行日期。"))),
            page="bill-promulgation",
        ),
        Act(
            name="enter_into_force",
            label=_("记录施行"),
            event=EventKind.IN_FORCE,
            to=(Stage.IN_FORCE,),
            service="enter_into_force",
            inputs=("on",),
            needs=_DATE_NEEDED,
            page="bill-in-force",
        ),
        Act(
            name="unified_review",
            label=_("记录统一审议"),
            event=EventKind.UNIFIED_REVIEW,
            service="record_unified_review",
            inputs=("on", "version", "note"),
            when=lambda bill: bill.stage in READINGS,
            page="bill-unified-review",
        ),
        Act(
            name="defer_vote",
            label=_("暂不付表决"),
            event=EventKind.VOTE_DEFERRED,
            service="defer_vote",
            inputs=("meeting", "note"),
            # Only when the bill could be put to the vote now.
            when=lambda bill: bill.can_move_to(Stage.PASSED),
            page="bill-defer-vote",
        ),
        Act(
            name="filing",
            label=_("报送备案"),
            event=EventKind.FILED,
            service="record_filing",
            inputs=("on", "note"),
            when=_filing_possible,
            page="bill-filing",
        ),
        Act(
            name="planned_readings",
            label=_("调整审议次数"),
            event=EventKind.PLAN_CHANGED,
            service="change_planned_readings",
            inputs=("planned_readings", "note"),
            when=lambda bill: bill.stage in BEFORE_VOTE,
            page="bill-planned-readings",
        ),
        Act(
            name="correction",
            label=_("更正进程记录"),
            event=EventKind.CORRECTION,
            service="correct_event",
            inputs=("event", "note"),
            page="bill-correct",
            listed=False,
        ),
        Act(
            name="withdraw",
            label=_("撤回"),
            event=EventKind.WITHDRAWN,
            to=(Stage.WITHDRAWN,),
            service="withdraw_bill",
            inputs=("on", "reason"),
            needs=_DATE_NEEDED,
            page="bill-withdraw",
            ending=True,
        ),
        Act(
            name="terminate",
            label=_("终止审议"),
            event=EventKind.TERMINATED,
            to=(Stage.TERMINATED,),
            service="terminate_bill",
            inputs=("on", "reason"),
            needs=_DATE_NEEDED,
            page="bill-terminate",
            ending=True,
        ),
    )
}

# The act that brings a bill into each stage, and the event that records it.
ACT_FOR_STAGE: dict[Stage, Act] = {
    stage: act for act in ACTS.values() for stage in act.to
}
EVENT_FOR_STAGE: dict[Stage, EventKind] = {
    stage: act.event for stage, act in ACT_FOR_STAGE.items()
}
# The acts beside the stages, recorded through ``services.record_act``.
SIDE_ACTS: tuple[str, ...] = tuple(a.name for a in ACTS.values() if not a.moves)

# What a reading is called on the page that records it, e.g. 记录一审.
READING_LABELS = {stage: format_lazy("记录{}", stage.label) for stage in READINGS}


def act_label(act: Act, bill: Bill) -> Any:
    """Return the act's label for ``bill``: a reading says which one."""
    if act.name == "reading":
        reading = next((s for s in READINGS if bill.can_move_to(s)), None)
        if reading is not None:
            return READING_LABELS[reading]
    return act.label


def may_record(user: Model | AnonymousUser | None) -> bool:
    """
    Say whether ``user`` may record acts on bills: legislative staff and
    administrators. ``None`` is the system itself (a task, the demo data).
    """
    return user is None or is_legislative_staff(user)


def may(act: str, user: Model | AnonymousUser | None, bill: Bill) -> bool:
    """Say whether ``user`` may record ``act`` on ``bill`` now."""
    return may_record(user) and ACTS[act].possible(bill)


def next_acts(bill: Bill) -> list[str]:
    """
    Return the acts that may be recorded on ``bill`` now, in the order to offer
    them: the moves along the main line, then the acts beside the stages, then
    withdrawal and termination. Adding a document or a draft version and
    correcting an event are always possible and not listed.
    """
    return [act.name for act in ACTS.values() if act.listed and act.possible(bill)]
