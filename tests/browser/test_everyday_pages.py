"""
The pages people work in every day, measured in a real browser at desktop and
phone widths: the triage table fits its box, the workspace leads to triage, the
entry form's hints sit under their inputs, a phone compares changed articles
only, and the public comments read newest first with duplicates folded.
"""

from __future__ import annotations

import pytest

from .conftest import _new_page, assert_accessible, log_in, screenshot

pytestmark = pytest.mark.browser

PHONE = 390


@pytest.fixture
def at_width(chromium):
    """Open tabs of a given width; close them after the test."""
    contexts = []

    def open_tab(width: int):
        context, tab = _new_page(chromium, width=width, height=900, locale="zh-CN")
        contexts.append(context)
        return tab

    yield open_tab
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width", [1280, 1000, 760, PHONE])
def test_the_triage_table_fits_its_box_at_every_width(at_width, demo_site, width):
    page = at_width(width)
    log_in(page, demo_site, "staff")
    page.goto(demo_site.url + "/staff/bills/elevator-safety/comments/")
    box = page.evaluate(
        """() => {
        const table = document.querySelector('table.comments');
        const wrap = table.closest('.table-wrap');
        const edge = wrap.getBoundingClientRect().right;
        const row = table.querySelector('tbody tr');
        const right = (sel) => row.querySelector(sel).getBoundingClientRect().right;
        return {scroll: wrap.scrollWidth, client: wrap.clientWidth, edge,
                person: right('td.person'), decision: right('td.decision'),
                page: document.documentElement.scrollWidth};
    }"""
    )
    assert box["scroll"] <= box["client"], box
    # The contributor and decision columns are in sight, no sideways scroll.
    assert box["person"] <= box["edge"] + 1 and box["decision"] <= box["edge"] + 1
    assert box["page"] <= width, box
    screenshot(page, f"staff-triage-{width}")
    assert not page.errors, page.errors


def test_the_workspace_leads_to_triage_from_the_top_and_the_next_steps(page, demo_site):
    log_in(page, demo_site, "staff")
    page.goto(demo_site.url + "/staff/bills/elevator-safety/")
    top = page.locator("#triage-link-top")
    assert top.get_attribute("href") == "/staff/bills/elevator-safety/comments/"
    assert top.bounding_box()["y"] < 400
    panel = page.locator("section[aria-labelledby=next-steps] #triage-link-next")
    assert panel.get_attribute("href") == "/staff/bills/elevator-safety/comments/"
    assert panel.bounding_box()["y"] < 900
    panel.click()
    assert page.url.endswith("/staff/bills/elevator-safety/comments/")


@pytest.mark.parametrize("width", [1280, PHONE])
def test_the_article_hint_sits_under_its_input(at_width, demo_site, width):
    page = at_width(width)
    log_in(page, demo_site, "clerk")
    page.goto(demo_site.url + "/staff/consultations/points/")
    page.locator("main a", has_text="立法意见征询座谈会").first.click()
    page.goto(page.url + "entry/")
    where = page.evaluate(
        """() => {
        const box = (id) => document.getElementById(id).getBoundingClientRect();
        const input = box('id_article'), hint = box('id_article_helptext');
        return {inputBottom: input.bottom, hintTop: hint.top, inputTop: input.top,
                nameTop: box('id_contributor_name').top,
                overlap: !(hint.bottom <= input.top || hint.top >= input.bottom)};
    }"""
    )
    assert not where["overlap"], where
    assert where["hintTop"] >= where["inputBottom"], where
    if width > PHONE:
        # Side by side, the inputs of a row line up.
        assert abs(where["inputTop"] - where["nameTop"]) < 1, where
    screenshot(page, f"clerk-entry-hint-{width}")


def test_a_phone_compares_the_changed_articles_unless_asked_for_all(
    at_width, demo_site
):
    page = at_width(PHONE)
    page.goto(demo_site.url + "/bills/elevator-safety/compare/")
    shown = page.evaluate(
        """() => [...document.querySelectorAll('table.compare tbody tr')]
            .filter((row) => row.offsetParent !== null)
            .map((row) => row.className)"""
    )
    assert shown and "row-unchanged" not in shown
    short = page.evaluate("document.documentElement.scrollHeight")
    screenshot(page, "phone-compare-changed")
    page.get_by_role("link", name="显示全部条文").click()
    page.wait_for_load_state()
    assert page.locator("table.compare tr.row-unchanged").first.is_visible()
    full = page.evaluate("document.documentElement.scrollHeight")
    assert short * 2 < full
    # A desktop shows every article, as before.
    desk = at_width(1280)
    desk.goto(demo_site.url + "/bills/elevator-safety/compare/")
    assert desk.locator("table.compare tr.row-unchanged").first.is_visible()
    assert not desk.locator("#compare-small-note").is_visible()


def test_public_comments_read_newest_first_with_duplicates_folded(at_width, demo_site):
    page = at_width(PHONE)
    page.goto(demo_site.url + "/bills/elevator-safety/comments/")
    assert "最近提出的在前" in page.locator("#comments-order").inner_text()
    dates = page.evaluate(
        """() => [...document.querySelectorAll('main ol.comment-list > li.comment')]
            .filter((li) => !li.classList.contains('duplicate'))
            .map((li) => li.querySelector('time').getAttribute('datetime'))"""
    )
    assert dates == sorted(dates, reverse=True)
    top = page.locator("main ol.comment-list > li.comment:not(.duplicate)")
    assert top.first.locator(".outcome-duplicate").count() == 0
    folded = page.locator("details.folded-duplicates").first
    folded.locator("summary").click()
    assert folded.locator("li.duplicate").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    screenshot(page, "phone-public-comments")
    assert_accessible(page)


def test_a_clerk_starts_from_their_point_shortcuts_and_what_waits(page, demo_site):
    log_in(page, demo_site, "clerk")
    page.goto(demo_site.url + "/staff/")
    main = page.locator("main").inner_text()
    assert "潞州区延安南路街道淮海社区基层立法联系点" in main
    assert "记录征求意见活动" in main and "录入或导入意见" in main
    assert "尚未反馈的意见" in main and "未通过校验的导入" in main
    screenshot(page, "clerk-home")
    assert_accessible(page)


def test_the_english_site_title_is_english(page, demo_site):
    page.goto(demo_site.url + "/en/stats/")
    title = page.title()
    assert "Changzhi Open Local Legislation" in title
    assert "长治" not in title
