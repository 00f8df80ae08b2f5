"""
Staff reach the links and documents from their pages: 关联意见 from a changed
row of the comparison table, the downloads on the comparison and bill pages,
and the decision form's articles.
"""

import datetime as dt

import pytest
from django.urls import reverse

from consultation import services
from consultation.models import AdoptionLink, Decision
from legislation import services as legislation
from tests.conftest import DRAFT_TEXT

pytestmark = pytest.mark.django_db

REVISED = DRAFT_TEXT.replace("加强对测试工作的领导。", "加强对测试工作的领导和保障。")


@pytest.fixture
def revised(bill, staff):
    return legislation.add_draft_version(
        bill=bill,
        text=REVISED,
        title="长治市测试管理条例（修改稿）",
        kind="revised",
        on=dt.date(2024, 10, 8),
        by=staff,
        is_published=True,
    )


@pytest.fixture
def adopted(consultation_a, staff):
    comment = services.enter_comment(
        by=staff, consultation=consultation_a, text="建议加强保障。"
    )
    return services.decide_comment(
        comment=comment, status=Decision.ADOPTED, by=staff, explanation="采纳。"
    )


def test_staff_link_comments_from_a_changed_row(client, staff, bill, revised, adopted):
    client.force_login(staff)
    compare = client.get(reverse("staff:bill-compare", kwargs={"slug": bill.slug}))
    html = compare.content.decode()
    article = revised.articles.get(number=3)
    url = reverse(
        "staff:article-comment-links",
        kwargs={"slug": bill.slug, "article": article.pk},
    )
    assert url in html
    assert "format=docx" in html and "format=xlsx" in html
    page = client.get(url)
    assert adopted.text in page.content.decode()
    done = client.post(url, {"comment": f"{adopted.pk}:{adopted.revision}"})
    assert done.status_code == 302
    assert AdoptionLink.objects.get().article == article
    stale = client.post(url, {"comment": f"{adopted.pk}:{adopted.revision}"})
    assert stale.status_code == 409


def test_a_clerk_may_not_link(client, clerk_a, bill, revised):
    client.force_login(clerk_a)
    article = revised.articles.get(number=3)
    url = reverse(
        "staff:article-comment-links",
        kwargs={"slug": bill.slug, "article": article.pk},
    )
    assert client.get(url).status_code == 403


def test_the_decision_form_names_articles_of_the_latest_version(
    client, staff, bill, revised, consultation_a
):
    comment = services.enter_comment(
        by=staff, consultation=consultation_a, text="建议加强保障。"
    )
    client.force_login(staff)
    url = reverse("staff:comment-detail", kwargs={"pk": comment.pk})
    refused = client.post(
        url, {"comment": f"{comment.pk}:1", "status": "adopted", "articles": "99"}
    )
    assert "最新文本中没有所填的条号" in refused.content.decode()
    done = client.post(
        url, {"comment": f"{comment.pk}:1", "status": "adopted", "articles": "3"}
    )
    assert done.status_code == 302
    assert AdoptionLink.objects.get().article == revised.articles.get(number=3)


def test_the_bill_page_offers_the_report_and_letters(client, staff, bill):
    client.force_login(staff)
    html = client.get(
        reverse("staff:bill-detail", kwargs={"slug": bill.slug})
    ).content.decode()
    assert f"/api/v1/bills/{bill.slug}/adoption-report/?format=docx" in html
    assert f"/api/v1/bills/{bill.slug}/feedback-letters/?by=point" in html
    response = client.get(
        f"/api/v1/bills/{bill.slug}/adoption-report/", {"format": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert "attachment" in response["Content-Disposition"]
