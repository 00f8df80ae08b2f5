"""The status of a bill in one plain sentence, a progress bar and key dates."""

import datetime as dt
import re

import pytest
from django.utils import translation

from legislation import services
from legislation.models import Stage
from legislation.selectors import bill_status, timeline
from tests.factories import BillFactory

from .lifecycle import Clock, walk_to

pytestmark = pytest.mark.django_db

DATE = r"\d{4}年\d{1,2}月\d{1,2}日"
MEETING = r"市十五届人大常委会第[一二三四五六七八九十]+次会议"

SENTENCES = {
    Stage.PLANNED: r"^立项：已列入2024年度立法计划$",
    Stage.DRAFTING: rf"^起草中：已于{DATE}启动起草，起草单位为市市场监督管理局$",
    Stage.SUBMITTED: rf"^已提请审议：市人民政府已于{DATE}提请市人大常委会审议$",
    Stage.FIRST_READING: rf"^一审中：已于{DATE}在{MEETING}进行第一次审议$",
    Stage.SECOND_READING: rf"^二审中：已于{DATE}在{MEETING}进行第二次审议$",
    Stage.THIRD_READING: rf"^三审中：已于{DATE}在{MEETING}进行第三次审议$",
    Stage.PASSED: rf"^已表决通过：已于{DATE}经{MEETING}表决通过$",
    Stage.REJECTED: rf"^表决未通过：{DATE}在{MEETING}表决未获通过$",
    Stage.APPROVAL_REQUESTED: rf"^报请批准中：已于{DATE}报请省人大常委会批准$",
    Stage.APPROVED: rf"^已获批准：已于{DATE}经省人大常委会批准，待公布$",
    Stage.NOT_APPROVED: rf"^未获批准：省人大常委会已于{DATE}决定不予批准$",
    Stage.PROMULGATED: rf"^已公布：已于{DATE}公布，自{DATE}起施行$",
    Stage.IN_FORCE: rf"^已施行：{DATE}起施行$",
    Stage.WITHDRAWN: rf"^已撤回：提案人已于{DATE}撤回$",
    Stage.TERMINATED: rf"^已终止审议：已于{DATE}终止审议$",
}


def _bill_in(stage: Stage):
    bill = BillFactory(
        planned_readings=3 if stage == Stage.THIRD_READING else 2,
        drafting_body="市市场监督管理局",
    )
    return walk_to(bill, stage, Clock())


@pytest.mark.parametrize("stage", list(Stage))
def test_every_stage_is_said_in_one_plain_sentence(stage):
    bill = _bill_in(stage)
    with translation.override("zh-hans"):
        status = bill_status(bill)
    assert re.match(SENTENCES[stage], status.sentence), status.sentence
    assert status.stage == stage


def test_the_sentence_names_the_date_and_meeting_of_the_reading():
    bill = _bill_in(Stage.SECOND_READING)
    reading = bill.events.filter(to_stage=Stage.SECOND_READING).get()
    with translation.override("zh-hans"):
        sentence = bill_status(bill).sentence
    day = reading.on
    assert sentence == (
        f"二审中：已于{day.year}年{day.month}月{day.day}日在"
        f"{reading.meeting.short_name}进行第二次审议"
    )


def test_in_force_says_the_effective_date():
    bill = _bill_in(Stage.IN_FORCE)
    day = bill.effective_on
    with translation.override("zh-hans"):
        assert (
            bill_status(bill).sentence
            == f"已施行：{day.year}年{day.month}月{day.day}日起施行"
        )


def test_the_sentence_follows_the_active_language():
    bill = _bill_in(Stage.SECOND_READING)
    with translation.override("en"):
        sentence = bill_status(bill).sentence
    assert not re.search(r"\d{4}年", sentence)


def test_progress_marks_done_current_and_upcoming_stages_of_the_planned_readings():
    bill = _bill_in(Stage.FIRST_READING)
    steps = bill_status(bill).steps
    stages = [step.stage for step in steps]
    assert Stage.THIRD_READING not in stages  # two readings planned
    states = {step.stage: step.state for step in steps}
    assert states[Stage.SUBMITTED] == "done"
    assert states[Stage.FIRST_READING] == "current"
    assert states[Stage.SECOND_READING] == "todo"
    assert states[Stage.IN_FORCE] == "todo"
    assert [s.state for s in steps].count("current") == 1


def test_a_bill_off_the_main_line_shows_where_it_left_and_where_it_ended():
    bill = _bill_in(Stage.REJECTED)
    steps = bill_status(bill).steps
    assert steps[-1].stage == Stage.REJECTED and steps[-1].state == "current"
    assert steps[-2].stage == Stage.SECOND_READING and steps[-2].state == "done"
    assert Stage.PASSED not in [s.stage for s in steps]


def test_key_dates_list_vote_approval_promulgation_and_entry_into_force():
    bill = _bill_in(Stage.IN_FORCE)
    with translation.override("zh-hans"):
        labels = [d.label for d in bill_status(bill).dates]
    for label in ("表决通过", "省人大常委会批准", "公布", "施行"):
        assert label in labels
        vote = next(d for d in bill_status(bill).dates if d.label == "表决通过")
    assert "人大常委会" in vote.detail


def test_a_future_effective_date_is_marked_upcoming(staff):
    bill = _bill_in(Stage.APPROVED)
    services.promulgate(
        bill=bill,
        on=dt.date(2024, 12, 1),
        announcement_number="第9号",
        effective_on=dt.date(2025, 3, 1),
        by=staff,
    )
    bill.refresh_from_db()
    dates = bill_status(bill, today=dt.date(2025, 1, 1)).dates
    assert dates[-1].on == dt.date(2025, 3, 1) and dates[-1].upcoming
    assert any(d.detail == "第9号" for d in dates)


def test_status_from_a_loaded_timeline_runs_no_query(django_assert_num_queries):
    bill = _bill_in(Stage.PASSED)
    events = list(timeline(bill, public=True))
    with django_assert_num_queries(0):
        bill_status(bill, events)
