"""
A comment from the public is on no public surface until staff publish it, and
its maker's name and contact are on none even then.
"""

import pytest
from django.utils import timezone

from consultation import services
from consultation.models import Comment, Decision, Moderation, WithheldReason
from consultation.services._common import shown_changed

PENDING = "待审核的意见原文甲"
WITHHELD = "不予公开的意见原文乙"
PUBLISHED = "已经公开的意见原文丙"
NAME = "隐私姓名丁"
CONTACT = "13800138000"
EMAIL = "author-secret@example.com"


@pytest.fixture
def submitted(site, staff, settings):
    """Three public comments: one pending, one withheld, one published."""
    bill = site["bill"]
    made = {}
    for text, contact in ((PENDING, CONTACT), (WITHHELD, EMAIL), (PUBLISHED, EMAIL)):
        made[text] = services.submit_public_comment(
            bill=bill,
            text=text,
            article_number=3,
            contributor_name=NAME,
            contributor_contact=contact,
            consent=True,
        )
    services.moderate_comments(
        by=staff,
        comments=[made[WITHHELD]],
        publish=False,
        reason=WithheldReason.ADVERTISING,
    )
    services.moderate_comments(by=staff, comments=[made[PUBLISHED]], publish=True)
    return made


def _public_urls(site, submitted) -> list[str]:
    slug = site["bill"].slug
    pending = submitted[PENDING]
    return [
        "/",
        "/bills/",
        f"/bills/{slug}/",
        f"/bills/{slug}/comments/",
        f"/bills/{slug}/comments/?q=意见原文",
        f"/bills/{slug}/comments/?status=pending",
        f"/bills/{slug}/comments/?article={pending.article_id}",
        f"/bills/{slug}/feed/",
        "/feeds/events/",
        "/stats/",
        f"/liaison-points/{site['point'].pk}/",
        "/api/v1/comments/",
        "/api/v1/comments/?q=意见原文",
        f"/api/v1/comments/?bill={slug}",
        "/api/v1/stats/",
        "/api/v1/open-data/bills.json",
        "/api/v1/open-data/bills.csv",
    ]


def test_no_unpublished_comment_on_any_public_page_feed_search_or_api_list(
    client, site, submitted
):
    for url in _public_urls(site, submitted):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert PENDING not in body, url
        assert WITHHELD not in body, url


def test_the_published_comment_is_on_the_public_list_page_and_api(
    client, site, submitted
):
    slug = site["bill"].slug
    assert PUBLISHED in client.get(f"/bills/{slug}/comments/").content.decode()
    assert PUBLISHED in client.get("/api/v1/comments/").content.decode()
    searched = client.get(f"/bills/{slug}/comments/?q=意见原文").content.decode()
    # The words found are marked in the text: the comment is there by its id.
    assert f'id="comment-{submitted[PUBLISHED].pk}"' in searched


def test_an_unpublished_comment_cannot_be_read_one_by_one(client, site, submitted):
    for text in (PENDING, WITHHELD):
        pk = submitted[text].pk
        assert client.get(f"/api/v1/comments/{pk}/").status_code == 404
    pk = submitted[PUBLISHED].pk
    assert client.get(f"/api/v1/comments/{pk}/").status_code == 200


def test_the_public_export_leaves_unpublished_comments_out(
    client, site, staff, submitted
):
    client.force_login(staff)
    slug = site["bill"].slug
    public = client.get(f"/staff/bills/{slug}/comments/export/?fmt=csv&personal=0")
    body = public.content.decode("utf-8-sig")
    assert PUBLISHED in body
    assert PENDING not in body and WITHHELD not in body
    assert NAME not in body and EMAIL not in body
    internal = client.get(f"/staff/bills/{slug}/comments/export/?fmt=csv&personal=1")
    body = internal.content.decode("utf-8-sig")
    assert PENDING in body and WITHHELD in body and NAME in body


def test_no_personal_data_of_a_public_comment_on_any_public_surface(
    client, site, submitted
):
    urls = _public_urls(site, submitted)
    for url in urls:
        body = client.get(url).content.decode()
        for secret in (NAME, CONTACT, EMAIL):
            assert secret not in body, (url, secret)
    for comment in submitted.values():
        receipt = client.post("/receipt/", {"code": comment.receipt_code})
        api = client.get(f"/api/v1/receipts/{comment.receipt_code}/")
        for body in (receipt.content.decode(), api.content.decode()):
            for secret in (NAME, CONTACT, EMAIL):
                assert secret not in body


def test_the_bill_counts_received_published_and_withheld_apart(client, site, submitted):
    page = client.get(f"/bills/{site['bill'].slug}/").content.decode()
    assert "公众在线提交 3 条：已公开 1 条，待审核 1 条，未公开 1 条" in page
    year = timezone.localdate().year
    stats = client.get(f"/api/v1/stats/?year={year}").json()["comments"][
        "public_submissions"
    ]
    assert stats["received"] == 3
    assert (stats["published"], stats["pending"], stats["withheld"]) == (1, 1, 1)
    # The five online comments of the site were entered by staff.
    assert stats["online_by_staff"] == 5


def test_the_receipt_tells_the_author_the_state_and_why(client, site, submitted):
    page = client.post("/receipt/", {"code": submitted[PENDING].receipt_code})
    assert "待审核" in page.content.decode()
    assert PENDING in page.content.decode()  # the holder of the code reads it
    page = client.post("/receipt/", {"code": submitted[WITHHELD].receipt_code})
    body = page.content.decode()
    assert "未公开" in body and "广告或推销信息" in body
    api = client.get(f"/api/v1/receipts/{submitted[WITHHELD].receipt_code}/").json()
    assert api["moderation"] == Moderation.WITHHELD


def test_a_clerk_does_not_see_online_comments_which_belong_to_no_point(
    client, site, submitted, clerk_a
):
    client.force_login(clerk_a)
    body = client.get("/api/v1/comments/").content.decode()
    assert PENDING not in body and WITHHELD not in body
    assert NAME not in body
    assert Comment.objects.filter(from_public=True, point__isnull=False).count() == 0


def test_an_adopted_comment_withheld_from_the_public_lends_no_text_to_the_changes(
    client, site, staff
):
    """
    A withheld comment is still decided, and may be adopted; the bill page's
    changes brought by comments and the public comparison never quote it.
    """
    bill, revised = site["bill"], site["revised"]
    comment = (
        Comment.objects.filter(bill=bill, consultation=site["meeting_at_a"])
        .order_by("pk")
        .first()
    )
    services.decide_comment(
        comment=comment,
        status=Decision.ADOPTED,
        by=staff,
        articles=[revised.articles.get(number=3)],
    )
    quoted = comment.text[:20]
    page, compare = bill.get_absolute_url(), f"/bills/{bill.slug}/compare/"
    marked = "因意见修改 · 1条意见"
    assert quoted in client.get(page).content.decode()
    assert marked in client.get(compare).content.decode()
    # The same comment, had it come from the public and been withheld, or were
    # it still waiting: neither quoted nor counted on a public page.
    for moderation, reason in (
        (Moderation.WITHHELD, WithheldReason.PERSONAL_DATA),
        (Moderation.PENDING, ""),
    ):
        Comment.objects.filter(pk=comment.pk).update(
            from_public=True, moderation=moderation, withheld_reason=reason
        )
        shown_changed([bill.pk])  # as moderate_comments does
        assert quoted not in client.get(page).content.decode(), moderation
        assert marked not in client.get(compare).content.decode(), moderation
