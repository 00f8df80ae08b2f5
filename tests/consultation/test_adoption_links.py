"""
From comment to text: an adoption names the articles of a later version that
took the comment up, the service refuses what cannot be, and every surface
(public comparison, comments page, receipt, API) shows the same links, also
after a later version renumbers the article.
"""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from consultation import services
from consultation.errors import InvalidTextLink, NotPermitted
from consultation.models import AdoptionLink, Comment, Decision
from legislation import services as legislation
from tests.conftest import DRAFT_TEXT
from tests.factories import BillFactory

pytestmark = pytest.mark.django_db

# The 修改稿: article 3 rewritten, the rest as in the draft.
REVISED = DRAFT_TEXT.replace(
    "第三条 市人民政府应当加强对测试工作的领导。",
    "第三条 市人民政府应当加强对测试工作的领导，将测试工作经费列入财政预算。",
)
# The 表决稿: a new article 2 pushes every later article down by one.
FOR_VOTE = REVISED.replace(
    "第二条 本市行政区域内的测试活动，适用本条例。",
    "第二条 测试工作坚持安全第一、预防为主的原则。\n"
    "第三条 本市行政区域内的测试活动，适用本条例。",
)
for old, new in (("第五条", "第六条"), ("第四条", "第五条")):
    FOR_VOTE = FOR_VOTE.replace(old, new)
FOR_VOTE = FOR_VOTE.replace("第三条 市人民政府应当加强", "第四条 市人民政府应当加强")


def add_version(bill, text, kind, on, staff):
    return legislation.add_draft_version(
        bill=bill,
        text=text,
        title=f"长治市测试管理条例（{kind}）",
        kind=kind,
        on=on,
        by=staff,
        is_published=True,
    )


@pytest.fixture
def comment(consultation_a, staff):
    return services.enter_comment(
        by=staff,
        consultation=consultation_a,
        text="建议明确测试工作经费的来源。",
        contributor_name="李小红",
        contributor_contact="13912345678",
    )


@pytest.fixture
def revised(bill, staff):
    """The 修改稿, dated after the comment (2024-09-10)."""
    return add_version(bill, REVISED, "revised", dt.date(2024, 10, 8), staff)


@pytest.fixture
def changed(revised):
    return revised.articles.get(number=3)


# --- the service's rules -------------------------------------------------------


def test_an_adoption_names_the_article_that_took_it_up(comment, changed, staff):
    decided = services.decide_comment(
        comment=comment, status=Decision.ADOPTED, by=staff, articles=[changed]
    )
    assert decided.status == Decision.ADOPTED
    [link] = AdoptionLink.objects.filter(comment=comment)
    assert (link.article, link.elsewhere, link.linked_by) == (changed, "", staff)


def test_not_in_the_text_says_what_was_done_instead(comment, staff):
    services.decide_comment(
        comment=comment,
        status=Decision.ADOPTED,
        by=staff,
        elsewhere="在实施细则中予以吸收。",
    )
    [link] = AdoptionLink.objects.filter(comment=comment)
    assert (link.article, link.elsewhere) == (None, "在实施细则中予以吸收。")


def test_a_version_dated_before_the_comment_is_refused(bill, comment, staff):
    early = add_version(bill, REVISED, "revised", dt.date(2024, 8, 1), staff)
    with pytest.raises(InvalidTextLink, match="早于意见"):
        services.decide_comment(
            comment=comment,
            status=Decision.ADOPTED,
            by=staff,
            articles=[early.articles.get(number=3)],
        )
    assert not AdoptionLink.objects.exists()
    assert Comment.objects.get(pk=comment.pk).status == Decision.PENDING


def test_the_version_commented_on_is_not_a_later_one(comment, draft, staff):
    with pytest.raises(InvalidTextLink, match="之后的文本"):
        services.decide_comment(
            comment=comment,
            status=Decision.ADOPTED,
            by=staff,
            articles=[draft.articles.get(number=3)],
        )
    assert not AdoptionLink.objects.exists()


def test_another_bills_article_is_refused(comment, staff):
    other = BillFactory(title="长治市其他条例", slug="other")
    version = add_version(other, REVISED, "draft", dt.date(2024, 10, 8), staff)
    with pytest.raises(InvalidTextLink, match="不属于"):
        services.decide_comment(
            comment=comment,
            status=Decision.ADOPTED,
            by=staff,
            articles=[version.articles.first()],
        )
    assert Comment.objects.get(pk=comment.pk).status == Decision.PENDING


def test_an_adoption_without_a_place_needs_a_word_why(comment, staff):
    with pytest.raises(InvalidTextLink, match="须指明写入的条文"):
        services.decide_comment(comment=comment, status=Decision.ADOPTED, by=staff)
    assert Comment.objects.get(pk=comment.pk).status == Decision.PENDING
    services.decide_comment(
        comment=comment,
        status=Decision.ADOPTED,
        by=staff,
        explanation="待修改稿形成后写入。",
    )
    assert not AdoptionLink.objects.exists()


def test_only_an_adoption_names_articles(comment, changed, staff):
    with pytest.raises(InvalidTextLink, match="只有采纳或部分采纳"):
        services.decide_comment(
            comment=comment,
            status=Decision.NOT_ADOPTED,
            reason="not_mature",
            by=staff,
            articles=[changed],
        )


def test_another_decision_clears_the_links_and_a_new_one_replaces_them(
    comment, changed, revised, staff
):
    services.decide_comment(
        comment=comment, status=Decision.ADOPTED, by=staff, articles=[changed]
    )
    other = revised.articles.get(number=4)
    services.decide_comment(
        comment=comment,
        status=Decision.PARTIALLY_ADOPTED,
        reason="balanced",
        by=staff,
        articles=[other],
    )
    assert list(AdoptionLink.objects.values_list("article", flat=True)) == [other.pk]
    # Re-deciding without naming places keeps them.
    services.decide_comment(
        comment=comment, status=Decision.ADOPTED, by=staff, explanation="采纳。"
    )
    assert list(AdoptionLink.objects.values_list("article", flat=True)) == [other.pk]
    services.decide_comment(
        comment=comment, status=Decision.FOR_REFERENCE, by=staff, explanation="参考。"
    )
    assert not AdoptionLink.objects.exists()


def test_a_bulk_decision_links_the_whole_selection(
    consultation_a, comment, changed, staff
):
    more = services.enter_comment(
        by=staff, consultation=consultation_a, text="建议保障经费。"
    )
    services.decide_comments(
        comments=[comment, more],
        status=Decision.ADOPTED,
        by=staff,
        articles=[changed.pk],
    )
    assert set(AdoptionLink.objects.values_list("comment", "article")) == {
        (comment.pk, changed.pk),
        (more.pk, changed.pk),
    }


def test_linking_from_the_comparison_needs_an_adopted_comment(
    comment, changed, staff, clerk_a
):
    with pytest.raises(InvalidTextLink, match="未被采纳"):
        services.link_comments(article=changed, comments=[comment], by=staff)
    services.decide_comment(
        comment=comment, status=Decision.ADOPTED, by=staff, explanation="采纳。"
    )
    with pytest.raises(NotPermitted):
        services.link_comments(article=changed, comments=[comment], by=clerk_a)
    [linked] = services.link_comments(article=changed, comments=[comment], by=staff)
    assert linked.revision == comment.revision + 2
    assert AdoptionLink.objects.get().article == changed
    # Linking again adds nothing.
    services.link_comments(article=changed, comments=[comment], by=staff)
    assert AdoptionLink.objects.count() == 1


# --- where people look ------------------------------------------------------------


@pytest.fixture
def linked(bill, comment, changed, staff):
    services.decide_comment(
        comment=comment, status=Decision.ADOPTED, by=staff, articles=[changed]
    )
    return comment


def _compare_rows(client, bill, **query):
    response = client.get(f"/api/v1/bills/{bill.slug}/compare/", query)
    assert response.status_code == 200, response.content
    return {(row["new"] or {}).get("number"): row for row in response.json()["rows"]}


def test_every_surface_shows_the_same_link(client, bill, linked, changed):
    # API, comment → article.
    detail = client.get(f"/api/v1/comments/{linked.pk}/").json()
    [place] = detail["adopted_into"]
    assert (place["article"], place["label"], place["version"]) == (
        changed.pk,
        "第三条",
        2,
    )
    assert "列入财政预算" in place["text"]
    assert place["old_text"].startswith("市人民政府应当加强对测试工作的领导。\n")
    # API, comparison row → comments.
    rows = _compare_rows(client, bill, **{"from": 1, "to": 2})
    assert (rows[3]["comments"], rows[3]["comment_count"]) == ([linked.pk], 1)
    assert all(r["comment_count"] == 0 for n, r in rows.items() if n != 3)
    # The public comparison marks the row, linking to its comments.
    page = client.get(f"/bills/{bill.slug}/compare/?from=1&to=2").content.decode()
    assert "因意见修改 · 1条意见" in page
    assert f"?adopted_into={changed.pk}" in page
    listed = client.get(
        f"/bills/{bill.slug}/comments/", {"adopted_into": changed.pk}
    ).content.decode()
    assert linked.text in listed
    # The comments page shows the article it changed, linking to the row.
    assert "写入草案修改稿第三条" in listed
    assert "compare/?from=1&amp;to=2#article-3" in listed
    # The bill page lists the change.
    bill_page = client.get(f"/bills/{bill.slug}/").content.decode()
    assert "意见带来的修改" in bill_page
    assert "草案修改稿第三条：1条意见" in bill_page
    # The receipt shows old and new text side by side; nobody's name anywhere.
    receipt = client.post(reverse("public:receipt"), {"code": linked.receipt})
    html = receipt.content.decode()
    assert "您的意见写入了草案修改稿第三条" in html
    assert "将测试工作经费列入财政预算" in html
    assert "尚未反馈" in html
    for text in (page, listed, bill_page, html, str(detail)):
        assert "李小红" not in text and "13912345678" not in text


def test_links_survive_a_renumbering(client, bill, linked, changed, staff):
    final = add_version(bill, FOR_VOTE, "for_vote", dt.date(2024, 10, 25), staff)
    moved = final.articles.get(number=4)
    assert moved.lineage_id == changed.lineage_id  # aligned by content
    rows = _compare_rows(client, bill, **{"from": 1, "to": 3})
    assert rows[4]["comments"] == [linked.pk]
    assert rows[4]["old"]["number"] == 3
    # Between the 修改稿 and the 表决稿 the comment changed nothing.
    rows = _compare_rows(client, bill, **{"from": 2, "to": 3})
    assert all(r["comment_count"] == 0 for r in rows.values())
    page = client.get(f"/bills/{bill.slug}/compare/?from=1&to=3").content.decode()
    assert f"?adopted_into={moved.pk}" in page
    listed = client.get(
        f"/bills/{bill.slug}/comments/", {"adopted_into": moved.pk}
    ).content.decode()
    assert linked.text in listed


def test_the_decision_api_takes_articles_and_refuses_a_bad_one(
    staff, comment, changed, draft
):
    staff_api = APIClient()
    staff_api.force_authenticate(staff)
    url = f"/api/v1/comments/{comment.pk}/decision/"
    refused = staff_api.post(
        url,
        {"status": "adopted", "articles": [draft.articles.get(number=3).pk]},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid_text_link"
    assert not AdoptionLink.objects.exists()
    accepted = staff_api.post(
        url, {"status": "adopted", "articles": [changed.pk]}, format="json"
    )
    assert accepted.status_code == 200, accepted.content
    assert AdoptionLink.objects.get().article == changed
