"""
The clerk and staff pages of the consultation side, through the test client.

Who may open which page is walked in full by test_page_permissions.py; here are
the workflows: fast entry and its receipt codes, imports, the triage board with
its bulk decisions and conflicts, edits with a stale revision, feedback,
exports, and the pages' query counts.
"""

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from consultation import services
from consultation.models import (
    Channel,
    Comment,
    Consultation,
    Contributor,
    Decision,
    DecisionRecord,
    Feedback,
    ImportBatch,
    Reason,
)

from .privacy import assert_no_personal_data

pytestmark = pytest.mark.django_db

RECEIPT = re.compile(r"\b[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}\b")


def enter(consultation, by, text="建议明确老旧电梯更新改造资金的来源。", **kw):
    kw.setdefault("contributor_name", "欧阳明德")
    kw.setdefault("contributor_contact", "13911112222")
    return services.enter_comment(by=by, consultation=consultation, text=text, **kw)


def entry_data(**changes):
    data = {
        "text": "建议增加物业服务企业的日常巡查义务。",
        "article": "",
        "contributor_name": "司马文华",
        "contributor_contact": "13800001234",
        "contributor_kind": Contributor.Kind.RESIDENT,
        "contributor_affiliation": "",
    }
    data.update(changes)
    return data


# --- fast entry ------------------------------------------------------------------


def test_fast_entry_saves_the_comment_and_shows_its_receipt_code_large(
    client, clerk_a, consultation_a, draft
):
    client.force_login(clerk_a)
    url = reverse("staff:comment-entry", args=[consultation_a.pk])

    response = client.post(url, entry_data(article="第三条"))

    assert response.status_code == 302 and response["Location"] == url
    comment = Comment.objects.get()
    assert comment.consultation == consultation_a and comment.point_id == (
        consultation_a.point_id
    )
    assert comment.article == draft.articles.get(number=3)
    assert comment.created_by == clerk_a
    assert comment.contributor.name == "司马文华"
    page = client.get(url).content.decode()
    shown = re.search(r'<p class="receipt-code"[^>]*>([^<]+)</p>', page)
    assert shown and shown.group(1) == comment.receipt
    assert RECEIPT.fullmatch(comment.receipt)
    # The session's list below the form has it too.
    assert page.count(comment.receipt) >= 2


@pytest.mark.parametrize("typed", ["3", "第三条", "三", "第3条"])
def test_fast_entry_understands_the_article_as_typed(
    client, clerk_a, consultation_a, draft, typed
):
    client.force_login(clerk_a)
    client.post(
        reverse("staff:comment-entry", args=[consultation_a.pk]),
        entry_data(article=typed),
    )
    assert Comment.objects.get().article.number == 3


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"article": "第九十九条"}, "本次征求意见的草案文本中没有"),
        ({"article": "总则"}, "无法识别条文"),
        ({"text": "   "}, "该字段是必填项"),
    ],
)
def test_fast_entry_with_a_bad_field_saves_nothing_and_keeps_the_entry(
    client, clerk_a, consultation_a, changes, message
):
    client.force_login(clerk_a)
    response = client.post(
        reverse("staff:comment-entry", args=[consultation_a.pk]), entry_data(**changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "司马文华" in response.content.decode()  # what was typed stays
    assert not Comment.objects.exists()


def test_fast_entry_keeps_article_and_kind_when_same_as_last_is_ticked(
    client, clerk_a, consultation_a
):
    client.force_login(clerk_a)
    url = reverse("staff:comment-entry", args=[consultation_a.pk])
    client.post(
        url,
        entry_data(
            article="4", contributor_kind=Contributor.Kind.LAWYER, same_as_last="on"
        ),
    )
    form = client.get(url).context["form"]
    assert form.initial["article"] == "第四条"
    assert form.initial["contributor_kind"] == Contributor.Kind.LAWYER
    assert form.initial["same_as_last"] is True

    client.post(url, entry_data(article="4"))  # not ticked this time
    form = client.get(url).context["form"]
    assert not form.initial.get("article")


def test_fast_entry_in_the_background_answers_with_the_receipt_and_the_row(
    client, clerk_a, consultation_a
):
    client.force_login(clerk_a)
    url = reverse("staff:comment-entry", args=[consultation_a.pk])

    response = client.post(
        url,
        entry_data(article="2", same_as_last="on"),
        headers={"accept": "application/json"},
    )

    assert response.status_code == 200
    data = response.json()
    comment = Comment.objects.get()
    assert data["ok"] and data["receipt"] == comment.receipt and data["count"] == 1
    assert comment.receipt in data["receipt_html"]
    assert comment.receipt in data["row_html"] and "司马文华" in data["row_html"]
    assert data["sticky"] == {
        "article": "第二条",
        "contributor_kind": "resident",
        "same_as_last": True,
    }

    bad = client.post(
        url, entry_data(text=""), headers={"accept": "application/json"}
    ).json()
    assert not bad["ok"] and "text" in bad["errors"]
    assert Comment.objects.count() == 1


def test_many_comments_in_a_row_each_get_their_own_receipt(
    client, clerk_a, consultation_a
):
    client.force_login(clerk_a)
    url = reverse("staff:comment-entry", args=[consultation_a.pk])
    for n in range(5):
        client.post(url, entry_data(text=f"第{n}条意见：建议细化。"))
    codes = set(Comment.objects.values_list("receipt_code", flat=True))
    assert len(codes) == 5
    page = client.get(url)
    assert len(page.context["entered"]) == 5


# --- consultations -----------------------------------------------------------------


def consultation_data(draft, point, **changes):
    data = {
        "version": draft.pk,
        "channel": Channel.LIAISON_POINT,
        "point": point.pk if point else "",
        "title": "电梯条例草案意见征询会",
        "held_on": "2024-09-20",
        "place": "社区会议室",
        "participants": "15",
        "summary": "",
        "is_published": "on",
    }
    data.update(changes)
    return data


def test_a_clerk_records_a_consultation_at_their_point(client, clerk_a, point_a, draft):
    client.force_login(clerk_a)
    response = client.post(
        reverse("staff:consultation-create"), consultation_data(draft, point_a)
    )
    consultation = Consultation.objects.get()
    assert response["Location"] == reverse(
        "staff:consultation-detail", args=[consultation.pk]
    )
    assert consultation.point == point_a and consultation.bill == draft.bill
    assert consultation.created_by == clerk_a


def test_a_clerk_is_offered_only_their_points(client, clerk_a, point_a, point_b, draft):
    client.force_login(clerk_a)
    form = client.get(reverse("staff:consultation-create")).context["form"]
    assert list(form.fields["point"].queryset) == [point_a]
    response = client.post(
        reverse("staff:consultation-create"), consultation_data(draft, point_b)
    )
    assert response.status_code == 200 and response.context["form"].errors["point"]
    assert not Consultation.objects.exists()


def test_the_service_refusal_shows_as_a_form_error(client, clerk_a, draft):
    client.force_login(clerk_a)
    response = client.post(
        reverse("staff:consultation-create"),
        consultation_data(draft, None, channel=Channel.SYMPOSIUM),
    )
    assert response.status_code == 200
    assert "您不能在该联系点记录征求意见活动" in response.content.decode()
    assert not Consultation.objects.exists()


def test_a_consultation_edited_from_a_stale_page_is_a_conflict(
    client, clerk_a, staff, consultation_a, draft, point_a
):
    client.force_login(clerk_a)
    url = reverse("staff:consultation-edit", args=[consultation_a.pk])
    stale = client.get(url).context["form"].initial["revision"]
    services.update_consultation(
        consultation=consultation_a, by=staff, expected_revision=None, place="礼堂"
    )

    response = client.post(
        url,
        consultation_data(draft, point_a, title="改过的名称", revision=stale),
    )

    assert response.status_code == 409
    assert "保存冲突" in response.content.decode()
    consultation_a.refresh_from_db()
    assert (
        consultation_a.title == "立法意见征询座谈会" and consultation_a.place == "礼堂"
    )

    fresh = client.get(url).context["form"].initial["revision"]
    response = client.post(
        url, consultation_data(draft, point_a, title="改过的名称", revision=fresh)
    )
    assert response.status_code == 302
    consultation_a.refresh_from_db()
    assert consultation_a.title == "改过的名称"


def test_the_consultation_list_filters(client, staff, consultation_a, consultation_b):
    client.force_login(staff)
    url = reverse("staff:consultation-list")
    assert len(client.get(url).context["consultations"]) == 2
    page = client.get(url, {"point": consultation_b.point_id})
    assert page.context["consultations"] == [
        Consultation.objects.get(pk=consultation_b.pk)
    ]
    assert client.get(url, {"channel": Channel.ONLINE}).context["consultations"] == []


def test_the_points_overview_counts_a_clerks_points_only(
    client, clerk_a, staff, consultation_a, consultation_b
):
    enter(consultation_a, staff)
    enter(consultation_a, staff)
    enter(consultation_b, staff, contributor_name="司马丙丁")
    client.force_login(clerk_a)
    response = client.get(reverse("staff:consultation-points"))
    rows = response.context["rows"]
    assert [(p.pk, s.comments, pending) for p, s, pending in rows] == [
        (consultation_a.point_id, 2, 2)
    ]
    assert consultation_b.title not in response.content.decode()


# --- comments: edit, decide, feedback ---------------------------------------------


def test_a_comment_edited_from_a_stale_page_is_a_conflict(
    client, clerk_a, staff, consultation_a
):
    comment = enter(consultation_a, clerk_a)
    client.force_login(clerk_a)
    url = reverse("staff:comment-edit", args=[comment.pk])
    form = client.get(url).context["form"]
    data = {**form.initial, "text": "改正后的意见。", "article": ""}
    services.edit_comment(
        comment=comment, by=staff, expected_revision=None, summary="加摘要"
    )

    response = client.post(url, data)

    assert response.status_code == 409
    assert "保存冲突" in response.content.decode()
    comment.refresh_from_db()
    assert comment.text != "改正后的意见。"
    form = client.get(url).context["form"]  # reloaded
    data = {**form.initial, "text": "改正后的意见。", "article": "", "reason": "错字"}
    assert client.post(url, data).status_code == 302
    comment.refresh_from_db()
    assert comment.text == "改正后的意见。" and comment.summary == "加摘要"


def test_a_clerk_cannot_edit_a_decided_comment(client, clerk_a, staff, consultation_a):
    comment = enter(consultation_a, clerk_a)
    services.decide_comment(
        explanation="已在修改稿中吸收。",
        comment=comment,
        status=Decision.ADOPTED,
        by=staff,
    )
    client.force_login(clerk_a)
    assert (
        client.get(reverse("staff:comment-edit", args=[comment.pk])).status_code == 403
    )
    detail = client.get(reverse("staff:comment-detail", args=[comment.pk]))
    assert detail.status_code == 200 and not detail.context["can_edit"]


def test_the_comment_page_shows_the_whole_decision_history_and_feedback(
    client, staff, consultation_a
):
    comment = enter(consultation_a, staff)
    services.decide_comment(
        comment=comment,
        status=Decision.NOT_ADOPTED,
        reason=Reason.HIGHER_LAW_PROVIDES,
        explanation="《特种设备安全法》已有规定。",
        by=staff,
    )
    services.decide_comment(
        comment=comment,
        status=Decision.ADOPTED,
        explanation="经再次研究，采纳。",
        by=staff,
    )
    services.record_feedback(
        by=staff,
        comments=[comment],
        channel="sms",
        given_on=dt.date(2024, 11, 1),
        text="已短信告知",
    )
    client.force_login(staff)
    response = client.get(reverse("staff:comment-detail", args=[comment.pk]))
    page = response.content.decode()
    assert [r.status for r in response.context["history"]] == [
        Decision.NOT_ADOPTED,
        Decision.ADOPTED,
    ]
    assert "《特种设备安全法》已有规定。" in page and "经再次研究，采纳。" in page
    assert "已短信告知" in page and "欧阳明德" in page


def test_staff_revise_a_decision_on_the_comment_page(client, staff, consultation_a):
    comment = enter(consultation_a, staff)
    client.force_login(staff)
    url = reverse("staff:comment-detail", args=[comment.pk])
    response = client.post(
        url,
        {
            "comment": f"{comment.pk}:{comment.revision}",
            "status": Decision.FOR_REFERENCE,
            "reason": "",
            "explanation": "留作制定配套文件时参考。",
        },
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Decision.FOR_REFERENCE and comment.decided_by == staff
    # The same form again, now stale.
    response = client.post(
        url,
        {
            "comment": f"{comment.pk}:{comment.revision - 1}",
            "status": Decision.ADOPTED,
            "explanation": "",
        },
    )
    assert response.status_code == 409
    comment.refresh_from_db()
    assert comment.status == Decision.FOR_REFERENCE
    assert DecisionRecord.objects.filter(comment=comment).count() == 1


def test_feedback_is_recorded_for_the_selected_comments(
    client, clerk_a, staff, consultation_a, consultation_b
):
    ours = [enter(consultation_a, staff) for _ in range(3)]
    theirs = enter(consultation_b, staff)
    client.force_login(clerk_a)
    url = reverse("staff:feedback-create")
    picked = [f"{c.pk}:{c.revision}" for c in ours[:2]] + [str(theirs.pk)]

    form_page = client.get(url, {"comment": picked})
    assert [c.pk for c in form_page.context["comments"]] == sorted(
        [ours[0].pk, ours[1].pk], reverse=True
    )

    response = client.post(
        url,
        {
            "comment": picked,
            "channel": "point",
            "given_on": "2024-11-02",
            "text": "在联系点反馈会上逐条说明",
        },
    )
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert set(feedback.comments.values_list("pk", flat=True)) == {
        ours[0].pk,
        ours[1].pk,
    }
    assert feedback.point_id == consultation_a.point_id
    assert feedback.recorded_by == clerk_a


# --- imports -----------------------------------------------------------------------

GOOD_CSV = (
    "意见内容,针对条文,提出人姓名,联系方式,身份\r\n"
    "建议明确维保单位的响应时限。,第三条,上官云飞,13700001111,居民\r\n"
    "建议增加应急演练的要求。,4,诸葛晓光,13700002222,律师\r\n"
).encode("utf-8-sig")
BAD_CSV = (
    "意见内容,针对条文,提出人姓名\r\n"
    "建议明确维保单位的响应时限。,第三条,上官云飞\r\n"
    ",第四条,诸葛晓光\r\n"
    "建议增加应急演练的要求。,第九十条,欧阳春\r\n"
).encode("gb18030")


def upload(client, consultation, name, content, capture):
    with capture(execute=True):
        return client.post(
            reverse("staff:import-create", args=[consultation.pk]),
            {"file": SimpleUploadedFile(name, content)},
        )


def test_a_valid_file_is_imported_and_its_comments_are_listed(
    client, clerk_a, consultation_a, django_capture_on_commit_callbacks
):
    client.force_login(clerk_a)
    response = upload(
        client, consultation_a, "意见.csv", GOOD_CSV, django_capture_on_commit_callbacks
    )
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("staff:import-detail", args=[batch.pk])

    page = client.get(response["Location"])
    text = page.content.decode()
    assert batch.status == ImportBatch.Status.DONE
    assert "已导入 2 条意见" in text
    assert reverse("staff:consultation-detail", args=[consultation_a.pk]) in text
    assert '<progress id="import-progress" max="100" value="100"' in text
    assert 'http-equiv="refresh"' not in text  # finished: nothing to follow

    detail = client.get(reverse("staff:consultation-detail", args=[consultation_a.pk]))
    assert len(detail.context["comments"]) == 2
    assert "上官云飞" in detail.content.decode()

    progress = client.get(reverse("staff:import-progress", args=[batch.pk])).json()
    assert progress["status"] == "done" and progress["finished"]
    assert progress["created_count"] == 2 and progress["progress"] == 100


def test_a_file_with_bad_rows_shows_them_by_row_and_column_and_writes_nothing(
    client, clerk_a, consultation_a, django_capture_on_commit_callbacks
):
    client.force_login(clerk_a)
    response = upload(
        client, consultation_a, "意见.csv", BAD_CSV, django_capture_on_commit_callbacks
    )
    page = client.get(response["Location"])
    text = page.content.decode()
    assert ImportBatch.objects.get().status == ImportBatch.Status.FAILED
    assert not Comment.objects.exists()
    assert "没有导入任何意见" in text
    rows = re.findall(
        r'<tr>\s*<td class="num">(\d+)</td>\s*<td>([^<]+)</td>',
        text.split("出错的行和列")[1],
    )
    assert rows == [("3", "意见内容"), ("4", "针对条文")]


def test_a_pending_batch_page_follows_its_progress(client, clerk_a, consultation_a):
    batch = ImportBatch.objects.create(
        consultation=consultation_a,
        original_name="大文件.csv",
        total_rows=4000,
        processed_rows=1000,
        status=ImportBatch.Status.RUNNING,
        created_by=clerk_a,
    )
    client.force_login(clerk_a)
    text = client.get(reverse("staff:import-detail", args=[batch.pk])).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in text
    assert 'value="25"' in text and "staff-consultation-import.js" in text
    progress = client.get(reverse("staff:import-progress", args=[batch.pk])).json()
    assert progress == {
        "status": "running",
        "status_label": "处理中",
        "progress": 25,
        "processed_rows": 1000,
        "total_rows": 4000,
        "created_count": 0,
        "error_count": 0,
        "finished": False,
    }


def test_a_file_of_another_type_is_refused_on_the_form(client, clerk_a, consultation_a):
    client.force_login(clerk_a)
    response = client.post(
        reverse("staff:import-create", args=[consultation_a.pk]),
        {"file": SimpleUploadedFile("意见.docx", b"PK\x03\x04")},
    )
    assert response.status_code == 200
    assert "只能导入 CSV 或 XLSX 文件" in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(("fmt", "start"), [("csv", b"\xef\xbb\xbf"), ("xlsx", b"PK")])
def test_the_templates_download_with_a_chinese_file_name(client, clerk_a, fmt, start):
    client.force_login(clerk_a)
    response = client.get(reverse("staff:import-template", args=[fmt]))
    assert response.status_code == 200 and response.content.startswith(start)
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert "%E6%A8%A1%E6%9D%BF" in response["Content-Disposition"]  # 模板


# --- triage board ------------------------------------------------------------------


@pytest.fixture
def comments(staff, consultation_a, consultation_b, draft):
    """Three comments at point A (one on article 3) and two at point B."""
    third = draft.articles.get(number=3)
    made = [
        enter(consultation_a, staff, text="建议明确维保费用。", article=third),
        enter(consultation_a, staff, text="建议增加巡查频次。"),
        enter(
            consultation_a,
            staff,
            text="建议明确维保费用的分担。",
            contributor_kind=Contributor.Kind.LAWYER,
        ),
        enter(
            consultation_b,
            staff,
            text="建议设立专项资金。",
            contributor_name="司马丙丁",
        ),
        enter(
            consultation_b,
            staff,
            text="建议明确责任主体。",
            contributor_name="司马丙丁",
        ),
    ]
    return made


def board(bill):
    return reverse("staff:bill-comments", args=[bill.slug])


def picks(*comments):
    return [f"{c.pk}:{c.revision}" for c in comments]


def test_the_board_filters_and_counts(client, staff, bill, comments, draft):
    client.force_login(staff)
    page = client.get(board(bill))
    assert [c.pk for c in page.context["comments"]] == [c.pk for c in comments][::-1]
    counts = page.context["counts"]
    assert {r["name"]: r["count"] for r in counts["by_point"]} == {
        comments[0].point.name: 3,
        comments[3].point.name: 2,
    }
    assert [(r["label"], r["count"]) for r in counts["by_article"]] == [
        ("第三条", 1),
        ("未针对具体条文", 4),
    ]

    def shown(**params):
        return {c.pk for c in client.get(board(bill), params).context["comments"]}

    assert shown(point=comments[3].point_id) == {comments[3].pk, comments[4].pk}
    assert shown(article=draft.articles.get(number=3).pk) == {comments[0].pk}
    assert shown(q="维保 费用") == {comments[0].pk, comments[2].pk}
    assert shown(kind=Contributor.Kind.LAWYER) == {comments[2].pk}
    assert shown(status=Decision.ADOPTED) == set()
    assert shown(version=draft.pk, channel=Channel.LIAISON_POINT) == {
        c.pk for c in comments
    }


def test_the_board_pages_by_id(client, staff, bill, consultation_a):
    for n in range(55):
        enter(consultation_a, staff, text=f"第{n}条建议。")
    client.force_login(staff)
    first = client.get(board(bill), {"point": consultation_a.point_id})
    ids = [c.pk for c in first.context["comments"]]
    assert len(ids) == 50 and ids == sorted(ids, reverse=True)
    assert first.context["next_query"] == (
        f"point={consultation_a.point_id}&after={ids[-1]}"
    )
    second = client.get(f"{board(bill)}?{first.context['next_query']}")
    rest = [c.pk for c in second.context["comments"]]
    assert len(rest) == 5 and max(rest) < min(ids)
    assert second.context["next_query"] is None


def test_staff_decide_many_comments_in_one_step(client, staff, bill, comments):
    client.force_login(staff)
    response = client.post(
        f"{board(bill)}?point={comments[0].point_id}",
        {
            "comment": picks(*comments[:3]),
            "status": Decision.NOT_ADOPTED,
            "reason": Reason.IMPLEMENTATION,
            "explanation": "属于实施层面的问题，转有关部门研究。",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{board(bill)}?point={comments[0].point_id}"
    decided = Comment.objects.filter(pk__in=[c.pk for c in comments[:3]])
    assert {c.status for c in decided} == {Decision.NOT_ADOPTED}
    assert {c.reason for c in decided} == {Reason.IMPLEMENTATION}
    assert DecisionRecord.objects.count() == 3
    assert Comment.objects.get(pk=comments[3].pk).status == Decision.PENDING


def test_a_bulk_decision_with_a_stale_revision_writes_nothing_and_names_it(
    client, staff, administrator, bill, comments
):
    client.force_login(staff)
    selection = picks(*comments[:3])
    # Someone else decides the second one after the page was read.
    services.decide_comment(
        explanation="已在修改稿中吸收。",
        comment=comments[1],
        status=Decision.ADOPTED,
        by=administrator,
    )

    response = client.post(
        board(bill),
        {
            "comment": selection,
            "status": Decision.FOR_REFERENCE,
            "reason": "",
            "explanation": "",
        },
    )

    assert response.status_code == 409
    text = response.content.decode()
    assert "没有保存任何处理结果" in text
    assert [c.pk for c in response.context["conflicts"]] == [comments[1].pk]
    assert comments[1].receipt in text.split('id="conflicts"')[1].split("</div>")[0]
    assert set(
        Comment.objects.filter(pk__in=[c.pk for c in comments[:3]]).values_list(
            "status", flat=True
        )
    ) == {Decision.PENDING, Decision.ADOPTED}
    assert DecisionRecord.objects.count() == 1  # the other person's only
    # The selection is kept for a second try.
    assert set(response.context["selected"]) == {c.pk for c in comments[:3]}


def test_a_decision_that_breaks_a_rule_shows_why_and_writes_nothing(
    client, staff, bill, comments
):
    client.force_login(staff)
    response = client.post(
        board(bill),
        {"comment": picks(comments[0]), "status": Decision.NOT_ADOPTED, "reason": ""},
    )
    assert response.status_code == 200
    assert "须选择理由" in response.content.decode()
    assert not DecisionRecord.objects.exists()

    response = client.post(board(bill), {"status": Decision.ADOPTED})
    assert "请先勾选要处理的意见" in response.content.decode()


@pytest.mark.parametrize("by", ["receipt", "id"])
def test_duplicates_point_at_the_kept_comment_by_receipt_code_or_id(
    client, staff, bill, comments, by
):
    kept = comments[0]
    reference = kept.receipt.lower() if by == "receipt" else str(kept.pk)
    client.force_login(staff)
    response = client.post(
        board(bill),
        {
            "comment": picks(comments[2]),
            "status": Decision.DUPLICATE,
            "duplicate_of": reference,
        },
    )
    assert response.status_code == 302
    duplicate = Comment.objects.get(pk=comments[2].pk)
    assert duplicate.status == Decision.DUPLICATE and duplicate.duplicate_of == kept


def test_an_unknown_kept_comment_is_a_form_error(client, staff, bill, comments):
    client.force_login(staff)
    response = client.post(
        board(bill),
        {
            "comment": picks(comments[2]),
            "status": Decision.DUPLICATE,
            "duplicate_of": "ZZZZ-ZZZZ-ZZZZ",
        },
    )
    assert response.status_code == 200
    assert "找不到意见" in response.content.decode()
    assert not DecisionRecord.objects.exists()


def test_comments_of_another_bill_cannot_be_decided_from_this_board(
    client, staff, bill, comments, consultation_a
):
    from tests.factories import BillFactory

    other = BillFactory()
    client.force_login(staff)
    response = client.post(
        board(other),
        {"comment": picks(comments[0]), "status": Decision.ADOPTED},
    )
    assert response.status_code == 200
    assert not DecisionRecord.objects.exists()


def test_the_feedback_button_of_the_board_carries_the_selection(
    client, staff, bill, comments
):
    client.force_login(staff)
    response = client.post(
        f"{reverse('staff:feedback-create')}?next={board(bill)}",
        {"comment": picks(*comments[:2]), "step": "select", "status": "adopted"},
    )
    assert response.status_code == 200
    assert {c.pk for c in response.context["comments"]} == {
        comments[0].pk,
        comments[1].pk,
    }
    assert response.context["next"] == board(bill)
    assert not Feedback.objects.exists()


# --- exports -----------------------------------------------------------------------


def test_the_staff_export_has_who_made_each_comment(client, staff, bill, comments):
    client.force_login(staff)
    response = client.get(
        reverse("staff:bill-comments-export", args=[bill.slug]),
        {"fmt": "xlsx", "personal": "1", "point": comments[0].point_id},
    )
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(values) == 1 + 3  # the header, and the filter's three comments
    assert "欧阳明德" in values[1] and "13911112222" in values[1]
    assert comments[0].receipt in [row[0] for row in values]


def test_the_public_export_has_no_personal_data(client, staff, bill, comments):
    client.force_login(staff)
    response = client.get(
        reverse("staff:bill-comments-export", args=[bill.slug]),
        {"fmt": "csv", "personal": "0"},
    )
    text = response.content.decode("utf-8-sig")
    assert "建议明确维保费用。" in text
    assert_no_personal_data(text)
    assert "欧阳明德" not in text and "13911112222" not in text
    assert comments[0].receipt not in text


# --- query counts ------------------------------------------------------------------


def fill(consultation, by, n, draft):
    articles = list(draft.articles.all())
    for i in range(n):
        comment = enter(
            consultation,
            by,
            text=f"第{i}条：建议进一步细化。",
            article=articles[i % len(articles)] if i % 3 else None,
        )
        if i % 4 == 0:
            services.decide_comment(
                explanation="已在修改稿中吸收。",
                comment=comment,
                status=Decision.ADOPTED,
                by=by,
            )
    for i in range(0, n, 10):
        ImportBatch.objects.create(
            consultation=consultation, original_name=f"{i}.csv", created_by=by
        )


PAGES = [
    ("staff", lambda c, bill: reverse("staff:bill-comments", args=[bill.slug])),
    (
        "staff",
        lambda c, bill: (
            reverse("staff:bill-comments", args=[bill.slug]) + "?status=pending&q=细化"
        ),
    ),
    ("clerk_a", lambda c, bill: reverse("staff:consultation-detail", args=[c.pk])),
    ("staff", lambda c, bill: reverse("staff:consultation-detail", args=[c.pk])),
    ("clerk_a", lambda c, bill: reverse("staff:comment-entry", args=[c.pk])),
    ("clerk_a", lambda c, bill: reverse("staff:consultation-points")),
    ("staff", lambda c, bill: reverse("staff:consultation-points")),
    ("clerk_a", lambda c, bill: reverse("staff:consultation-list")),
    (
        "staff",
        lambda c, bill: reverse("staff:comment-detail", args=[c.comments.last().pk]),
    ),
]


@pytest.mark.parametrize(("who", "url"), PAGES)
def test_pages_run_the_same_number_of_queries_for_20_and_200_comments(
    request,
    client,
    staff,
    consultation_a,
    draft,
    bill,
    who,
    url,
    django_assert_num_queries,
):
    client.force_login(request.getfixturevalue(who))
    fill(consultation_a, staff, 20, draft)
    address = url(consultation_a, bill)
    client.get(address)  # the session's first use costs its own queries
    with CaptureQueriesContext(connection) as small:
        assert client.get(address).status_code == 200

    fill(consultation_a, staff, 180, draft)
    address = url(consultation_a, bill)
    with django_assert_num_queries(len(small)):
        assert client.get(address).status_code == 200


def test_the_consultation_list_counts_each_consultations_comments(
    client, staff, consultation_a, consultation_b
):
    for _ in range(3):
        enter(consultation_a, staff)
    client.force_login(staff)
    rows = client.get(reverse("staff:consultation-list")).context["consultations"]
    assert {c.pk: c.comment_count for c in rows} == {
        consultation_a.pk: 3,
        consultation_b.pk: 0,
    }


def test_filtering_the_board_by_status_does_not_sort_every_comment(
    client, staff, bill, comments
):
    services.decide_comment(
        explanation="已在修改稿中吸收。",
        comment=comments[0],
        status=Decision.ADOPTED,
        by=staff,
    )
    client.force_login(staff)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(board(bill), {"status": [Decision.PENDING, Decision.ADOPTED]})
    assert {c.pk for c in page.context["comments"]} == {c.pk for c in comments}
    assert not [q for q in queries if "DISTINCT" in q["sql"]]


def test_a_new_round_of_entry_clears_the_list_but_keeps_the_comments(
    client, clerk_a, consultation_a
):
    client.force_login(clerk_a)
    url = reverse("staff:comment-entry", args=[consultation_a.pk])
    client.post(url, entry_data(article="2", same_as_last="on"))
    assert client.post(url, {"restart": "1"})["Location"] == url
    page = client.get(url)
    assert page.context["entered"] == [] and page.context["last"] is None
    assert not page.context["form"].initial.get("article")
    assert Comment.objects.count() == 1
