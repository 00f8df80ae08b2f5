"""
The acts on a bill that change no stage, through the API: unified review,
deferred vote, filing, planned readings, correction; documents; the alignment of
an article. Each is allowed where the rules allow it and refused elsewhere, and a
refusal (or a stale write) leaves the bill, its version and its timeline as they
were.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from legislation import acts, selectors, services
from legislation.models import (
    Article,
    Bill,
    BillEvent,
    Document,
    EventKind,
    Stage,
)
from tests.conftest import DRAFT_TEXT
from tests.factories import BillFactory
from tests.legislation.lifecycle import Clock, walk_to

from .conftest import ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def at(clock, staff):
    """Make a fresh published bill in ``stage`` (planned readings as given)."""

    def make(stage: Stage, planned_readings: int = 2) -> Bill:
        bill = BillFactory(planned_readings=planned_readings)
        return walk_to(bill, stage, clock, by=staff)

    return make


def _post(client, bill: Bill, data: dict, **headers):  # noqa: ANN001, ANN202
    return client.post(
        f"/api/v1/bills/{bill.slug}/acts/", data, format="json", **headers
    )


def _state(bill: Bill) -> tuple:
    """What a refused act must leave as it was."""
    bill.refresh_from_db()
    return (bill.stage, bill.version, bill.planned_readings, bill.events.count())


# --- each act, allowed ------------------------------------------------------------


def test_unified_review_during_the_readings_goes_on_the_timeline(staff_api, at, staff):
    bill = at(Stage.FIRST_READING)
    services.add_draft_version(
        bill=bill,
        text=DRAFT_TEXT,
        title="草案修改稿",
        kind="revised",
        on=dt.date(2024, 6, 1),
        by=staff,
    )
    version = Bill.objects.get(pk=bill.pk).version
    response = _post(
        staff_api,
        bill,
        {"act": "unified_review", "on": "2024-06-10", "version": 1, "note": "报告"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["version"], body["note"]) == (
        "unified_review",
        1,
        "报告",
    )
    event = BillEvent.objects.get(pk=body["id"])
    assert event.kind == EventKind.UNIFIED_REVIEW and event.on == dt.date(2024, 6, 10)
    bill.refresh_from_db()
    assert bill.version == version + 1
    assert bill.stage == Stage.FIRST_READING
    assert response["ETag"] == f'"{bill.version}"'


def test_a_vote_deferred_at_a_meeting_goes_on_the_timeline(staff_api, at, clock):
    bill = at(Stage.FIRST_READING, planned_readings=1)
    meeting = clock.meeting()
    response = _post(staff_api, bill, {"act": "defer_vote", "meeting": meeting.pk})
    assert response.status_code == 201, response.content
    assert response.json()["meeting"]["id"] == meeting.pk
    event = bill.events.get(kind=EventKind.VOTE_DEFERRED)
    assert event.on == meeting.date
    bill.refresh_from_db()
    assert bill.stage == Stage.FIRST_READING


def test_filing_after_promulgation_is_recorded_once(staff_api, at):
    bill = at(Stage.PROMULGATED)
    response = _post(staff_api, bill, {"act": "filing", "on": "2025-06-01"})
    assert response.status_code == 201, response.content
    assert bill.events.filter(kind=EventKind.FILED).count() == 1
    before = _state(bill)
    again = _post(staff_api, bill, {"act": "filing", "on": "2025-06-02"})
    assert again.status_code == 409
    assert again.json()["code"] == "transition_not_allowed"
    assert _state(bill) == before


def test_planned_readings_change_before_the_vote(staff_api, at):
    bill = at(Stage.FIRST_READING)
    response = _post(
        staff_api, bill, {"act": "planned_readings", "planned_readings": 3}
    )
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "plan_changed"
    bill.refresh_from_db()
    assert bill.planned_readings == 3
    assert bill.events.filter(kind=EventKind.PLAN_CHANGED).count() == 1


def test_a_correction_is_appended_and_the_entry_stays(staff_api, bill):
    entry = bill.events.get(kind=EventKind.PLANNED)
    response = _post(
        staff_api, bill, {"act": "correction", "event": entry.pk, "note": "日期有误"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["corrects"], body["note"]) == (
        "correction",
        entry.pk,
        "日期有误",
    )
    entry.refresh_from_db()
    assert entry.kind == EventKind.PLANNED and entry.note == ""


# --- each act, refused: nothing changes -------------------------------------------


REFUSED = [
    # (act, stage, planned readings, payload, status, code)
    ("unified_review", Stage.PLANNED, 2, {"on": "2024-06-01"}, 409, None),
    ("unified_review", Stage.PASSED, 1, {"on": "2024-06-01"}, 409, None),
    ("defer_vote", Stage.PLANNED, 2, {}, 409, None),
    ("defer_vote", Stage.FIRST_READING, 2, {}, 409, None),
    ("filing", Stage.PASSED, 1, {"on": "2025-01-01"}, 409, None),
    ("planned_readings", Stage.PASSED, 1, {"planned_readings": 3}, 409, None),
    ("planned_readings", Stage.SECOND_READING, 2, {"planned_readings": 1}, 409, None),
    ("planned_readings", Stage.PLANNED, 2, {"planned_readings": 4}, 400, "invalid"),
    ("correction", Stage.PLANNED, 2, {"note": ""}, 400, "invalid"),
]


@pytest.mark.parametrize(
    ("act", "stage", "planned", "payload", "status", "code"),
    REFUSED,
    ids=[f"{r[0]}-{r[1]}-{r[4]}" for r in REFUSED],
)
def test_an_act_the_rules_refuse_changes_nothing(
    staff_api, at, clock, act, stage, planned, payload, status, code
):
    bill = at(stage, planned_readings=planned)
    if act == "defer_vote":
        payload = {**payload, "meeting": clock.meeting().pk}
    if act == "correction":
        payload = {**payload, "event": bill.events.first().pk}
    before = _state(bill)
    response = _post(staff_api, bill, {"act": act, **payload})
    assert response.status_code == status, response.content
    assert response.json()["code"] == (code or "transition_not_allowed")
    assert response.json()["detail"]
    assert _state(bill) == before


def test_another_bills_event_cannot_be_corrected_here(staff_api, bill):
    other = BillFactory()
    before = _state(bill)
    response = _post(
        staff_api,
        bill,
        {"act": "correction", "event": other.events.get().pk, "note": "更正"},
    )
    # Not among this bill's events: not found, like an event that does not exist.
    assert response.status_code == 404
    assert "event" in response.json()["errors"]
    assert _state(bill) == before
    assert other.events.count() == 1


def test_a_draft_version_of_another_bill_or_none_is_refused(staff_api, at):
    bill = at(Stage.FIRST_READING)
    before = _state(bill)
    response = _post(
        staff_api, bill, {"act": "unified_review", "on": "2024-06-10", "version": 9}
    )
    assert response.status_code == 400
    assert _state(bill) == before


@pytest.mark.parametrize(
    "body",
    [{}, {"act": "vote"}, {"act": "filing"}, ["filing"], {"act": None}],
    ids=["no-act", "unknown-act", "missing-fields", "not-an-object", "null-act"],
)
def test_a_malformed_act_is_400_with_a_stable_code(staff_api, bill, body):
    before = _state(bill)
    response = _post(staff_api, bill, body)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert _state(bill) == before


def test_every_side_act_the_staff_pages_offer_has_an_api_act(at):
    offered = set()
    for stage in (Stage.PLANNED, Stage.FIRST_READING, Stage.PROMULGATED):
        bill = at(stage, planned_readings=1)
        offered |= set(selectors.next_acts(bill))
    side = {act for act in offered if not acts.ACTS[act].moves}
    assert side == {"unified_review", "defer_vote", "filing", "planned_readings"}
    assert side < set(acts.SIDE_ACTS)


# --- stale writes ------------------------------------------------------------------


def test_a_stale_if_match_is_412_and_writes_nothing(staff_api, at):
    bill = at(Stage.FIRST_READING)
    stale = f'"{bill.version - 1}"'
    before = _state(bill)
    response = _post(
        staff_api,
        bill,
        {"act": "planned_readings", "planned_readings": 3},
        HTTP_IF_MATCH=stale,
    )
    assert response.status_code == 412
    assert response.json()["code"] == "precondition_failed"
    assert _state(bill) == before


def test_a_stale_bill_version_in_the_body_is_409_and_writes_nothing(staff_api, at):
    bill = at(Stage.FIRST_READING)
    before = _state(bill)
    response = _post(
        staff_api,
        bill,
        {"act": "unified_review", "on": "2024-06-10", "bill_version": bill.version - 1},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert _state(bill) == before


def test_the_current_etag_lets_the_act_through(staff_api, at):
    bill = at(Stage.FIRST_READING)
    etag = staff_api.get(f"/api/v1/bills/{bill.slug}/")["ETag"]
    response = _post(
        staff_api,
        bill,
        {"act": "unified_review", "on": "2024-06-10"},
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 201
    assert response["ETag"] != etag


# --- who may act -------------------------------------------------------------------

ALLOWED = {"staff", "admin"}


def _situation(act: str, at, clock, bill: Bill) -> tuple[Bill, dict]:  # noqa: ANN001
    """A fresh bill on which ``act`` is possible, and the act's body."""
    if act == "unified_review":
        return at(Stage.FIRST_READING), {"on": "2024-12-01"}
    if act == "defer_vote":
        return at(Stage.FIRST_READING, 1), {"meeting": clock.meeting().pk}
    if act == "filing":
        return at(Stage.PROMULGATED), {"on": "2026-01-01"}
    if act == "planned_readings":
        return BillFactory(), {"planned_readings": 3}
    return bill, {"event": bill.events.first().pk, "note": "更正"}


@pytest.mark.parametrize("act", acts.SIDE_ACTS)
def test_only_staff_and_administrators_may_record_acts(act, clients, at, clock, bill):
    for role in ROLES:
        target, payload = _situation(act, at, clock, bill)
        before = _state(target)
        response = _post(clients[role], target, {"act": act, **payload})
        if role in ALLOWED:
            assert response.status_code == 201, (role, response.content)
        else:
            expected = 401 if role == "anonymous" else 403
            assert response.status_code == expected, (role, response.content)
            assert _state(target) == before


# --- documents ---------------------------------------------------------------------


def _documents(client, bill: Bill):  # noqa: ANN001, ANN202
    return client.get(f"/api/v1/bills/{bill.slug}/documents/")


def test_staff_attach_a_document_with_its_text(staff_api, bill, meetings):
    version = bill.version
    response = staff_api.post(
        f"/api/v1/bills/{bill.slug}/documents/",
        {
            "kind": "drafting_explanation",
            "title": "关于《长治市测试管理条例（草案）》的说明",
            "date": "2024-03-01",
            "text": "一、制定的必要性……",
            "meeting": meetings[0].pk,
            "version": 1,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "drafting_explanation"
    assert body["version"] == 1 and body["meeting"]["id"] == meetings[0].pk
    assert body["file_url"] is None and body["stage"] == "planned"
    document = Document.objects.get(pk=body["id"])
    assert document.text == "一、制定的必要性……" and document.is_published
    event = bill.events.get(kind=EventKind.DOCUMENT_PUBLISHED)
    assert event.note == document.title
    bill.refresh_from_db()
    assert bill.version == version + 1
    assert response["ETag"] == f'"{bill.version}"'


def test_staff_upload_a_document_file(staff_api, bill):
    upload = SimpleUploadedFile(
        "说明.pdf", b"%PDF-1.4 test", content_type="application/pdf"
    )
    response = staff_api.post(
        f"/api/v1/bills/{bill.slug}/documents/",
        {
            "kind": "review_opinion",
            "title": "审议意见",
            "date": "2024-04-01",
            "file": upload,
            "is_published": "false",
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["file_url"].startswith("http://testserver/")
    document = Document.objects.get(pk=body["id"])
    assert document.file.read() == b"%PDF-1.4 test"
    assert not document.is_published
    # Not published: not on the timeline either.
    assert not bill.events.filter(kind=EventKind.DOCUMENT_PUBLISHED).exists()


def test_a_document_needs_text_or_a_file(staff_api, bill):
    before = _state(bill)
    response = staff_api.post(
        f"/api/v1/bills/{bill.slug}/documents/",
        {"kind": "other", "title": "空文件", "date": "2024-04-01", "text": "  "},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert _state(bill) == before
    assert not Document.objects.exists()


def test_a_stale_document_write_is_412_and_writes_nothing(staff_api, bill):
    before = _state(bill)
    response = staff_api.post(
        f"/api/v1/bills/{bill.slug}/documents/",
        {"kind": "other", "title": "文件", "date": "2024-04-01", "text": "正文"},
        format="json",
        HTTP_IF_MATCH=f'"{bill.version + 5}"',
    )
    assert response.status_code == 412
    assert _state(bill) == before
    assert not Document.objects.exists()


def _add_documents(bill: Bill, staff, n: int) -> None:  # noqa: ANN001
    for i in range(n):
        services.add_document(
            bill=bill,
            kind="other",
            title=f"公开文件{i}",
            on=dt.date(2024, 4, 1),
            text="正文",
            version=bill.versions.first(),
            by=staff,
        )
        services.add_document(
            bill=bill,
            kind="other",
            title=f"内部文件{i}",
            on=dt.date(2024, 4, 2),
            text="正文",
            is_published=False,
            by=staff,
        )


def test_the_public_sees_published_documents_and_staff_all(
    anon, clerk_a_api, staff_api, bill, staff
):
    _add_documents(bill, staff, 1)
    public = _documents(anon, bill)
    assert public.status_code == 200
    assert [d["title"] for d in public.json()["results"]] == ["公开文件0"]
    assert [d["title"] for d in _documents(clerk_a_api, bill).json()["results"]] == [
        "公开文件0"
    ]
    titles = [d["title"] for d in _documents(staff_api, bill).json()["results"]]
    assert titles == ["公开文件0", "内部文件0"]


def test_the_documents_of_an_unpublished_bill_do_not_exist_for_the_public(
    anon, clerk_a_api, staff_api, staff
):
    hidden = BillFactory(is_published=False)
    _add_documents(hidden, staff, 1)
    assert _documents(anon, hidden).status_code == 404
    assert _documents(clerk_a_api, hidden).status_code == 404
    assert _documents(staff_api, hidden).status_code == 200


@pytest.mark.parametrize(
    ("role", "status"), [("anonymous", 401), ("clerk_a", 403), ("clerk_b", 403)]
)
def test_only_staff_may_attach_documents(clients, bill, role, status):
    response = clients[role].post(
        f"/api/v1/bills/{bill.slug}/documents/",
        {"kind": "other", "title": "文件", "date": "2024-04-01", "text": "正文"},
        format="json",
    )
    assert response.status_code == status
    assert not Document.objects.exists()


def test_the_document_list_runs_a_fixed_number_of_queries(anon, staff_api, bill, staff):
    def count(client) -> int:  # noqa: ANN001
        with CaptureQueriesContext(connection) as queries:
            assert _documents(client, bill).status_code == 200
        return len(queries)

    _add_documents(bill, staff, 2)
    small = (count(anon), count(staff_api))
    _add_documents(bill, staff, 20)
    assert (count(anon), count(staff_api)) == small


# --- alignment ---------------------------------------------------------------------


@pytest.fixture
def revised(bill, staff):
    """The bill with a second version, its articles aligned with the first's."""
    services.add_draft_version(
        bill=bill,
        text=DRAFT_TEXT.replace("保障人身", "保障公众人身"),
        title="草案修改稿",
        kind="revised",
        on=dt.date(2024, 5, 1),
        by=staff,
    )
    bill.refresh_from_db()
    return bill


def _align(client, bill: Bill, article: int, data: dict, number: int = 2, **headers):  # noqa: ANN001, ANN202
    return client.post(
        f"/api/v1/bills/{bill.slug}/versions/{number}/articles/{article}/alignment/",
        data,
        format="json",
        **headers,
    )


def _article(bill: Bill, version: int, number: int) -> Article:
    return Article.objects.get(
        version__bill=bill, version__number=version, number=number
    )


def test_staff_say_which_earlier_article_an_article_continues(staff_api, revised):
    old_second = _article(revised, 1, 2)
    response = _align(staff_api, revised, 1, {"predecessor": old_second.pk})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["predecessor"] == old_second.pk and body["aligned_by_hand"]
    assert body["lineage"] == old_second.lineage_id
    # The article that continued it before is a new article now.
    assert _article(revised, 2, 2).predecessor is None
    revised_version = Bill.objects.get(pk=revised.pk).version
    assert response["ETag"] == f'"{revised_version}"'


def test_an_article_can_be_marked_new(staff_api, revised):
    response = _align(staff_api, revised, 3, {"predecessor": None})
    assert response.status_code == 200, response.content
    article = _article(revised, 2, 3)
    assert article.predecessor is None
    assert article.lineage_id != _article(revised, 1, 3).lineage_id


def test_a_predecessor_of_another_bill_is_refused(staff_api, revised):
    stranger = BillFactory()
    services.add_draft_version(
        bill=stranger,
        text=DRAFT_TEXT,
        title="草案",
        kind="draft",
        on=dt.date(2024, 1, 1),
        by=None,
    )
    before = (_state(revised), _article(revised, 2, 1).lineage_id)
    response = _align(
        staff_api, revised, 1, {"predecessor": _article(stranger, 1, 1).pk}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_draft"
    assert (_state(revised), _article(revised, 2, 1).lineage_id) == before


def test_a_missing_article_or_version_is_404(staff_api, revised):
    assert _align(staff_api, revised, 99, {"predecessor": None}).status_code == 404
    assert (
        _align(staff_api, revised, 1, {"predecessor": None}, number=7).status_code
        == 404
    )


def test_a_stale_alignment_is_refused_and_writes_nothing(staff_api, revised):
    before = (_state(revised), _article(revised, 2, 1).lineage_id)
    stale = _align(staff_api, revised, 1, {"predecessor": None}, HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    body_stale = _align(staff_api, revised, 1, {"predecessor": None, "bill_version": 1})
    assert body_stale.status_code == 409
    assert (_state(revised), _article(revised, 2, 1).lineage_id) == before


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("clerk_a", 403), ("staff", 200), ("admin", 200)],
)
def test_only_staff_may_correct_an_alignment(clients, revised, role, status):
    response = _align(clients[role], revised, 3, {"predecessor": None})
    assert response.status_code == status
    assert _article(revised, 2, 3).aligned_by_hand == (status == 200)


# --- answers match the API description -----------------------------------------------


@pytest.fixture
def described(transactional_db_guard):  # noqa: ANN001, ANN201
    """The API's own description, to check successful answers against it."""
    import schemathesis
    from django.core.wsgi import get_wsgi_application

    return schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture
def transactional_db_guard():
    """Keep the test's connection open across WSGI calls (see test_schema_fuzz)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_successful_answers_match_the_api_description(
    described, staff, at, clock, bill
):
    from schemathesis.specs.openapi.checks import (
        response_headers_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    from npc.accounts.services import issue_token

    auth = {"Authorization": f"Token {issue_token(user=staff)[1]}"}
    services.add_document(
        bill=bill,
        kind="other",
        title="文件",
        on=dt.date(2024, 4, 1),
        text="正文",
        by=staff,
    )
    calls = [
        ("/bills/{slug}/documents/", "GET", {"slug": bill.slug}, None),
        (
            "/bills/{slug}/documents/",
            "POST",
            {"slug": bill.slug},
            {"kind": "other", "title": "说明", "date": "2024-04-01", "text": "正文"},
        ),
        (
            "/bills/{slug}/versions/{number}/articles/{article}/alignment/",
            "POST",
            {"slug": bill.slug, "number": "1", "article": 1},
            {"predecessor": None},
        ),
    ]
    for act in acts.SIDE_ACTS:
        target, payload = _situation(act, at, clock, bill)
        calls.append(
            (
                "/bills/{slug}/acts/",
                "POST",
                {"slug": target.slug},
                {"act": act, **payload},
            )
        )
    for path, method, parameters, body in calls:
        operation = described[f"/api/v1{path}"][method]
        kwargs = (
            {} if body is None else {"body": body, "media_type": "application/json"}
        )
        case = operation.Case(path_parameters=parameters, headers=auth, **kwargs)
        response = case.call()
        assert response.status_code < 300, (path, body, response.text)
        case.validate_response(
            response,
            checks=[
                status_code_conformance,
                response_headers_conformance,
                response_schema_conformance,
            ],
            headers=auth,
        )
