"""
The main workflows in a real browser, on the demo data: legislative staff open
the elevator regulation's workspace, its comparison and its comments; a clerk
enters a comment during a meeting and gets its receipt code, which then works
on the public receipt page.
"""

import re

import pytest

from .conftest import log_in, screenshot

pytestmark = pytest.mark.browser

RECEIPT = re.compile(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}")


def test_staff_open_the_elevator_workspace_and_its_comments(page, demo_site):
    log_in(page, demo_site, "staff")
    assert "/staff/" in page.url
    screenshot(page, "staff-01-home")
    page.goto(demo_site.url + "/staff/bills/")
    page.get_by_role("link", name="长治市电梯安全管理条例").first.click()
    assert "/staff/bills/elevator-safety/" in page.url
    workspace = page.locator("main").inner_text()
    assert "长治市电梯安全管理条例" in workspace
    assert "第二十二次会议" in workspace
    assert "施行" in workspace
    screenshot(page, "staff-02-elevator-workspace")
    page.goto(demo_site.url + "/staff/bills/elevator-safety/comments/")
    assert page.locator("main").inner_text().strip()
    screenshot(page, "staff-03-elevator-comments")
    assert not page.errors, page.errors


def test_a_clerk_enters_a_comment_and_gets_its_receipt_code(page, demo_site):
    # The 2024 symposium closed with the vote on its bill: staff reopen it first,
    # saying why, as a late written comment would be.
    ((symposium,),) = demo_site.query(
        "SELECT c.id FROM consultation_consultation c"
        " JOIN consultation_liaisonpoint p ON p.id = c.point_id"
        " WHERE p.name = ? AND c.channel = 'symposium'",
        "潞州区延安南路街道淮海社区基层立法联系点",
    )
    log_in(page, demo_site, "staff")
    page.goto(demo_site.url + f"/staff/consultations/{symposium}/")
    assert page.get_by_role("link", name="现场录入意见").count() == 0
    page.fill("#id_until", "2099-12-31")
    page.fill("#id_reason", "联系点补交座谈会后收到的书面意见。（浏览器测试）")
    page.get_by_role("button", name="重新开放").click()
    page.wait_for_load_state()
    assert "联系点补交座谈会后收到的书面意见" in page.locator("main").inner_text()
    page.context.clear_cookies()
    log_in(page, demo_site, "clerk")
    assert "/staff/" in page.url
    page.goto(demo_site.url + "/staff/consultations/points/")
    screenshot(page, "clerk-01-points")
    page.locator("main a", has_text="立法意见征询座谈会").first.click()
    assert re.search(r"/staff/consultations/\d+/$", page.url)
    page.get_by_role("link", name="现场录入意见").click()
    assert "/entry/" in page.url
    screenshot(page, "clerk-02-fast-entry")
    text = "建议在小区电梯轿厢内张贴维保单位的应急电话，方便居民求助。（浏览器测试）"
    page.fill("#id_text", text)
    page.fill("#id_article", "8")
    page.fill("#id_contributor_name", "浏览器测试居民")
    page.fill("#id_contributor_contact", "13900001234")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    found = page.get_by_text(RECEIPT).first
    found.wait_for()
    code = RECEIPT.search(found.inner_text()).group(0)
    screenshot(page, "clerk-03-receipt-code")
    stored = demo_site.query(
        "SELECT text FROM consultation_comment WHERE receipt_code = ?",
        code.replace("-", ""),
    )
    assert stored == [(text,)]

    # Anyone can now look the comment up, without seeing who made it.
    page.goto(demo_site.url + "/receipt/")
    page.fill("#id_code", code)
    page.locator("main form button[type=submit]").click()
    card = page.locator(".receipt-card").inner_text()
    assert text in card and "待研究" in card
    assert "浏览器测试居民" not in card and "13900001234" not in card
    screenshot(page, "clerk-04-public-receipt")
