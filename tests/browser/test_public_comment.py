"""
A citizen comments on article 12 of an open draft on a 390-pixel phone, and
later learns what became of it: the receipt at once, the comment public once
staff publish it, the decision on the receipt page and in their mail.

Served in-process (pytest-django's live server), so that the mail sent by the
tasks lands in the locmem outbox the test reads.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from consultation import services as consultation_services
from consultation.models import Channel, Comment, Decision, Moderation
from legislation import services
from npc.core import roles
from tests.factories import BillFactory, UserFactory

from .conftest import _new_page, assert_accessible, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECEIPT = re.compile(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}")
NUMERALS = "一二三四五六七八九十"
EMAIL = "citizen@example.com"


def _numeral(n: int) -> str:
    return NUMERALS[n - 1] if n <= 10 else "十" + NUMERALS[n - 11]


DRAFT = "长治市停车测试条例（草案）\n\n" + "\n".join(
    f"第{_numeral(n)}条 停车测试条款第{n}项规定的内容。" for n in range(1, 16)
)


@pytest.fixture
def open_bill(settings, live_server):
    settings.NPC_PUBLIC_COMMENT_MIN_SECONDS = 1
    settings.SITE_URL = live_server.url
    staff = UserFactory(username="staff", role=roles.LEGISLATIVE_STAFF)
    staff.set_password("demo")
    staff.save()
    bill = BillFactory(title="长治市停车测试条例", slug="parking-test")
    version = services.add_draft_version(
        bill=bill,
        text=DRAFT,
        title="长治市停车测试条例（草案）",
        kind="draft",
        on=timezone.localdate() - dt.timedelta(days=20),
        by=staff,
        is_published=True,
    )
    today = timezone.localdate()
    consultation_services.record_consultation(
        by=staff,
        bill=bill,
        version=version,
        channel=Channel.ONLINE,
        title="网上公开征求意见",
        opens_on=today - dt.timedelta(days=5),
        closes_on=today + dt.timedelta(days=25),
    )
    return bill, staff


def _link(message, kind: str, base: str) -> str:
    match = re.search(
        rf"{re.escape(base)}(/comment-mail/{kind}/[^/\s]+/)", message.body
    )
    assert match, message.body
    return match.group(1)


def test_a_citizen_comments_on_article_12_from_a_phone_and_learns_the_outcome(
    chromium, live_server, open_bill
):
    bill, staff = open_bill
    context, phone = _new_page(chromium, width=390, height=844, locale="zh-CN")
    try:
        phone.goto(f"{live_server.url}/bills/{bill.slug}/")
        phone.locator('a[href$="/comment/?article=12"]').click()
        phone.wait_for_load_state()
        assert phone.locator("#id_article").input_value() == "12"
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(phone, "public-comment-01-form-phone")
        assert_accessible(phone)
        text = "建议第十二条规定的夜间共享停车向周边居民开放。（浏览器测试）"
        phone.fill("#id_text", text)
        phone.fill("#id_contributor_contact", EMAIL)
        phone.check("#id_consent")
        phone.wait_for_timeout(1100)  # a person takes a moment; robots do not
        phone.get_by_role("button", name="提交意见").click()
        phone.wait_for_load_state()
        code = RECEIPT.search(phone.locator(".receipt-code").inner_text()).group(0)
        assert phone.get_by_role("button", name="复制回执码").is_visible()
        screenshot(phone, "public-comment-02-receipt-phone")
        comment = Comment.objects.get(receipt_code=code.replace("-", ""))
        assert comment.article.number == 12
        assert comment.moderation == Moderation.PENDING

        # The author confirms the address: the receipt follows by mail.
        (confirmation,) = mail.outbox
        phone.goto(live_server.url + _link(confirmation, "confirm", live_server.url))
        assert any(code in m.subject for m in mail.outbox)

        # Not public until staff publish it, from the moderation queue.
        comments_url = f"{live_server.url}/bills/{bill.slug}/comments/"
        phone.goto(comments_url)
        assert text not in phone.locator("main").inner_text()
        desk = context.new_page()
        desk.goto(live_server.url + "/accounts/login/")
        desk.fill("#id_username", "staff")
        desk.fill("#id_password", "demo")
        desk.locator("main form button[type=submit]").click()
        desk.wait_for_load_state()
        desk.goto(live_server.url + "/staff/comments/moderation/")
        desk.check(f'input[name="selection"][value="{comment.pk}"]')
        desk.get_by_role("button", name="公开所选", exact=True).click()
        desk.wait_for_load_state()
        screenshot(desk, "public-comment-03-moderation")
        phone.goto(comments_url)
        assert text in phone.locator("main").inner_text()

        # Staff decide it: the receipt page and the author's mail say so.
        mail.outbox.clear()
        consultation_services.decide_comment(
            comment=comment,
            status=Decision.PARTIALLY_ADOPTED,
            reason="implementation",
            explanation="夜间共享停车的具体办法由市人民政府规定。",
            by=staff,
        )
        phone.goto(live_server.url + "/receipt/")
        phone.fill("#id_code", code)
        phone.get_by_role("button", name="查询").click()
        card = phone.locator(".receipt-card").inner_text()
        assert "部分采纳" in card and "已公开" in card
        assert "夜间共享停车的具体办法由市人民政府规定。" in card
        assert EMAIL not in card
        screenshot(phone, "public-comment-04-decided-phone")
        (decided,) = mail.outbox
        assert decided.to == [EMAIL]
        assert "部分采纳" in decided.body and code in decided.body
        assert not phone.errors, phone.errors
    finally:
        context.close()
