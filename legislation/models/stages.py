"""
A bill's lifecycle as data: the stages, which may follow which, and the readings.

:class:`Stage` and the :data:`TRANSITIONS` table beside it are the only
description of which stage may follow which.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    PLANNED = "planned", _("立项")
    DRAFTING = "drafting", _("起草")
    SUBMITTED = "submitted", _("提请审议")
    FIRST_READING = "first_reading", _("一审")
    SECOND_READING = "second_reading", _("二审")
    THIRD_READING = "third_reading", _("三审")
    PASSED = "passed", _("表决通过")
    REJECTED = "rejected", _("表决未通过")
    APPROVAL_REQUESTED = "approval_requested", _("报请批准")
    APPROVED = "approved", _("批准")
    NOT_APPROVED = "not_approved", _("不予批准")
    PROMULGATED = "promulgated", _("公布")
    IN_FORCE = "in_force", _("施行")
    WITHDRAWN = "withdrawn", _("撤回")
    TERMINATED = "terminated", _("终止审议")


READINGS: tuple[Stage, ...] = (
    Stage.FIRST_READING,
    Stage.SECOND_READING,
    Stage.THIRD_READING,
)
# Stages from which the sponsor may withdraw or deliberation may end: any before
# the vote.
BEFORE_VOTE: frozenset[Stage] = frozenset(
    {Stage.PLANNED, Stage.DRAFTING, Stage.SUBMITTED, *READINGS}
)
_ENDINGS = frozenset({Stage.WITHDRAWN, Stage.TERMINATED})
_VOTE = frozenset({Stage.PASSED, Stage.REJECTED})

# The lifecycle in one place: which stage may follow which (DESIGN §1). Whether a
# reading may be followed by another reading or by the vote also depends on the
# number of readings planned; see :func:`next_stages`.
TRANSITIONS: dict[Stage, frozenset[Stage]] = {
    Stage.PLANNED: frozenset({Stage.DRAFTING}) | _ENDINGS,
    Stage.DRAFTING: frozenset({Stage.SUBMITTED}) | _ENDINGS,
    Stage.SUBMITTED: frozenset({Stage.FIRST_READING}) | _ENDINGS,
    Stage.FIRST_READING: frozenset({Stage.SECOND_READING}) | _VOTE | _ENDINGS,
    Stage.SECOND_READING: frozenset({Stage.THIRD_READING}) | _VOTE | _ENDINGS,
    Stage.THIRD_READING: _VOTE | _ENDINGS,
    Stage.PASSED: frozenset({Stage.APPROVAL_REQUESTED}),
    Stage.REJECTED: frozenset(),
    Stage.APPROVAL_REQUESTED: frozenset({Stage.APPROVED, Stage.NOT_APPROVED}),
    Stage.APPROVED: frozenset({Stage.PROMULGATED}),
    Stage.NOT_APPROVED: frozenset(),
    Stage.PROMULGATED: frozenset({Stage.IN_FORCE}),
    Stage.IN_FORCE: frozenset(),
    Stage.WITHDRAWN: frozenset(),
    Stage.TERMINATED: frozenset(),
}

# The main line of stages, in order, for progress bars.
MAIN_LINE: tuple[Stage, ...] = (
    Stage.PLANNED,
    Stage.DRAFTING,
    Stage.SUBMITTED,
    *READINGS,
    Stage.PASSED,
    Stage.APPROVAL_REQUESTED,
    Stage.APPROVED,
    Stage.PROMULGATED,
    Stage.IN_FORCE,
)
FINAL: frozenset[Stage] = frozenset(s for s, nxt in TRANSITIONS.items() if not nxt)
UNDER_DELIBERATION: frozenset[Stage] = frozenset({Stage.SUBMITTED, *READINGS})


def reading_number(stage: str) -> int:
    """Return 1, 2 or 3 for a reading stage, and 0 before the first reading."""
    return READINGS.index(stage) + 1 if stage in READINGS else 0


def next_stages(stage: str, planned_readings: int) -> frozenset[Stage]:
    """
    Return the stages a bill in ``stage`` may move to next.

    A reading is followed by the next reading while fewer than ``planned_readings``
    readings were held, and by the vote after the last planned one.
    """
    allowed = TRANSITIONS[Stage(stage)]
    held = reading_number(stage)
    if not held:
        return allowed
    if held < planned_readings:
        return allowed - _VOTE
    return allowed - frozenset(READINGS)
