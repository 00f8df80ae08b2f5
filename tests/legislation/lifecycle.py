"""Walk a bill to any stage through the services, as staff would."""

import datetime as dt

from legislation import services
from legislation.models import READINGS, Bill, Meeting, Stage

# The main path to each stage, in order.
PATHS: dict[Stage, list[Stage]] = {
    Stage.PLANNED: [],
    Stage.DRAFTING: [Stage.DRAFTING],
    Stage.SUBMITTED: [Stage.DRAFTING, Stage.SUBMITTED],
}
for _n, _reading in enumerate(READINGS):
    PATHS[_reading] = PATHS[Stage.SUBMITTED] + list(READINGS[: _n + 1])
_VOTED = [Stage.DRAFTING, Stage.SUBMITTED, "readings", Stage.PASSED]
PATHS[Stage.PASSED] = _VOTED
PATHS[Stage.REJECTED] = [*_VOTED[:-1], Stage.REJECTED]
PATHS[Stage.APPROVAL_REQUESTED] = [*_VOTED, Stage.APPROVAL_REQUESTED]
PATHS[Stage.APPROVED] = [*PATHS[Stage.APPROVAL_REQUESTED], Stage.APPROVED]
PATHS[Stage.NOT_APPROVED] = [*PATHS[Stage.APPROVAL_REQUESTED], Stage.NOT_APPROVED]
PATHS[Stage.PROMULGATED] = [*PATHS[Stage.APPROVED], Stage.PROMULGATED]
PATHS[Stage.IN_FORCE] = [*PATHS[Stage.PROMULGATED], Stage.IN_FORCE]
PATHS[Stage.WITHDRAWN] = [Stage.DRAFTING, Stage.WITHDRAWN]
PATHS[Stage.TERMINATED] = [Stage.DRAFTING, Stage.SUBMITTED, Stage.TERMINATED]


class Clock:
    """Hand out meetings and dates that always move forward."""

    def __init__(self) -> None:
        self.day = dt.date(2024, 1, 15)
        self.number = 0

    def date(self) -> dt.date:
        self.day += dt.timedelta(days=20)
        return self.day

    def meeting(self, members: int = 45) -> Meeting:
        self.number += 1
        return Meeting.objects.create(
            term=15, number=self.number, date=self.date(), members=members
        )


def step(bill: Bill, to: Stage, clock: Clock, by=None) -> None:  # noqa: ANN001
    """Take one step to ``to`` through the owning service."""
    if to == Stage.PASSED or to == Stage.REJECTED:
        meeting = clock.meeting()
        services.record_vote(
            bill=bill,
            meeting=meeting,
            yes=meeting.members if to == Stage.PASSED else 0,
            no=0 if to == Stage.PASSED else meeting.members,
            abstain=0,
            by=by,
        )
        return
    services.advance_bill(
        bill=bill,
        to=to,
        by=by,
        on=clock.date(),
        meeting=clock.meeting() if to in READINGS else None,
        note="测试理由",
        announcement_number="第1号",
        effective_on=clock.day,
    )


def walk_to(bill: Bill, stage: Stage, clock: Clock, by=None) -> Bill:  # noqa: ANN001
    for to in PATHS[stage]:
        if to == "readings":
            for reading in READINGS[: bill.planned_readings]:
                step(bill, reading, clock, by)
                bill.refresh_from_db()
            continue
        step(bill, to, clock, by)
        bill.refresh_from_db()
    bill.refresh_from_db()
    assert bill.stage == stage
    return bill
