"""The consultation API: consultations, comments and decisions, imports,
receipts and statistics."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from consultation import imports, services
from consultation.models import Comment, DecisionRecord, ImportBatch
from tests.consultation.privacy import assert_no_personal_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment_a(consultation_a, staff, draft):
    return services.enter_comment(
        by=staff,
        consultation=consultation_a,
        text="建议明确测试单位的检查频次。",
        article=draft.articles.get(number=4),
        contributor_name="王测试",
        contributor_contact="13912345678",
        contributor_kind="deputy",
    )


@pytest.fixture
def comment_b(consultation_b, staff):
    return services.enter_comment(
        by=staff,
        consultation=consultation_b,
        text="建议增加对测试活动的公众监督。",
        contributor_name="李测试",
        contributor_contact="13800001111",
    )


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- reading comments -----------------------------------------------------------------


def test_the_public_reads_outcomes_without_personal_data(anon, comment_a, comment_b):
    response = anon.get("/api/v1/comments/")
    assert _ids(response) == [comment_b.pk, comment_a.pk]
    rows = response.json()["results"]
    assert all(r["contributor"] is None and r["receipt"] is None for r in rows)
    assert_no_personal_data(response.content.decode())
    detail = anon.get(f"/api/v1/comments/{comment_a.pk}/")
    assert detail.json()["article"]["label"] == "第四条"
    assert_no_personal_data(detail.content.decode())


def test_a_clerk_sees_who_made_their_points_comments_only(
    clerk_a_api, comment_a, comment_b
):
    rows = {r["id"]: r for r in clerk_a_api.get("/api/v1/comments/").json()["results"]}
    assert rows[comment_a.pk]["contributor"]["name"] == "王测试"
    assert rows[comment_a.pk]["receipt"] == comment_a.receipt
    assert rows[comment_b.pk]["contributor"] is None
    assert rows[comment_b.pk]["receipt"] is None


def test_staff_see_everyone(staff_api, comment_a, comment_b):
    rows = staff_api.get("/api/v1/comments/").json()["results"]
    assert {r["contributor"]["contact"] for r in rows} == {"13912345678", "13800001111"}


def test_comments_in_unpublished_consultations_are_internal(
    anon, clerk_a_api, clerk_b_api, staff, consultation_a, comment_a
):
    services.update_consultation(
        consultation=consultation_a,
        by=staff,
        expected_revision=None,
        is_published=False,
    )
    assert _ids(anon.get("/api/v1/comments/")) == []
    assert anon.get(f"/api/v1/comments/{comment_a.pk}/").status_code == 404
    assert clerk_b_api.get(f"/api/v1/comments/{comment_a.pk}/").status_code == 404
    assert _ids(clerk_a_api.get("/api/v1/comments/")) == [comment_a.pk]


def test_comments_filter_by_status_article_point_and_words(
    anon, staff_api, staff, comment_a, comment_b, draft, point_b
):
    services.decide_comment(
        comment=comment_b, status="adopted", by=staff, explanation="已采纳。"
    )
    url = "/api/v1/comments/"
    assert _ids(anon.get(url, {"status": "adopted"})) == [comment_b.pk]
    article = draft.articles.get(number=4).pk
    assert _ids(anon.get(url, {"article": article})) == [comment_a.pk]
    assert _ids(anon.get(url, {"point": point_b.pk})) == [comment_b.pk]
    assert _ids(anon.get(url, {"q": "监督"})) == [comment_b.pk]
    # The contributor's kind filters for internal users only.
    assert _ids(staff_api.get(url, {"kind": "deputy"})) == [comment_a.pk]
    assert _ids(anon.get(url, {"kind": "deputy"})) == [comment_b.pk, comment_a.pk]


def test_comment_pages_follow_cursors(anon, consultation_a, staff):
    made = [
        services.enter_comment(by=staff, consultation=consultation_a, text=f"意见{n}")
        for n in range(5)
    ]
    seen: list[int] = []
    url = "/api/v1/comments/?page_size=2"
    while url:
        body = anon.get(url).json()
        assert len(body["results"]) <= 2
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert seen == sorted((c.pk for c in made), reverse=True)
    assert anon.get("/api/v1/comments/", {"cursor": "garbage"}).status_code == 404


# --- entering and correcting ----------------------------------------------------------


def test_a_clerk_enters_comments_at_their_point_only(
    clerk_a_api, clerk_b_api, consultation_a
):
    payload = {
        "consultation": consultation_a.pk,
        "text": "建议在社区设置测试宣传栏。",
        "contributor": {"name": "赵居民", "contact": "13700000000", "kind": "resident"},
    }
    refused = clerk_b_api.post("/api/v1/comments/", payload, format="json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    response = clerk_a_api.post("/api/v1/comments/", payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    comment = Comment.objects.get(pk=body["id"])
    assert body["receipt"] == comment.receipt
    assert body["contributor"]["name"] == "赵居民"
    assert response["ETag"] == '"1"'
    assert comment.point_id == consultation_a.point_id


def test_a_stale_correction_is_refused_and_overwrites_nothing(
    staff_api, clerk_a_api, comment_a
):
    url = f"/api/v1/comments/{comment_a.pk}/"
    etag = clerk_a_api.get(url)["ETag"]
    ok = clerk_a_api.patch(
        url, {"summary": "检查频次"}, format="json", HTTP_IF_MATCH=etag
    )
    assert ok.status_code == 200, ok.content
    stale = staff_api.patch(url, {"text": "旧"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    stale = staff_api.patch(url, {"text": "旧", "revision": 1}, format="json")
    assert stale.status_code == 409
    comment_a.refresh_from_db()
    assert (comment_a.text, comment_a.summary) == (
        "建议明确测试单位的检查频次。",
        "检查频次",
    )


def test_a_clerk_cannot_change_a_decided_comment(clerk_a_api, staff, comment_a):
    services.decide_comment(
        comment=comment_a, status="for_reference", by=staff, explanation="参考。"
    )
    response = clerk_a_api.patch(
        f"/api/v1/comments/{comment_a.pk}/", {"summary": "改"}, format="json"
    )
    assert response.status_code == 403


# --- decisions --------------------------------------------------------------------------


def test_staff_decide_and_the_decision_is_history(staff_api, clerk_a_api, comment_a):
    url = f"/api/v1/comments/{comment_a.pk}/decision/"
    assert (
        clerk_a_api.post(url, {"status": "adopted"}, format="json").status_code == 403
    )
    missing = staff_api.post(url, {"status": "not_adopted"}, format="json")
    assert missing.status_code == 400
    assert missing.json()["code"] == "invalid_decision"
    response = staff_api.post(
        url,
        {
            "status": "not_adopted",
            "reason": "higher_law_provides",
            "explanation": "上位法已规定。",
        },
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "not_adopted"
    assert response["ETag"] == '"2"'
    stale = staff_api.post(
        url, {"status": "adopted"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert stale.status_code == 412
    assert DecisionRecord.objects.filter(comment=comment_a).count() == 1


def test_a_bulk_decision_is_all_or_nothing(staff_api, comment_a, comment_b):
    url = "/api/v1/comments/bulk-decision/"
    payload = {
        "comments": [comment_a.pk, comment_b.pk],
        "status": "partially_adopted",
        "reason": "balanced",
        "explanation": "已综合平衡。",
    }
    stale = staff_api.post(
        url,
        {**payload, "revisions": {str(comment_a.pk): 1, str(comment_b.pk): 7}},
        format="json",
    )
    assert stale.status_code == 409
    assert not DecisionRecord.objects.exists()
    response = staff_api.post(url, payload, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["count"] == 2
    assert set(Comment.objects.values_list("status", flat=True)) == {
        "partially_adopted"
    }


# --- consultations ----------------------------------------------------------------------


def test_consultations_are_recorded_by_staff_and_clerks_at_their_points(
    staff_api, clerk_a_api, clerk_b_api, point_a, bill
):
    payload = {
        "bill": bill.slug,
        "version": 1,
        "channel": "liaison_point",
        "point": point_a.pk,
        "title": "社区座谈会",
        "held_on": "2024-09-20",
        "participants": 15,
    }
    assert (
        clerk_b_api.post("/api/v1/consultations/", payload, format="json").status_code
        == 403
    )
    response = clerk_a_api.post("/api/v1/consultations/", payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["point"]["id"] == point_a.pk
    bad = staff_api.post(
        "/api/v1/consultations/", {**payload, "version": 9}, format="json"
    )
    assert bad.status_code == 400
    online = staff_api.post(
        "/api/v1/consultations/",
        {
            **payload,
            "channel": "online",
            "point": None,
            "held_on": None,
            "opens_on": "2024-09-01",
            "closes_on": "2024-09-10",
        },
        format="json",
    )
    assert online.status_code == 400
    assert online.json()["code"] == "invalid_consultation"


def test_a_consultation_with_comments_keeps_its_draft(
    staff_api, consultation_a, comment_a, point_b
):
    url = f"/api/v1/consultations/{consultation_a.pk}/"
    response = staff_api.patch(url, {"point": point_b.pk}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "consultation_frozen"
    response = staff_api.patch(
        url,
        {"title": "新名称"},
        format="json",
        HTTP_IF_MATCH=f'"{consultation_a.revision}"',
    )
    assert response.status_code == 200
    assert response["ETag"] == f'"{consultation_a.revision + 1}"'


# --- imports -------------------------------------------------------------------------------


def _csv(rows: list[list[str]]) -> SimpleUploadedFile:
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(imports.HEADERS)
    writer.writerows(rows)
    return SimpleUploadedFile("意见.csv", out.getvalue().encode(), "text/csv")


def test_an_import_answers_202_then_shows_its_outcome(
    clerk_a_api, consultation_a, django_capture_on_commit_callbacks
):
    rows = [
        [
            "建议明确检查频次。",
            "第四条",
            "钱居民",
            "13611112222",
            "居民",
            "",
            "2024-09-10",
            "",
        ],
        ["建议加强宣传。", "", "", "", "", "", "", ""],
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk_a_api.post(
            "/api/v1/imports/",
            {"file": _csv(rows), "consultation": consultation_a.pk},
            format="multipart",
        )
    assert response.status_code == 202, response.content
    assert response["Location"] == response.json()["url"]
    batch = clerk_a_api.get(response["Location"]).json()
    assert (batch["status"], batch["created_count"], batch["progress"]) == (
        "done",
        2,
        100,
    )
    assert Comment.objects.filter(import_batch_id=batch["id"]).count() == 2


def test_a_bad_row_fails_the_import_with_its_row_number(
    staff_api, consultation_a, django_capture_on_commit_callbacks
):
    rows = [
        ["好的意见。", "", "", "", "", "", "", ""],
        ["", "第九十九条", "", "", "", "", "", ""],
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_api.post(
            "/api/v1/imports/",
            {"file": _csv(rows), "consultation": consultation_a.pk},
            format="multipart",
        )
    batch = staff_api.get(response["Location"]).json()
    assert batch["status"] == "failed"
    assert {e["row"] for e in batch["errors"]} == {3}
    assert not Comment.objects.exists()


def test_imports_are_for_the_points_clerk_and_staff(
    anon, clerk_a_api, clerk_b_api, consultation_a
):
    def upload(client, file=None):  # noqa: ANN001, ANN202
        data = {
            "file": file or _csv([["意见。"] + [""] * 7]),
            "consultation": consultation_a.pk,
        }
        return client.post("/api/v1/imports/", data, format="multipart")

    assert upload(anon).status_code == 401
    assert upload(clerk_b_api).status_code == 403
    assert anon.get("/api/v1/imports/").status_code == 401
    wrong = upload(clerk_a_api, SimpleUploadedFile("a.txt", b"x"))
    assert (wrong.status_code, wrong.json()["code"]) == (400, "import_rejected")
    assert not ImportBatch.objects.exists()


# --- receipts and statistics ------------------------------------------------------------------


def test_anyone_looks_up_a_receipt_but_not_who_made_it(anon, comment_a):
    response = anon.get(f"/api/v1/receipts/{comment_a.receipt.lower()}/")
    assert response.status_code == 200
    assert response.json()["text"] == comment_a.text
    assert_no_personal_data(response.content.decode())
    missing = anon.get("/api/v1/receipts/AAAA-BBBB-CCCC/")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")


@override_settings(NPC_RECEIPT_MAX_MISSES=10, NPC_RECEIPT_SLOW_SECONDS=10)
def test_receipt_guessing_is_slowed_by_the_same_guard_as_the_page(anon, comment_a):
    codes = [
        anon.get("/api/v1/receipts/AAAA-BBBB-CCCC/").status_code for _ in range(10)
    ]
    assert codes == [404] * 10
    # Slowed: this address's one turn in ten seconds answers, a right code too.
    assert anon.get(f"/api/v1/receipts/{comment_a.receipt}/").status_code == 200
    refused = anon.get(f"/api/v1/receipts/{comment_a.receipt}/")
    assert (refused.status_code, refused.json()["code"]) == (429, "throttled")
    assert refused["Retry-After"] == "10"
    # The page shares the guard: the same address is slowed there too.
    assert anon.post("/receipt/", {"code": comment_a.receipt}).status_code == 429


def test_statistics_count_published_comments(anon, staff, comment_a, comment_b):
    services.decide_comment(
        comment=comment_a, status="adopted", by=staff, explanation="是"
    )
    response = anon.get("/api/v1/stats/", {"year": 2024})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["comments"]["total"], body["comments"]["adopted"]) == (2, 1)
    assert body["headline"]["year"] == 2024
    assert {p["point"]["name"] for p in body["points"] if p["comments"]} == {
        comment_a.point.name,
        comment_b.point.name,
    }
    assert_no_personal_data(response.content.decode())
    assert anon.get("/api/v1/stats/", {"year": "x"}).status_code == 400


def test_numbers_beyond_a_database_integer_are_invalid_input(anon, staff_api):
    huge = str(10**30)
    response = anon.get("/api/v1/comments/", {"point": huge})
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    response = staff_api.post(
        "/api/v1/comments/bulk-decision/",
        {"comments": [int(huge)], "status": "adopted"},
        format="json",
    )
    assert response.status_code == 400


def test_unknown_api_paths_answer_json_even_to_a_stray_post(anon, staff_api):
    for client in (anon, staff_api):
        response = client.post("/api/v1/comments/0.5/decision/", {}, format="json")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_feedback_is_recorded_by_the_points_clerk_or_staff(
    clerk_a_api, clerk_b_api, comment_a
):
    payload = {
        "comments": [comment_a.pk],
        "channel": "phone",
        "given_on": "2024-11-01",
        "text": "已电话告知处理结果。",
    }
    refused = clerk_b_api.post("/api/v1/feedback/", payload, format="json")
    assert refused.status_code == 403
    response = clerk_a_api.post("/api/v1/feedback/", payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["comments"] == [comment_a.pk]
    assert comment_a.feedback.get().point_id == comment_a.point_id
    future = clerk_a_api.post(
        "/api/v1/feedback/", {**payload, "given_on": "2999-01-01"}, format="json"
    )
    assert (future.status_code, future.json()["code"]) == (400, "invalid_feedback")
