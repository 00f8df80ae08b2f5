"""The staff pages of the legislation side, through the test client."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from legislation import services
from legislation.models import (
    Bill,
    BillEvent,
    Document,
    EventKind,
    Meeting,
    Stage,
    Vote,
)
from tests.factories import BillFactory, MeetingFactory

from .lifecycle import Clock, walk_to

pytestmark = pytest.mark.django_db


def bill_url(name: str, bill: Bill, **kwargs: object) -> str:
    return reverse(f"staff:{name}", kwargs={"slug": bill.slug, **kwargs})


def snapshot(bill: Bill) -> tuple:
    """What a refused act must leave as it was."""
    bill.refresh_from_db()
    return (
        bill.stage,
        bill.version,
        bill.planned_readings,
        bill.events.count(),
        Vote.objects.filter(bill=bill).count(),
        Document.objects.filter(bill=bill).count(),
    )


def page_urls(bill: Bill, meeting: Meeting) -> list[str]:
    acts = [
        "bill-detail",
        "bill-edit",
        "bill-reading",
        "bill-unified-review",
        "bill-defer-vote",
        "bill-vote",
        "bill-approval-request",
        "bill-approval-decision",
        "bill-promulgation",
        "bill-in-force",
        "bill-withdraw",
        "bill-terminate",
        "bill-filing",
        "bill-planned-readings",
        "bill-document",
        "bill-correct",
        "version-create",
        "bill-compare",
    ]
    return [
        reverse("staff:bill-list"),
        reverse("staff:bill-create"),
        reverse("staff:meeting-list"),
        reverse("staff:meeting-create"),
        reverse("staff:meeting-edit", kwargs={"pk": meeting.pk}),
        bill_url("bill-advance", bill, stage="drafting"),
        bill_url("bill-advance", bill, stage="submitted"),
        bill_url("version-detail", bill, number=1),
        *(bill_url(name, bill) for name in acts),
    ]


# --- who may see the pages -------------------------------------------------------


def test_every_staff_page_renders_for_staff(client, staff, bill, meetings):
    client.force_login(staff)

    for url in [reverse("staff:home"), *page_urls(bill, meetings[0])]:
        response = client.get(url)
        assert response.status_code == 200, url


def test_administrators_may_use_the_staff_pages(client, administrator, bill):
    client.force_login(administrator)

    assert client.get(bill.get_staff_url()).status_code == 200


def test_clerks_are_refused_every_legislation_page(client, clerk_a, bill, meetings):
    client.force_login(clerk_a)

    for url in page_urls(bill, meetings[0]):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url


def test_clerks_get_a_start_page_of_their_own(client, clerk_a):
    client.force_login(clerk_a)

    response = client.get(reverse("staff:home"))

    assert response.status_code == 200
    assert "stages" not in response.context


def test_anonymous_visitors_are_sent_to_log_in(client, bill, meetings):
    for url in [reverse("staff:home"), *page_urls(bill, meetings[0])]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login") + "?next=")


def test_users_without_a_role_are_refused(client, bill, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="x")
    client.force_login(user)

    assert client.get(reverse("staff:home")).status_code == 403
    assert client.get(bill.get_staff_url()).status_code == 403


def test_login_page_logs_staff_in_to_the_start_page(client, staff):
    response = client.post(
        reverse("login"), {"username": "staff", "password": "demo"}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("staff:home")
    assert "各阶段法规案" in response.content.decode()


# --- home and list -----------------------------------------------------------------


def test_home_counts_bills_by_stage(client, staff):
    clock = Clock()
    for stage in (Stage.DRAFTING, Stage.DRAFTING, Stage.FIRST_READING):
        walk_to(BillFactory(), stage, clock)
    client.force_login(staff)

    response = client.get(reverse("staff:home"))

    counts = {row["stage"]: row["count"] for row in response.context["stages"]}
    assert counts[Stage.DRAFTING] == 2
    assert counts[Stage.FIRST_READING] == 1
    assert counts[Stage.PASSED] == 0


def test_bill_list_filters_by_stage_kind_year_and_words(client, staff):
    clock = Clock()
    elevator = walk_to(
        BillFactory(title="长治市电梯安全管理条例", plan_year=2024),
        Stage.DRAFTING,
        clock,
    )
    BillFactory(title="长治市物业管理条例", plan_year=2025, kind=Bill.Kind.REVISION)
    client.force_login(staff)

    def titles(query: str) -> list[str]:
        response = client.get(reverse("staff:bill-list") + query)
        return [bill.title for bill in response.context["page"]]

    assert titles("?stage=drafting") == [elevator.title]
    assert titles("?kind=revision") == ["长治市物业管理条例"]
    assert titles("?year=2024") == [elevator.title]
    assert titles("?q=电梯") == [elevator.title]
    assert len(titles("")) == 2


def test_unpublished_bills_are_listed_for_staff(client, staff):
    BillFactory(title="尚未公开的条例", is_published=False)
    client.force_login(staff)

    response = client.get(reverse("staff:bill-list"))

    assert "尚未公开的条例" in response.content.decode()


def test_creating_a_bill_puts_it_in_the_plan(client, staff):
    client.force_login(staff)

    response = client.post(
        reverse("staff:bill-create"),
        {
            "title": "长治市养犬管理条例",
            "slug": "",
            "kind": "new",
            "sponsor": "government",
            "drafting_body": "市公安局",
            "plan_year": 2025,
            "planned_readings": 3,
            "on": "2025-01-10",
            "summary": "",
        },
    )

    bill = Bill.objects.get(title="长治市养犬管理条例")
    assert response.status_code == 302
    assert response.url == bill.get_staff_url()
    assert (bill.stage, bill.planned_readings, bill.created_by) == (
        Stage.PLANNED,
        3,
        staff,
    )
    event = bill.events.get()
    assert (event.kind, event.on, event.recorded_by) == (
        EventKind.PLANNED,
        dt.date(2025, 1, 10),
        staff,
    )


# --- the workspace ---------------------------------------------------------------


def test_workspace_offers_only_the_next_steps_that_are_possible(client, staff):
    bill = walk_to(BillFactory(planned_readings=2), Stage.FIRST_READING, Clock())
    client.force_login(staff)

    response = client.get(bill.get_staff_url())

    acts = [link["act"] for link in response.context["acts"]]
    assert acts == [
        "reading",
        "unified_review",
        "planned_readings",
        "withdraw",
        "terminate",
    ]
    page = response.content.decode()
    assert "记录二审" in page
    # Triage is reached from the top of the page and from the next steps.
    triage = reverse("staff:bill-comments", args=[bill.slug])
    assert f'href="{triage}" id="triage-link-top"' in page
    next_steps = page.split('id="next-steps"', 1)[1].split("</section>", 1)[0]
    assert f'href="{triage}" id="triage-link-next"' in next_steps
    assert page.index("triage-link-top") < page.index('id="timeline"')
    assert bill_url("bill-vote", bill) not in page
    assert bill_url("bill-filing", bill) not in page


@pytest.mark.parametrize(
    ("stage", "planned", "expected"),
    [
        (Stage.PLANNED, 2, ["start_drafting", "planned_readings", "withdraw", "terminate"]),
        (Stage.SECOND_READING, 2, ["vote", "unified_review", "defer_vote", "planned_readings", "withdraw", "terminate"]),
        (Stage.SECOND_READING, 3, ["reading", "unified_review", "planned_readings", "withdraw", "terminate"]),
        (Stage.PASSED, 2, ["request_approval"]),
        (Stage.APPROVAL_REQUESTED, 2, ["record_approval"]),
        (Stage.APPROVED, 2, ["promulgate"]),
        (Stage.PROMULGATED, 2, ["enter_into_force", "filing"]),
        (Stage.IN_FORCE, 2, ["filing"]),
        (Stage.REJECTED, 2, []),
        (Stage.WITHDRAWN, 2, []),
    ],
)  # fmt: skip
def test_workspace_steps_follow_the_stage(client, staff, stage, planned, expected):
    bill = walk_to(BillFactory(planned_readings=planned), stage, Clock())
    client.force_login(staff)

    response = client.get(bill.get_staff_url())

    assert [link["act"] for link in response.context["acts"]] == expected


def test_workspace_shows_who_recorded_each_event_and_the_corrections(client, staff):
    clock = Clock()
    bill = walk_to(BillFactory(), Stage.FIRST_READING, clock, by=staff)
    reading = bill.events.get(kind=EventKind.READING)
    services.correct_event(
        event=reading, note="会议名称记录有误，应为第十九次会议。", by=staff
    )
    client.force_login(staff)

    response = client.get(bill.get_staff_url())

    page = response.content.decode()
    assert "staff 记录于" in page
    assert "（已更正）" in page
    assert "会议名称记录有误，应为第十九次会议。" in page
    assert f'href="#event-{reading.pk}"' in page
    assert "已审议1次" in page


def test_workspace_runs_the_same_queries_for_a_small_and_a_large_bill(client, staff):
    clock = Clock()
    small = walk_to(BillFactory(planned_readings=1), Stage.APPROVED, clock, by=staff)
    large = walk_to(BillFactory(planned_readings=3), Stage.APPROVED, clock, by=staff)
    for n in range(15):
        services.add_document(
            bill=large,
            kind="other",
            title=f"文件{n}",
            on=clock.date(),
            text="正文",
            by=staff,
        )
        services.record_event(
            bill=large, kind=EventKind.CONSULTATION_OPENED, on=clock.date(), by=staff
        )
    client.force_login(staff)
    client.get(small.get_staff_url())  # warm the session and content types

    counts = []
    for bill in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(bill.get_staff_url()).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]
    assert counts[0] <= 14


def test_unknown_bill_is_not_found(client, staff):
    client.force_login(staff)

    assert (
        client.get(reverse("staff:bill-detail", kwargs={"slug": "nope"})).status_code
        == 404
    )


# --- acts: each succeeds --------------------------------------------------------


def act_data(bill: Bill, **data: object) -> dict:
    bill.refresh_from_db()
    return {"version": bill.version, **data}


ACTS = [
    # (url name, url kwargs, stage before, planned readings, data, stage after, event kind)
    ("bill-advance", {"stage": "drafting"}, Stage.PLANNED, 2, {"note": "启动"}, Stage.DRAFTING, EventKind.DRAFTING_STARTED),
    ("bill-advance", {"stage": "submitted"}, Stage.DRAFTING, 2, {"note": "提请"}, Stage.SUBMITTED, EventKind.SUBMITTED),
    ("bill-reading", {}, Stage.SUBMITTED, 2, {"meeting": "M"}, Stage.FIRST_READING, EventKind.READING),
    ("bill-reading", {}, Stage.FIRST_READING, 2, {"meeting": "M"}, Stage.SECOND_READING, EventKind.READING),
    ("bill-unified-review", {}, Stage.FIRST_READING, 2, {"note": "统一审议"}, Stage.FIRST_READING, EventKind.UNIFIED_REVIEW),
    ("bill-defer-vote", {}, Stage.SECOND_READING, 2, {"meeting": "M", "note": "暂不付表决"}, Stage.SECOND_READING, EventKind.VOTE_DEFERRED),
    ("bill-vote", {}, Stage.SECOND_READING, 2, {"meeting": "M", "yes": 40, "no": 0, "abstain": 1, "confirm": "1"}, Stage.PASSED, EventKind.VOTE),
    ("bill-vote", {}, Stage.FIRST_READING, 1, {"meeting": "M", "yes": 22, "no": 10, "abstain": 5, "confirm": "1"}, Stage.REJECTED, EventKind.VOTE),
    ("bill-approval-request", {}, Stage.PASSED, 2, {}, Stage.APPROVAL_REQUESTED, EventKind.APPROVAL_REQUESTED),
    ("bill-approval-decision", {}, Stage.APPROVAL_REQUESTED, 2, {"approved": "1"}, Stage.APPROVED, EventKind.APPROVAL_DECIDED),
    ("bill-approval-decision", {}, Stage.APPROVAL_REQUESTED, 2, {"approved": "0"}, Stage.NOT_APPROVED, EventKind.APPROVAL_DECIDED),
    ("bill-promulgation", {}, Stage.APPROVED, 2, {"announcement_number": "长治市人民代表大会常务委员会公告〔十五届〕第十九号", "effective_on": "2030-03-01"}, Stage.PROMULGATED, EventKind.PROMULGATED),
    ("bill-in-force", {}, Stage.PROMULGATED, 2, {}, Stage.IN_FORCE, EventKind.IN_FORCE),
    ("bill-withdraw", {}, Stage.DRAFTING, 2, {"reason": "提案人撤回"}, Stage.WITHDRAWN, EventKind.WITHDRAWN),
    ("bill-terminate", {}, Stage.SECOND_READING, 2, {"reason": "搁置审议满两年"}, Stage.TERMINATED, EventKind.TERMINATED),
    ("bill-filing", {}, Stage.PROMULGATED, 2, {"note": "报省人大常委会"}, Stage.PROMULGATED, EventKind.FILED),
    ("bill-planned-readings", {}, Stage.FIRST_READING, 2, {"planned_readings": 3}, Stage.FIRST_READING, EventKind.PLAN_CHANGED),
    ("bill-document", {}, Stage.FIRST_READING, 2, {"kind": "review_opinion", "title": "审议意见", "text": "意见正文", "is_published": "on"}, Stage.FIRST_READING, EventKind.DOCUMENT_PUBLISHED),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "kwargs", "before", "planned", "data", "after", "kind"), ACTS
)
def test_each_act_is_recorded_through_its_page(
    client, staff, name, kwargs, before, planned, data, after, kind
):
    clock = Clock()
    bill = walk_to(BillFactory(planned_readings=planned), before, clock)
    data = dict(data)
    if data.get("meeting") == "M":
        data["meeting"] = clock.meeting().pk
    on = clock.date()
    if after == Stage.IN_FORCE:
        on = bill.effective_on
    data.setdefault("on", on.isoformat())
    version = bill.version
    client.force_login(staff)

    response = client.post(bill_url(name, bill, **kwargs), act_data(bill, **data))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert response.url == bill.get_staff_url()
    bill.refresh_from_db()
    assert bill.stage == after
    assert bill.version > version
    event = bill.events.order_by("-pk").first()
    assert (event.kind, event.recorded_by) == (kind, staff)


def test_promulgation_records_the_announcement_and_effective_date(client, staff):
    clock = Clock()
    bill = walk_to(BillFactory(), Stage.APPROVED, clock)
    client.force_login(staff)

    client.post(
        bill_url("bill-promulgation", bill),
        act_data(
            bill,
            on=clock.date().isoformat(),
            announcement_number="公告〔十五届〕第十九号",
            effective_on="2030-03-01",
        ),
    )

    bill.refresh_from_db()
    assert (bill.stage, bill.announcement_number, bill.effective_on) == (
        Stage.PROMULGATED,
        "公告〔十五届〕第十九号",
        dt.date(2030, 3, 1),
    )


def test_correction_is_appended_against_the_event_it_corrects(client, staff):
    clock = Clock()
    bill = walk_to(BillFactory(), Stage.FIRST_READING, clock)
    reading = bill.events.get(kind=EventKind.READING)
    client.force_login(staff)

    form = client.get(bill_url("bill-correct", bill) + f"?event={reading.pk}")
    assert form.context["form"]["event"].value() == str(reading.pk)
    response = client.post(
        bill_url("bill-correct", bill),
        act_data(bill, event=reading.pk, note="审议的草案文本应为第二稿。"),
    )

    assert response.status_code == 302
    correction = bill.events.get(kind=EventKind.CORRECTION)
    assert (correction.corrects, correction.note, correction.recorded_by) == (
        reading,
        "审议的草案文本应为第二稿。",
        staff,
    )
    reading.refresh_from_db()
    assert reading.note == "测试理由"  # the original entry stays as it was


def test_document_can_be_a_file(client, staff, bill):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff)
    upload = SimpleUploadedFile("说明.pdf", b"%PDF-1.4 demo", "application/pdf")

    response = client.post(
        bill_url("bill-document", bill),
        act_data(
            bill,
            kind="drafting_explanation",
            title="起草说明",
            on="2024-02-01",
            file=upload,
            is_published="on",
        ),
    )

    assert response.status_code == 302
    document = bill.documents.get()
    assert document.file.name.endswith(".pdf")
    assert document.text == ""


def test_document_needs_text_or_a_file(client, staff, bill):
    client.force_login(staff)
    before = snapshot(bill)

    response = client.post(
        bill_url("bill-document", bill),
        act_data(bill, kind="other", title="空文件", on="2024-02-01"),
    )

    assert "请填写正文或上传附件。" in response.content.decode()
    assert snapshot(bill) == before


# --- acts: refused ones say why and change nothing ------------------------------


REFUSED = [
    # (url name, url kwargs, stage, planned, data, words of the reason)
    ("bill-advance", {"stage": "submitted"}, Stage.PLANNED, 2, {}, "不能进入“提请审议”阶段"),
    ("bill-reading", {}, Stage.PLANNED, 2, {"meeting": "M"}, "不能再进行审议"),
    ("bill-reading", {}, Stage.SECOND_READING, 2, {"meeting": "M"}, "不能再进行审议"),
    ("bill-reading", {}, Stage.FIRST_READING, 2, {"meeting": "EARLY"}, "审议须在上一次审议"),
    ("bill-reading", {}, Stage.SUBMITTED, 2, {"meeting": "EARLY"}, "早于上一阶段的日期"),
    ("bill-unified-review", {}, Stage.DRAFTING, 2, {}, "统一审议只能在常委会审议期间进行"),
    ("bill-defer-vote", {}, Stage.FIRST_READING, 2, {"meeting": "M"}, "才能暂不付表决"),
    ("bill-vote", {}, Stage.FIRST_READING, 2, {"meeting": "M", "yes": 40, "no": 0, "abstain": 0, "confirm": "1"}, "不能付表决"),
    ("bill-vote", {}, Stage.SECOND_READING, 2, {"meeting": "M", "yes": 30, "no": 10, "abstain": 10, "confirm": "1"}, "不能超过组成人员总数45人"),
    ("bill-approval-request", {}, Stage.DRAFTING, 2, {}, "不能进入“报请批准”阶段"),
    ("bill-approval-decision", {}, Stage.PASSED, 2, {"approved": "1"}, "不能进入“批准”阶段"),
    ("bill-promulgation", {}, Stage.PASSED, 2, {"announcement_number": "第1号", "effective_on": "2030-01-01"}, "不能进入“公布”阶段"),
    ("bill-promulgation", {}, Stage.APPROVED, 2, {"announcement_number": "第1号", "effective_on": "2020-01-01"}, "施行日期不能早于公布日期"),
    ("bill-in-force", {}, Stage.PROMULGATED, 2, {"on": "2020-01-01"}, "尚未到达"),
    ("bill-withdraw", {}, Stage.PASSED, 2, {"reason": "撤回"}, "不能进入“撤回”阶段"),
    ("bill-terminate", {}, Stage.IN_FORCE, 2, {"reason": "终止"}, "不能进入“终止审议”阶段"),
    ("bill-filing", {}, Stage.PASSED, 2, {}, "公布后才能报送备案"),
    ("bill-planned-readings", {}, Stage.PASSED, 2, {"planned_readings": 3}, "表决后不能再调整审议次数"),
    ("bill-planned-readings", {}, Stage.SECOND_READING, 3, {"planned_readings": 1}, "计划审议次数不能少于已审议次数"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "kwargs", "stage", "planned", "data", "reason"), REFUSED
)
def test_refused_act_says_why_and_changes_nothing(
    client, staff, name, kwargs, stage, planned, data, reason
):
    clock = Clock()
    bill = walk_to(BillFactory(planned_readings=planned), stage, clock)
    data = dict(data)
    if data.get("meeting") == "M":
        data["meeting"] = clock.meeting().pk
    elif data.get("meeting") == "EARLY":
        data["meeting"] = MeetingFactory(number=99, date=dt.date(2023, 1, 1)).pk
    data.setdefault("on", clock.date().isoformat())
    before = snapshot(bill)
    client.force_login(staff)

    response = client.post(bill_url(name, bill, **kwargs), act_data(bill, **data))

    assert response.status_code == 200
    page = response.content.decode()
    assert "未能保存，未作任何更改" in page
    assert reason in page
    assert snapshot(bill) == before


def test_withdrawal_without_a_reason_is_refused(client, staff, bill):
    client.force_login(staff)
    before = snapshot(bill)

    response = client.post(
        bill_url("bill-withdraw", bill), act_data(bill, on="2024-03-01", reason="  ")
    )

    assert response.context["form"].errors["reason"]
    assert snapshot(bill) == before


def test_act_page_warns_when_the_act_is_not_possible_now(client, staff, bill):
    client.force_login(staff)

    page = client.get(bill_url("bill-vote", bill)).content.decode()

    assert "一般不能进行此操作" in page


def test_unknown_advance_stage_is_not_found(client, staff, bill):
    client.force_login(staff)

    assert client.get(bill_url("bill-advance", bill, stage="passed")).status_code == 404


# --- the vote: preview, then confirm --------------------------------------------


@pytest.fixture
def bill_for_vote(staff):
    clock = Clock()
    bill = walk_to(BillFactory(planned_readings=2), Stage.SECOND_READING, clock)
    bill.vote_meeting = clock.meeting(members=45)
    return bill


def preview(client, bill: Bill, yes: int, no: int = 0, abstain: int = 0):
    return client.post(
        bill_url("bill-vote", bill),
        act_data(
            bill,
            meeting=bill.vote_meeting.pk,
            yes=yes,
            no=no,
            abstain=abstain,
            preview="1",
        ),
    )


def test_vote_preview_with_22_of_45_shows_not_carried(client, staff, bill_for_vote):
    client.force_login(staff)
    before = snapshot(bill_for_vote)

    response = preview(client, bill_for_vote, yes=22, abstain=20)

    page = response.content.decode()
    assert "表决结果：未通过" in page
    assert "赞成票须超过全体组成人员的半数（45人中至少23票）" in page
    assert 'name="confirm"' in page
    assert snapshot(bill_for_vote) == before


def test_vote_preview_with_23_of_45_shows_carried(client, staff, bill_for_vote):
    client.force_login(staff)
    before = snapshot(bill_for_vote)

    response = preview(client, bill_for_vote, yes=23)

    page = response.content.decode()
    assert "表决结果：通过" in page
    assert "45人中至少23票" in page
    assert "未按表决器或缺席22人" in page
    assert snapshot(bill_for_vote) == before


def test_vote_preview_refuses_what_saving_would_refuse(client, staff, bill_for_vote):
    client.force_login(staff)

    response = preview(client, bill_for_vote, yes=40, no=5, abstain=5)

    page = response.content.decode()
    assert "不能超过组成人员总数45人" in page
    assert 'name="confirm"' not in page


def test_vote_preview_moves_no_cache_version_and_writes_no_row(
    client, staff, bill_for_vote
):
    client.force_login(staff)
    before = snapshot(bill_for_vote)
    events = BillEvent.objects.count()
    cache.set(services.BILLS_VERSION_KEY, 7, None)

    response = preview(client, bill_for_vote, yes=23)

    assert "表决结果：通过" in response.content.decode()
    # Every kept public page stays valid: nothing changed.
    assert cache.get(services.BILLS_VERSION_KEY) == 7
    assert snapshot(bill_for_vote) == before
    assert BillEvent.objects.count() == events


def test_vote_preview_of_a_stale_page_is_a_conflict(client, staff, bill_for_vote):
    client.force_login(staff)
    data = act_data(
        bill_for_vote, meeting=bill_for_vote.vote_meeting.pk, yes=23, no=0, abstain=0
    )
    services.update_bill(
        bill=bill_for_vote, by=staff, expected_version=None, summary="他人修改"
    )

    response = client.post(bill_url("bill-vote", bill_for_vote), data)

    assert response.status_code == 409
    assert 'name="confirm"' not in response.content.decode()


def test_confirmed_vote_is_saved_with_its_tally(client, staff, bill_for_vote):
    client.force_login(staff)
    bill = bill_for_vote

    response = client.post(
        bill_url("bill-vote", bill),
        act_data(
            bill, meeting=bill.vote_meeting.pk, yes=23, no=2, abstain=0, confirm="1"
        ),
    )

    assert response.status_code == 302
    vote = Vote.objects.get(bill=bill)
    assert (vote.yes, vote.no, vote.abstain, vote.members) == (23, 2, 0, 45)
    bill.refresh_from_db()
    assert bill.stage == Stage.PASSED


# --- the details form -----------------------------------------------------------


def test_editing_the_details_records_what_changed(client, staff, bill):
    client.force_login(staff)
    form = client.get(bill_url("bill-edit", bill)).context["form"]
    data = {
        name: form[name].value()
        for name in form.fields
        if form[name].value() is not None
    }
    data.update(drafting_body="市市场监督管理局", summary="新的简介")

    response = client.post(bill_url("bill-edit", bill), data)

    assert response.status_code == 302
    bill.refresh_from_db()
    assert (bill.drafting_body, bill.summary, bill.updated_by) == (
        "市市场监督管理局",
        "新的简介",
        staff,
    )
    event = bill.events.get(kind=EventKind.DETAILS_CHANGED)
    assert "起草单位" in event.note and "简介" in event.note


# --- meetings -------------------------------------------------------------------


def test_meetings_are_listed_with_their_full_names(client, staff, meetings):
    client.force_login(staff)

    page = client.get(reverse("staff:meeting-list")).content.decode()

    assert "长治市第十五届人民代表大会常务委员会第二十二次会议" in page


def test_meeting_is_created_and_changed(client, staff):
    client.force_login(staff)
    data = {"term": 15, "number": 23, "date": "2024-12-26", "members": 45, "place": ""}

    response = client.post(reverse("staff:meeting-create"), data)

    meeting = Meeting.objects.get(term=15, number=23)
    assert response.status_code == 302
    data.update(place="市人大常委会四楼会议厅")
    client.post(reverse("staff:meeting-edit", kwargs={"pk": meeting.pk}), data)
    meeting.refresh_from_db()
    assert meeting.place == "市人大常委会四楼会议厅"


def test_meeting_numbers_are_unique_within_a_term(client, staff, meetings):
    client.force_login(staff)

    response = client.post(
        reverse("staff:meeting-create"),
        {"term": 15, "number": 22, "date": "2024-10-30", "members": 45},
    )

    assert response.status_code == 200
    assert Meeting.objects.filter(term=15, number=22).count() == 1


def test_no_inline_scripts_or_styles_on_staff_pages(client, staff, bill):
    client.force_login(staff)

    for url in (
        bill.get_staff_url(),
        bill_url("bill-vote", bill),
        bill_url("version-create", bill),
    ):
        page = client.get(url).content.decode()
        assert "style=" not in page
        assert "<script>" not in page
