"""The table of acts on a bill, its one guard, and the services asking it of ``by``."""

import datetime as dt

import pytest
from django.urls import reverse

from legislation import acts, services
from legislation.api.serializers import ACT_SERIALIZERS, UpdateBillSerializer
from legislation.errors import NotPermitted, TransitionNotAllowed
from legislation.forms import BillCreateForm, BillEditForm
from legislation.models import (
    BILL_EDITABLE_FIELDS,
    TRANSITIONS,
    Bill,
    EventKind,
    Stage,
)
from tests.factories import BillFactory

from .lifecycle import Clock, walk_to

pytestmark = pytest.mark.django_db


# --- the table -----------------------------------------------------------------


def test_every_stage_a_bill_can_reach_has_exactly_one_act():
    reachable = {stage for targets in TRANSITIONS.values() for stage in targets}
    assert set(acts.ACT_FOR_STAGE) == reachable
    assert Stage.PLANNED not in acts.ACT_FOR_STAGE  # a bill is planned when created


def test_every_act_names_a_service_and_a_staff_page():
    for act in acts.ACTS.values():
        assert callable(getattr(services, act.service)), act.name
        kwargs = {"slug": "x", **dict(act.page_kwargs)}
        assert reverse(f"staff:{act.page}", kwargs=kwargs), act.name
        assert set(dict(act.needs)) <= set(act.inputs), act.name


def test_every_act_beside_the_stages_has_its_api_serializer():
    assert set(ACT_SERIALIZERS) == set(acts.SIDE_ACTS)
    assert acts.SIDE_ACTS == (
        "unified_review",
        "defer_vote",
        "filing",
        "planned_readings",
        "correction",
    )


def test_events_that_move_a_stage_are_the_acts_events():
    assert acts.EVENT_FOR_STAGE[Stage.SECOND_READING] == EventKind.READING
    assert acts.EVENT_FOR_STAGE[Stage.NOT_APPROVED] == EventKind.APPROVAL_DECIDED
    assert Stage.PLANNED not in acts.EVENT_FOR_STAGE


def test_the_editable_details_are_declared_once():
    assert BillCreateForm._meta.fields == list(BILL_EDITABLE_FIELDS)
    assert BillEditForm._meta.fields == list(BILL_EDITABLE_FIELDS)
    api = set(UpdateBillSerializer().fields) - {"version"}
    assert api == {*BILL_EDITABLE_FIELDS, "planned_readings"}
    assert services.EDITABLE_FIELDS == frozenset(BILL_EDITABLE_FIELDS)


# --- the guard ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "planned", "possible"),
    [
        (Stage.PLANNED, 2, {"start_drafting", "planned_readings", "withdraw"}),
        (Stage.FIRST_READING, 1, {"vote", "defer_vote", "unified_review"}),
        (Stage.FIRST_READING, 2, {"reading", "unified_review", "terminate"}),
        (Stage.PROMULGATED, 2, {"enter_into_force", "filing", "correction"}),
    ],
)
def test_staff_may_record_what_the_stage_allows(
    staff, administrator, stage, planned, possible
):
    bill = walk_to(BillFactory(planned_readings=planned), stage, Clock())
    for user in (staff, administrator):
        allowed = {name for name in acts.ACTS if acts.may(name, user, bill)}
        assert possible <= allowed
        assert set(acts.next_acts(bill)) == allowed - {"correction"}


def test_clerks_and_the_public_may_record_nothing(clerk_a, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    bill = BillFactory()
    nobody = django_user_model.objects.create_user("nobody", password="x")
    for user in (clerk_a, nobody, AnonymousUser()):
        assert not any(acts.may(name, user, bill) for name in acts.ACTS)


def test_a_reading_is_labelled_with_its_number():
    bill = walk_to(BillFactory(planned_readings=3), Stage.FIRST_READING, Clock())
    assert str(acts.act_label(acts.ACTS["reading"], bill)) == "记录二审"


# --- the services ask it of the user who acts -------------------------------------


def _calls(bill: Bill, clock: Clock) -> dict:
    return {
        "create_bill": lambda by: services.create_bill(
            title="新法规", plan_year=2024, by=by
        ),
        "update_bill": lambda by: services.update_bill(
            bill=bill, by=by, expected_version=None, title="改"
        ),
        "start_drafting": lambda by: services.start_drafting(
            bill=bill, on=clock.date(), by=by
        ),
        "advance_bill": lambda by: services.advance_bill(
            bill=bill, to=Stage.DRAFTING, on=clock.date(), by=by
        ),
        "record_act": lambda by: services.record_act(
            bill=bill, act="planned_readings", planned_readings=3, by=by
        ),
        "add_document": lambda by: services.add_document(
            bill=bill, kind="other", title="说明", on=clock.date(), text="正文", by=by
        ),
        "withdraw_bill": lambda by: services.withdraw_bill(
            bill=bill, on=clock.date(), reason="撤回", by=by
        ),
        "correct_event": lambda by: services.correct_event(
            event=bill.events.first(), note="更正", by=by
        ),
    }


@pytest.mark.parametrize(
    "call",
    [
        "create_bill",
        "update_bill",
        "start_drafting",
        "advance_bill",
        "record_act",
        "add_document",
        "withdraw_bill",
        "correct_event",
    ],
)
def test_a_clerk_is_refused_by_the_service_and_nothing_changes(clerk_a, call):
    bill = BillFactory()
    before = (Bill.objects.count(), bill.version, bill.events.count())

    with pytest.raises(NotPermitted):
        _calls(bill, Clock())[call](clerk_a)

    bill.refresh_from_db()
    assert (Bill.objects.count(), bill.version, bill.events.count()) == before


def test_a_vote_preview_is_refused_to_a_clerk(clerk_a):
    clock = Clock()
    bill = walk_to(BillFactory(planned_readings=1), Stage.FIRST_READING, clock)
    with pytest.raises(NotPermitted):
        services.preview_vote(
            bill=bill, meeting=clock.meeting(), yes=30, no=0, abstain=0, by=clerk_a
        )


def test_the_vote_preview_and_the_vote_agree(staff):
    clock = Clock()
    bill = walk_to(BillFactory(planned_readings=1), Stage.FIRST_READING, clock)
    meeting = clock.meeting(members=45)

    result = services.preview_vote(
        bill=bill, meeting=meeting, yes=23, no=2, abstain=20, by=staff
    )
    vote = services.record_vote(
        bill=bill, meeting=meeting, yes=23, no=2, abstain=20, by=staff
    )

    assert (result.carried, result.needed, result.not_voting) == (True, 23, 0)
    bill.refresh_from_db()
    assert bill.stage == Stage.PASSED
    assert vote.yes == result.yes


# --- one service for a bill's details and its planned readings ---------------------


def test_details_and_planned_readings_change_together_or_not_at_all(staff):
    clock = Clock()
    bill = walk_to(BillFactory(planned_readings=3), Stage.SECOND_READING, clock)
    version = bill.version

    with pytest.raises(TransitionNotAllowed):
        services.update_bill(
            bill=bill,
            by=staff,
            expected_version=version,
            planned_readings=1,  # below the two readings held
            title="新标题",
        )

    bill.refresh_from_db()
    assert (bill.title, bill.planned_readings, bill.version) != ("新标题", 1, version)
    assert bill.planned_readings == 3 and bill.version == version

    services.update_bill(
        bill=bill, by=staff, expected_version=version, planned_readings=2, title="新"
    )
    bill.refresh_from_db()
    assert (bill.title, bill.planned_readings) == ("新", 2)
    kinds = list(bill.events.order_by("-pk").values_list("kind", flat=True)[:2])
    assert kinds == [EventKind.DETAILS_CHANGED, EventKind.PLAN_CHANGED]


def test_a_document_changed_through_the_service_is_noted_for_staff(staff, bill):
    document = services.add_document(
        bill=bill, kind="other", title="说明", on=dt.date(2024, 3, 1), by=staff
    )
    bill.refresh_from_db()
    version = bill.version

    services.update_document(document=document, by=staff, text="更正后的正文")

    bill.refresh_from_db()
    event = bill.events.latest("pk")
    assert bill.version == version + 1
    assert event.kind == EventKind.DETAILS_CHANGED
    assert "说明" in event.note
