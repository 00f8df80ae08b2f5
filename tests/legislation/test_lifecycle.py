"""The bill lifecycle: every allowed and every refused move, and the vote rule."""

import datetime as dt
import itertools

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from legislation import services
from legislation.errors import (
    ConcurrentUpdate,
    MeetingOutOfOrder,
    TransitionNotAllowed,
)
from legislation.models import (
    READINGS,
    TRANSITIONS,
    Bill,
    BillEvent,
    Stage,
    Vote,
    next_stages,
    vote_carries,
)
from tests.factories import BillFactory, MeetingFactory

from .lifecycle import PATHS, Clock, step, walk_to

pytestmark = pytest.mark.django_db

REACHABLE = [
    (stage, planned)
    for stage, planned in itertools.product(Stage, (1, 2, 3))
    if not (stage in READINGS and READINGS.index(stage) >= planned)
]


def _snapshot(bill: Bill) -> tuple:
    bill.refresh_from_db()
    return bill.stage, bill.version, bill.events.count(), Vote.objects.count()


@pytest.mark.parametrize(("stage", "planned"), REACHABLE)
@pytest.mark.parametrize("target", list(Stage))
def test_each_move_is_allowed_exactly_when_the_table_says(stage, planned, target):
    bill = BillFactory(planned_readings=planned)
    clock = Clock()
    walk_to(bill, stage, clock)
    allowed = target in next_stages(stage, planned)
    before = _snapshot(bill)
    if allowed:
        step(bill, target, clock)
        bill.refresh_from_db()
        assert bill.stage == target
        last = bill.events.order_by("-pk").first()
        assert (last.from_stage, last.to_stage) == (stage, target)
    else:
        with pytest.raises(TransitionNotAllowed):
            step(bill, target, clock)
        assert _snapshot(bill) == before


def test_the_table_only_moves_forward_along_the_main_line():
    order = list(Stage)
    for stage, targets in TRANSITIONS.items():
        for target in targets:
            assert order.index(target) > order.index(stage), (stage, target)


@pytest.mark.parametrize("stage", [s for s in Stage if s not in PATHS[Stage.PASSED]])
def test_withdrawal_and_termination_only_before_the_vote(stage):
    before_vote = stage in {
        Stage.PLANNED,
        Stage.DRAFTING,
        Stage.SUBMITTED,
        *READINGS,
    }
    assert (Stage.WITHDRAWN in TRANSITIONS[stage]) == before_vote
    assert (Stage.TERMINATED in TRANSITIONS[stage]) == before_vote


@pytest.mark.parametrize(
    ("yes", "abstain", "carried"),
    [(23, 0, True), (23, 22, True), (22, 0, False), (22, 23, False), (45, 0, True)],
)
def test_vote_needs_more_than_half_of_all_members(yes, abstain, carried):
    bill = BillFactory(planned_readings=1)
    clock = Clock()
    walk_to(bill, Stage.FIRST_READING, clock)
    meeting = clock.meeting(members=45)
    vote = services.record_vote(
        bill=bill, meeting=meeting, yes=yes, no=0, abstain=abstain, by=None
    )
    bill.refresh_from_db()
    assert vote.carried is carried
    assert bill.stage == (Stage.PASSED if carried else Stage.REJECTED)
    assert vote.not_voting == 45 - yes - abstain


def test_vote_with_exactly_half_of_all_members_fails():
    assert not vote_carries(yes=22, members=44)
    assert vote_carries(yes=23, members=44)


def test_vote_counts_beyond_the_members_are_refused_and_change_nothing():
    bill = BillFactory(planned_readings=1)
    clock = Clock()
    walk_to(bill, Stage.FIRST_READING, clock)
    before = _snapshot(bill)
    with pytest.raises(TransitionNotAllowed):
        services.record_vote(
            bill=bill, meeting=clock.meeting(45), yes=30, no=10, abstain=6, by=None
        )
    assert _snapshot(bill) == before


def test_vote_before_the_last_planned_reading_is_refused():
    bill = BillFactory(planned_readings=3)
    clock = Clock()
    walk_to(bill, Stage.SECOND_READING, clock)
    with pytest.raises(TransitionNotAllowed):
        services.record_vote(
            bill=bill, meeting=clock.meeting(), yes=45, no=0, abstain=0, by=None
        )


def test_vote_may_follow_the_last_reading_at_the_same_meeting():
    bill = BillFactory(planned_readings=1)
    clock = Clock()
    walk_to(bill, Stage.SUBMITTED, clock)
    meeting = clock.meeting()
    services.record_reading(bill=bill, meeting=meeting, by=None)
    services.record_vote(bill=bill, meeting=meeting, yes=40, no=1, abstain=1, by=None)
    bill.refresh_from_db()
    assert bill.stage == Stage.PASSED


def test_a_reading_cannot_precede_the_previous_one():
    bill = BillFactory(planned_readings=2)
    clock = Clock()
    walk_to(bill, Stage.FIRST_READING, clock)
    earlier = MeetingFactory(number=90, date=dt.date(2023, 12, 1))
    before = _snapshot(bill)
    with pytest.raises(MeetingOutOfOrder):
        services.record_reading(bill=bill, meeting=earlier, by=None)
    assert _snapshot(bill) == before


def test_a_second_reading_at_the_same_meeting_is_refused():
    bill = BillFactory(planned_readings=2)
    clock = Clock()
    walk_to(bill, Stage.SUBMITTED, clock)
    meeting = clock.meeting()
    services.record_reading(bill=bill, meeting=meeting, by=None)
    with pytest.raises(MeetingOutOfOrder):
        services.record_reading(bill=bill, meeting=meeting, by=None)


def test_planned_readings_can_grow_for_a_contested_bill_but_not_below_those_held():
    bill = BillFactory(planned_readings=2)
    clock = Clock()
    walk_to(bill, Stage.SECOND_READING, clock)
    with pytest.raises(TransitionNotAllowed):
        services.change_planned_readings(
            bill=bill, planned_readings=1, by=None, expected_version=None
        )
    services.change_planned_readings(
        bill=bill, planned_readings=3, by=None, expected_version=None
    )
    bill.refresh_from_db()
    assert Stage.THIRD_READING in bill.next_stages
    assert Stage.PASSED not in bill.next_stages


def test_entry_into_force_waits_for_the_effective_date():
    bill = BillFactory(planned_readings=1)
    clock = Clock()
    walk_to(bill, Stage.APPROVED, clock)
    promulgated_on = clock.date()
    services.promulgate(
        bill=bill,
        on=promulgated_on,
        announcement_number="第12号",
        effective_on=promulgated_on + dt.timedelta(days=60),
        by=None,
    )
    with pytest.raises(TransitionNotAllowed):
        services.enter_into_force(
            bill=bill, on=promulgated_on + dt.timedelta(days=59), by=None
        )
    services.enter_into_force(
        bill=bill, on=promulgated_on + dt.timedelta(days=60), by=None
    )
    bill.refresh_from_db()
    assert bill.stage == Stage.IN_FORCE
    assert bill.announcement_number == "第12号"


def test_withdrawal_needs_a_reason():
    bill = BillFactory()
    with pytest.raises(TransitionNotAllowed):
        services.withdraw_bill(bill=bill, on=dt.date(2024, 3, 1), reason=" ", by=None)


def test_events_are_appended_and_corrections_point_at_what_they_correct():
    bill = BillFactory()
    clock = Clock()
    walk_to(bill, Stage.SUBMITTED, clock)
    submitted = bill.events.get(to_stage=Stage.SUBMITTED)
    correction = services.correct_event(
        event=submitted, note="提请日期应为3月2日", by=None
    )
    submitted.refresh_from_db()
    assert correction.corrects == submitted
    assert submitted.to_stage == Stage.SUBMITTED
    assert bill.events.count() == 4  # planned, drafting, submitted, correction


def test_stale_version_is_refused_and_nothing_is_overwritten():
    bill = BillFactory(title="原标题")
    read_version = bill.version
    services.update_bill(
        bill=bill, by=None, expected_version=read_version, title="甲修改的标题"
    )
    with pytest.raises(ConcurrentUpdate):
        services.update_bill(
            bill=bill, by=None, expected_version=read_version, title="乙修改的标题"
        )
    with pytest.raises(ConcurrentUpdate):
        services.start_drafting(
            bill=bill, on=dt.date(2024, 2, 1), by=None, expected_version=read_version
        )
    bill.refresh_from_db()
    assert bill.title == "甲修改的标题"
    assert bill.stage == Stage.PLANNED


def test_every_change_records_who_and_when(staff):
    bill = services.create_bill(title="长治市示例条例", plan_year=2024, by=staff)
    services.start_drafting(bill=bill, on=dt.date(2024, 2, 1), by=staff)
    bill.refresh_from_db()
    assert bill.created_by == staff and bill.updated_by == staff
    assert set(bill.events.values_list("recorded_by", flat=True)) == {staff.pk}
    assert all(e.recorded_at for e in bill.events.all())


class BillLifecycle(RuleBasedStateMachine):
    """Random walks through the lifecycle never leave the table."""

    def __init__(self) -> None:
        super().__init__()
        # Each example runs in a savepoint rolled back at teardown, so examples
        # share no rows.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    @initialize(planned=st.integers(1, 3))
    def new_bill(self, planned: int) -> None:
        self.bill = BillFactory(planned_readings=planned)
        self.clock = Clock()
        self.stages = [Stage.PLANNED]

    @rule(to=st.sampled_from(list(Stage)))
    def try_to_move(self, to: Stage) -> None:
        target = to
        current = self.bill.stage
        if target in next_stages(current, self.bill.planned_readings):
            step(self.bill, target, self.clock)
            self.stages.append(target)
        else:
            try:
                step(self.bill, target, self.clock)
            except TransitionNotAllowed:
                pass
            else:
                raise AssertionError(f"{current} → {target} was allowed")
        self.bill.refresh_from_db()

    @invariant()
    def timeline_matches_the_stage(self) -> None:
        if not hasattr(self, "bill"):
            return
        moves = list(
            BillEvent.objects.filter(bill=self.bill)
            .exclude(to_stage="")
            .order_by("pk")
            .values_list("to_stage", flat=True)
        )
        assert moves == self.stages
        assert self.bill.stage == self.stages[-1]
        assert self.bill.votes.count() == sum(
            s in (Stage.PASSED, Stage.REJECTED) for s in self.stages
        )


def test_random_walks_through_the_lifecycle(db):
    BillLifecycle.TestCase.settings = settings(
        max_examples=25,
        stateful_step_count=12,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
        ],
    )
    BillLifecycle.TestCase().runTest()
