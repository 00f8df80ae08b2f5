"""
A visitor follows the elevator regulation through the public site in a real
browser, on the demo data: home → bill list → the regulation → its timeline,
text, comparison and comments → a liaison point → statistics → a receipt. Every
public page passes axe-core with no serious or critical violation.
"""

import re

import pytest

from .conftest import assert_accessible, follow, screenshot

pytestmark = pytest.mark.browser

ELEVATOR = "长治市电梯安全管理条例"
RECEIPT = re.compile(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}")


def _no_csp_or_script_errors(page) -> None:
    assert not [e for e in page.errors if "Content Security Policy" in e], page.errors
    assert not page.errors, page.errors


def test_a_visitor_follows_the_elevator_regulation_from_home_to_a_receipt(
    page, demo_site
):
    # Home: Chinese, whatever the browser's language; the year in numbers.
    page.goto(demo_site.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("h1").inner_text().strip()
    figures = page.locator(".figures").first.inner_text()
    assert "32" in figures and "11" in figures
    comments = int(re.search(r"(\d{4,})\s*条", figures).group(1))
    assert comments >= 2150
    screenshot(page, "01-home")
    assert_accessible(page)

    # The bill list, then a search.
    follow(
        page,
        page.get_by_role("navigation", name="主导航").get_by_role(
            "link", name="法规案", exact=True
        ),
    )
    assert page.locator("h1").inner_text() == "法规案"
    assert_accessible(page)
    page.fill("#id_q", "电梯")
    follow(page, page.locator("form.filters button[type=submit]"))
    assert page.get_by_role("link", name=ELEVATOR).count() == 1
    screenshot(page, "02-bill-list")

    # The elevator regulation: status in one sentence, progress, timeline.
    follow(page, page.get_by_role("link", name=ELEVATOR))
    assert page.locator("h1").inner_text() == ELEVATOR
    assert "已施行：2025年3月1日起施行" in page.locator(".status-sentence").inner_text()
    assert page.locator(".progress [aria-current=step]").inner_text().startswith("施行")
    timeline = page.locator("#timeline").inner_text()
    assert "2024年10月30日" in timeline and "表决通过" in timeline
    assert "市十五届人大常委会第二十二次会议" in timeline
    screenshot(page, "03-bill")
    assert_accessible(page)

    # The text: the table of contents jumps to a stable article anchor.
    page.locator(".law-toc a[href='#article-8']").click()
    assert page.url.endswith("#article-8")
    assert page.locator("#article-8").is_visible()
    assert "儿童应当在监护人" in page.locator("#article-8").inner_text() or (
        "儿童" in page.locator("#article-8").inner_text()
    )

    # The comparison table, from the versions table.
    follow(page, page.locator("#versions a", has_text="对照").last)
    assert page.locator("h1").inner_text() == "修改对照表"
    assert page.locator("table.compare ins").count() > 0
    assert page.locator("table.compare del").count() > 0
    assert page.locator("table.compare .row-status", has_text="修改").count() > 0
    screenshot(page, "04-compare")
    assert_accessible(page)

    # The comments and their outcomes: filter, then an older page.
    follow(page, page.get_by_role("link", name=ELEVATOR).first)
    follow(page, page.get_by_role("link", name="逐条查看意见和处理结果"))
    assert page.locator("h1").inner_text() == "意见和处理结果"
    page.select_option("#id_status", "not_adopted")
    follow(page, page.locator("form.filters button[type=submit]"))
    outcomes = page.locator(".comment-outcome").all_inner_texts()
    assert outcomes and all("未采纳" in text for text in outcomes)
    follow(page, page.get_by_role("link", name=re.compile("较早的意见")))
    assert "after=" in page.url and page.locator(".comment").count() > 0
    screenshot(page, "05-comments")
    assert_accessible(page)

    # A liaison point, from the list of points by district.
    follow(
        page,
        page.get_by_role("navigation", name="主导航").get_by_role(
            "link", name="基层立法联系点"
        ),
    )
    assert "全市设有 32 个基层立法联系点" in page.locator(".lead").inner_text()
    screenshot(page, "06-points")
    assert_accessible(page)
    follow(
        page, page.get_by_role("link", name="潞州区延安南路街道淮海社区基层立法联系点")
    )
    assert "淮海社区" in page.locator("h1").inner_text()
    assert page.locator("table").count() >= 1
    screenshot(page, "07-point")
    assert_accessible(page)

    # Statistics: the year in numbers with charts drawn on the server.
    follow(
        page,
        page.get_by_role("navigation", name="主导航").get_by_role(
            "link", name="数说立法"
        ),
    )
    assert "2024年数说立法" in page.locator("h1").inner_text()
    assert page.locator("figure.chart svg").count() >= 5
    assert page.locator("figure.chart table").count() >= 5
    screenshot(page, "08-stats")
    assert_accessible(page)

    # A receipt lookup with a code from the demo data.
    text, code = demo_site.query(
        "SELECT text, receipt_code FROM consultation_comment "
        "WHERE status = 'partially_adopted' ORDER BY id LIMIT 1"
    )[0]
    follow(
        page,
        page.get_by_role("navigation", name="主导航").get_by_role(
            "link", name="意见查询"
        ),
    )
    assert_accessible(page)
    page.fill("#id_code", f"{code[:4]}-{code[4:8]}-{code[8:]}".lower())
    follow(page, page.locator("main form button[type=submit]"))
    card = page.locator(".receipt-card").inner_text()
    assert text.split("\n")[0][:20] in card and "部分采纳" in card
    screenshot(page, "09-receipt")
    assert_accessible(page)
    page.fill("#id_code", "ZZZZ-ZZZZ-ZZZZ")
    follow(page, page.locator("main form button[type=submit]"))
    assert "未找到" in page.locator("main").inner_text()
    _no_csp_or_script_errors(page)


def test_the_english_switch_turns_the_public_pages_english(page, demo_site):
    page.goto(demo_site.url + "/bills/")
    with page.expect_navigation():
        page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url == demo_site.url + "/en/bills/"  # the same page, in English
    nav = page.get_by_role("navigation", name="Main navigation")
    assert nav.get_by_role("link", name="Bills", exact=True).count() == 1
    assert page.locator("h1").inner_text() == "Bills"
    screenshot(page, "10-english-bill-list")
    assert_accessible(page)
    follow(page, page.get_by_role("link", name=ELEVATOR))
    assert "In force" in page.locator(".status-sentence").inner_text()
    screenshot(page, "11-english-bill")
    assert_accessible(page)
    # The switch is a pair of links: Enter on the focused one switches back.
    page.get_by_role("link", name="中文").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    # Following the bill: a link from the bill page to the form's own page.
    with page.expect_navigation():
        page.locator("#follow").get_by_role("link", name="关注此法规").click()
    assert page.locator("input[type=email]").count() == 1
    assert_accessible(page)


def test_the_site_works_with_the_keyboard_alone(page, demo_site):
    page.goto(demo_site.url + "/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # Tab on to the first link in the content and follow it with Enter.
    page.goto(demo_site.url + "/bills/")
    page.focus("#id_q")
    page.keyboard.type("电梯")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "q=" in page.url
    link = page.get_by_role("link", name=ELEVATOR)
    link.focus()
    outline = link.evaluate("element => getComputedStyle(element).backgroundColor")
    assert outline != "rgba(0, 0, 0, 0)"  # the yellow focus highlight
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == ELEVATOR


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("home", "/"),
        ("bill", "/bills/elevator-safety/"),
        ("compare", "/bills/elevator-safety/compare/"),
        ("comments", "/bills/elevator-safety/comments/"),
        ("stats", "/stats/"),
        ("points", "/liaison-points/"),
    ],
)
def test_public_pages_fit_a_360_pixel_phone(phone, demo_site, name, path):
    phone.goto(demo_site.url + path)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{path} is {width}px wide"
    screenshot(phone, f"phone-{name}")
    assert_accessible(phone)


def test_every_public_page_passes_the_accessibility_check(page, demo_site):
    slugs = [
        row[0]
        for row in demo_site.query(
            "SELECT slug FROM legislation_bill WHERE is_published"
        )
    ]
    points = [
        row[0]
        for row in demo_site.query("SELECT id FROM consultation_liaisonpoint LIMIT 3")
    ]
    paths = ["/", "/bills/", "/bills/?stage=in_force", "/liaison-points/", "/stats/"]
    paths += ["/receipt/"]
    for slug in slugs:
        paths += [
            f"/bills/{slug}/",
            f"/bills/{slug}/compare/",
            f"/bills/{slug}/comments/",
        ]
    paths += [f"/liaison-points/{pk}/" for pk in points]
    for path in paths:
        page.goto(demo_site.url + path)
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)
    _no_csp_or_script_errors(page)


def test_receipt_codes_follow_the_printed_form(demo_site):
    codes = demo_site.query("SELECT receipt_code FROM consultation_comment LIMIT 50")
    for (code,) in codes:
        assert RECEIPT.fullmatch(f"{code[:4]}-{code[4:8]}-{code[8:]}")
