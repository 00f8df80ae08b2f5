"""The bills API: lists and filters, details, edits with optimistic concurrency,
draft versions, comparison, meetings and tokens."""

import datetime as dt

import pytest

from legislation import services
from legislation.filters import BillFilter
from legislation.models import Bill, BillEvent, DraftVersion, EventKind, Meeting
from tests.conftest import DRAFT_TEXT
from tests.factories import BillFactory, MeetingFactory

pytestmark = pytest.mark.django_db

BROKEN_NUMBERING = """长治市测试管理条例（草案修改稿）
第一条 为了加强测试管理，制定本条例。
第二条 本市行政区域内的测试活动，适用本条例。
第四条 本条例自2025年3月1日起施行。
"""


def _slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


# --- lists and filters -----------------------------------------------------------


def test_the_public_list_shows_published_bills_only(anon, staff_api):
    BillFactory(slug="open", is_published=True)
    BillFactory(slug="hidden", is_published=False)
    assert _slugs(anon.get("/api/v1/bills/")) == ["open"]
    assert sorted(_slugs(staff_api.get("/api/v1/bills/"))) == ["hidden", "open"]


def test_bills_filter_by_stage_kind_year_sponsor_and_words(anon, staff):
    elevator = BillFactory(
        slug="elevator", title="长治市电梯安全条例", summary="老旧电梯更新改造"
    )
    BillFactory(slug="qinhe", title="长治市沁河流域生态修复与保护条例", kind="revision")
    BillFactory(
        slug="old", title="长治市旧条例", plan_year=2023, sponsor="chairpersons"
    )
    services.start_drafting(bill=elevator, on=dt.date(2024, 2, 1), by=staff)
    url = "/api/v1/bills/"
    assert _slugs(anon.get(url, {"stage": "drafting"})) == ["elevator"]
    assert _slugs(anon.get(url, {"kind": "revision"})) == ["qinhe"]
    assert _slugs(anon.get(url, {"year": 2023})) == ["old"]
    assert _slugs(anon.get(url, {"sponsor": "chairpersons"})) == ["old"]
    assert _slugs(anon.get(url, {"q": "电梯 改造"})) == ["elevator"]
    assert sorted(_slugs(anon.get(url, {"stage": ["planned", "drafting"]}))) == [
        "elevator",
        "old",
        "qinhe",
    ]
    assert _slugs(anon.get(url, {"ordering": "-title"}))[0] == "elevator"


def test_a_bad_filter_value_is_a_400_with_a_code(anon):
    response = anon.get("/api/v1/bills/", {"stage": "nonsense", "year": "20x"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert {"stage", "year"} <= set(body["errors"])


def test_the_same_filterset_serves_pages(db):
    BillFactory(slug="a", title="长治市电梯安全条例", plan_year=2024)
    BillFactory(slug="b", title="长治市供热条例", plan_year=2023)
    filterset = BillFilter({"q": "电梯", "year": "2024"}, queryset=Bill.objects.all())
    assert filterset.is_valid()
    assert [b.slug for b in filterset.qs] == ["a"]


# --- one bill ------------------------------------------------------------------------


def test_a_bill_reads_with_its_version_as_etag_and_its_possible_moves(anon, bill):
    response = anon.get(f"/api/v1/bills/{bill.slug}/")
    assert response.status_code == 200
    assert response["ETag"] == f'"{bill.version}"'
    body = response.json()
    assert body["stage"] == "planned"
    assert body["next_stages"] == ["drafting", "withdrawn", "terminated"]


def test_a_chinese_slug_works(anon):
    BillFactory(slug="长治市电梯安全条例", title="长治市电梯安全条例")
    response = anon.get("/api/v1/bills/长治市电梯安全条例/")
    assert response.status_code == 200
    assert response.json()["title"] == "长治市电梯安全条例"
    events = anon.get("/api/v1/bills/长治市电梯安全条例/events/")
    assert [e["kind"] for e in events.json()["results"]] == ["planned"]


@pytest.mark.parametrize("client", ["anon", "clerk_a_api"])
def test_an_unpublished_bill_does_not_exist_for_the_public(request, client):
    hidden = BillFactory(slug="hidden", is_published=False)
    api = request.getfixturevalue(client)
    for path in ("", "events/", "versions/", "votes/", "compare/"):
        response = api.get(f"/api/v1/bills/{hidden.slug}/{path}")
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"


def test_staff_create_a_bill_in_the_plan(staff_api):
    response = staff_api.post(
        "/api/v1/bills/",
        {
            "title": "长治市城市绿化条例",
            "plan_year": 2025,
            "kind": "new",
            "planned_readings": 3,
            "is_published": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    bill = Bill.objects.get(title="长治市城市绿化条例")
    assert response.json()["slug"] == bill.slug
    assert response["ETag"] == f'"{bill.version}"'
    assert (bill.stage, bill.planned_readings) == ("planned", 3)
    assert bill.events.get().kind == EventKind.PLANNED


def test_a_bill_with_a_taken_slug_is_refused(staff_api, bill):
    response = staff_api.post(
        "/api/v1/bills/",
        {"title": "另一个条例", "plan_year": 2025, "slug": bill.slug},
        format="json",
    )
    # A well-formed bill that conflicts with one already there: 409, not 400.
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert "slug" in response.json()["errors"]


def test_an_edit_with_the_current_etag_changes_the_bill_and_notes_it(staff_api, bill):
    response = staff_api.patch(
        f"/api/v1/bills/{bill.slug}/",
        {"summary": "新的简介"},
        format="json",
        HTTP_IF_MATCH=f'"{bill.version}"',
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == bill.version + 1
    assert response["ETag"] == f'"{bill.version + 1}"'
    bill.refresh_from_db()
    assert bill.summary == "新的简介"
    assert bill.events.filter(kind=EventKind.DETAILS_CHANGED).count() == 1


def test_a_stale_if_match_gets_412_and_writes_nothing(staff_api, bill):
    before = (bill.version, bill.events.count())
    response = staff_api.patch(
        f"/api/v1/bills/{bill.slug}/",
        {"summary": "过时的修改"},
        format="json",
        HTTP_IF_MATCH=f'"{bill.version - 1}"',
    )
    assert response.status_code == 412
    assert response.json()["code"] == "precondition_failed"
    bill.refresh_from_db()
    assert bill.summary == ""
    assert (bill.version, bill.events.count()) == before


def test_a_stale_version_in_the_body_gets_409_and_writes_nothing(staff_api, bill):
    response = staff_api.patch(
        f"/api/v1/bills/{bill.slug}/",
        {"summary": "过时的修改", "version": bill.version - 1},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    bill.refresh_from_db()
    assert bill.summary == ""


def test_planned_readings_change_through_their_service(staff_api, bill):
    response = staff_api.patch(
        f"/api/v1/bills/{bill.slug}/",
        {"planned_readings": 3, "title": "长治市测试管理条例（修订）"},
        format="json",
        HTTP_IF_MATCH=f'"{bill.version}"',
    )
    assert response.status_code == 200, response.content
    bill.refresh_from_db()
    assert (bill.planned_readings, bill.title) == (3, "长治市测试管理条例（修订）")
    kinds = set(bill.events.values_list("kind", flat=True))
    assert {EventKind.PLAN_CHANGED, EventKind.DETAILS_CHANGED} <= kinds


def test_the_stage_cannot_be_patched(staff_api, bill):
    response = staff_api.patch(
        f"/api/v1/bills/{bill.slug}/", {"stage": "in_force"}, format="json"
    )
    assert response.status_code == 400
    bill.refresh_from_db()
    assert bill.stage == "planned"


# --- timeline -------------------------------------------------------------------------


def test_the_public_timeline_hides_internal_bookkeeping(anon, staff_api, staff, bill):
    services.update_bill(bill=bill, by=staff, expected_version=None, summary="新")
    public = anon.get(f"/api/v1/bills/{bill.slug}/events/").json()["results"]
    internal = staff_api.get(f"/api/v1/bills/{bill.slug}/events/").json()["results"]
    assert EventKind.DETAILS_CHANGED not in {e["kind"] for e in public}
    assert EventKind.DETAILS_CHANGED in {e["kind"] for e in internal}
    assert public[0]["kind"] == "planned"


# --- draft versions and comparison ---------------------------------------------------


def test_broken_numbering_is_refused_with_the_list_unless_confirmed(staff_api, bill):
    url = f"/api/v1/bills/{bill.slug}/versions/"
    payload = {
        "text": BROKEN_NUMBERING,
        "title": "长治市测试管理条例（草案修改稿）",
        "kind": "revised",
        "date": "2024-03-01",
    }
    response = staff_api.post(url, payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "draft_numbering_problems"
    assert len(body["errors"]) == 1 and "第三条" in body["errors"][0]
    assert bill.versions.count() == 1

    response = staff_api.post(
        url, {**payload, "confirm_numbering": True}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["number"] == 2
    assert bill.versions.get(number=2).numbering_confirmed


def test_a_text_without_articles_is_refused(staff_api, bill):
    response = staff_api.post(
        f"/api/v1/bills/{bill.slug}/versions/",
        {"text": "没有条文", "title": "空", "date": "2024-03-01"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_draft"


def test_a_version_reads_with_its_articles_paragraphs_and_items(anon, bill):
    response = anon.get(f"/api/v1/bills/{bill.slug}/versions/1/")
    assert response.status_code == 200
    body = response.json()
    assert [c["title"] for c in body["chapters"]] == ["总则", "管理", "附则"]
    fourth = body["articles"][3]
    assert (fourth["number"], fourth["label"]) == (4, "第四条")
    assert [i["number"] for i in fourth["paragraphs"][0]["items"]] == [1, 2, 3]


def test_unpublished_versions_are_404_for_the_public_until_published(
    anon, staff_api, staff, bill
):
    services.add_draft_version(
        bill=bill,
        text=DRAFT_TEXT.replace("保障人身", "保障公众人身"),
        title="修改稿",
        kind="revised",
        on=dt.date(2024, 3, 1),
        by=staff,
    )
    assert anon.get(f"/api/v1/bills/{bill.slug}/versions/2/").status_code == 404
    listed = anon.get(f"/api/v1/bills/{bill.slug}/versions/").json()["results"]
    assert [v["number"] for v in listed] == [1]
    response = staff_api.patch(
        f"/api/v1/bills/{bill.slug}/versions/2/", {"is_published": True}, format="json"
    )
    assert response.status_code == 200
    assert anon.get(f"/api/v1/bills/{bill.slug}/versions/2/").status_code == 200


def test_compare_two_versions_article_by_article(anon, staff, bill):
    services.add_draft_version(
        bill=bill,
        text=DRAFT_TEXT.replace("保障人身", "保障公众人身"),
        title="修改稿",
        kind="revised",
        on=dt.date(2024, 3, 1),
        by=staff,
        is_published=True,
    )
    response = anon.get(f"/api/v1/bills/{bill.slug}/compare/", {"from": 1, "to": 2})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["old"]["number"], body["new"]["number"]) == (1, 2)
    statuses = [row["status"] for row in body["rows"]]
    assert statuses == ["changed", "unchanged", "unchanged", "unchanged", "unchanged"]
    inserted = [s for s in body["rows"][0]["new_segments"] if s["op"] == "insert"]
    assert "".join(s["text"] for s in inserted) == "公众"
    # Without from and to: the latest two.
    assert anon.get(f"/api/v1/bills/{bill.slug}/compare/").json() == body


def test_compare_with_an_unknown_version_is_a_404_and_a_bad_number_a_400(anon, bill):
    url = f"/api/v1/bills/{bill.slug}/compare/"
    missing = anon.get(url, {"from": 1, "to": 9})
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    bad = anon.get(url, {"from": "x"})
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid")


# --- meetings ---------------------------------------------------------------------------


def test_staff_keep_meetings_and_everyone_reads_them(anon, staff_api, clerk_a_api):
    payload = {"term": 15, "number": 22, "date": "2024-10-30", "members": 45}
    assert anon.post("/api/v1/meetings/", payload, format="json").status_code == 401
    assert (
        clerk_a_api.post("/api/v1/meetings/", payload, format="json").status_code == 403
    )
    response = staff_api.post("/api/v1/meetings/", payload, format="json")
    assert response.status_code == 201, response.content
    assert (
        response.json()["name"] == "长治市第十五届人民代表大会常务委员会第二十二次会议"
    )
    again = staff_api.post("/api/v1/meetings/", payload, format="json")
    assert again.status_code == 409  # the term and number are taken
    listed = anon.get("/api/v1/meetings/").json()["results"]
    assert [m["short_name"] for m in listed] == ["市十五届人大常委会第二十二次会议"]


def test_a_meeting_in_use_cannot_be_deleted(staff_api, staff, bill):
    meeting = MeetingFactory()
    services.record_event(
        bill=bill,
        kind=EventKind.CONSULTATION_OPENED,
        on=meeting.date,
        by=staff,
        meeting=meeting,
    )
    response = staff_api.delete(f"/api/v1/meetings/{meeting.pk}/")
    assert response.status_code == 409
    assert response.json()["code"] == "in_use"
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    unused = MeetingFactory()
    assert staff_api.delete(f"/api/v1/meetings/{unused.pk}/").status_code == 204


# --- tokens ---------------------------------------------------------------------------


def test_a_token_for_a_password_and_revoked_on_request(anon, staff):
    wrong = anon.post(
        "/api/v1/auth/token/", {"username": "staff", "password": "x"}, format="json"
    )
    assert (wrong.status_code, wrong.json()["code"]) == (401, "invalid_credentials")
    missing = anon.post("/api/v1/auth/token/", {"username": "staff"}, format="json")
    assert (missing.status_code, missing.json()["code"]) == (400, "invalid")
    response = anon.post(
        "/api/v1/auth/token/", {"username": "staff", "password": "demo"}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    anon.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    hidden = BillFactory(is_published=False)
    assert anon.get(f"/api/v1/bills/{hidden.slug}/").status_code == 200
    assert anon.delete("/api/v1/auth/token/").status_code == 204
    assert not staff.api_tokens.exists()
    assert anon.get(f"/api/v1/bills/{hidden.slug}/").status_code == 401


def test_unknown_paths_and_versions_are_json_404s(anon, bill):
    assert anon.get("/api/v1/bills/no-such-bill/").json()["code"] == "not_found"
    assert anon.get(f"/api/v1/bills/{bill.slug}/versions/7/").status_code == 404
    assert DraftVersion.objects.count() == 1
    assert BillEvent.objects.filter(bill=bill).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_edits_with_one_etag_let_exactly_one_win(staff):
    """Both requests pass the If-Match check; the row lock lets one write."""
    import threading

    from django.db import connection

    from .conftest import client_for

    bill = BillFactory(slug="contested")
    etag = f'"{bill.version}"'
    barrier = threading.Barrier(2)
    codes: list[int] = []

    def edit(summary: str) -> None:
        try:
            client = client_for(staff)
            barrier.wait()
            response = client.patch(
                "/api/v1/bills/contested/",
                {"summary": summary},
                format="json",
                HTTP_IF_MATCH=etag,
            )
            codes.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(s,)) for s in ("甲", "乙")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [200, 412]
    bill.refresh_from_db()
    assert bill.version == 2
    assert bill.summary in ("甲", "乙")
    assert bill.events.filter(kind=EventKind.DETAILS_CHANGED).count() == 1


def test_password_guessing_is_stopped_but_revoking_is_not(anon, staff_api):
    codes = [
        anon.post(
            "/api/v1/auth/token/", {"username": "staff", "password": "x"}, format="json"
        ).status_code
        for _ in range(21)
    ]
    assert codes == [401] * 10 + [429] * 11
    assert all(
        staff_api.delete("/api/v1/auth/token/").status_code in (204, 401)
        for _ in range(25)
    )
