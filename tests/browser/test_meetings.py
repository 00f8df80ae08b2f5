"""
A visitor opens the Standing Committee's meetings on the demo: the list from the
main navigation, grouped by year, then the 22nd meeting of 2024-10-30 with what
it voted (the elevator regulation passed) and who attended (made-up names,
marked as such), then on to the bill; on a phone too. Every page passes
axe-core with no serious or critical violation.
"""

import pytest

from .conftest import assert_accessible, follow, screenshot

pytestmark = pytest.mark.browser

ELEVATOR = "长治市电梯安全管理条例"
MEETING_22 = "市十五届人大常委会第二十二次会议"


def test_a_visitor_opens_the_meetings_and_the_22nd_meeting(page, demo_site):
    page.goto(demo_site.url + "/")
    follow(
        page,
        page.get_by_role("navigation", name="主导航").get_by_role(
            "link", name="常委会会议", exact=True
        ),
    )
    assert page.locator("h1").inner_text() == "常委会会议"
    assert page.locator("h2", has_text="2024年").count() == 1
    assert page.get_by_role("link", name=MEETING_22).count() == 1
    screenshot(page, "meetings-01-list")
    assert_accessible(page)

    # Filter by year: 2025 has the 24th meeting only.
    page.select_option("#id_year", "2025")
    follow(page, page.locator("form.filters button[type=submit]"))
    assert "year=2025" in page.url
    assert page.get_by_role("link", name=MEETING_22).count() == 0
    page.goto(demo_site.url + "/meetings/")

    follow(page, page.get_by_role("link", name=MEETING_22))
    assert "第二十二次会议" in page.locator("h1").inner_text()
    agenda = page.locator("#agenda-heading + ul").inner_text()
    assert ELEVATOR in agenda and "表决通过" in agenda and "赞成 40 票" in agenda
    attendance = page.locator("section", has=page.locator("#attendance-heading"))
    text = attendance.inner_text()
    assert "演示姓名" in text and "请假" in text
    assert "出席 42 人，请假 3 人" in page.locator(".summary-list").inner_text()
    screenshot(page, "meetings-02-22nd")
    assert_accessible(page)

    follow(page, page.get_by_role("link", name=ELEVATOR).first)
    assert page.locator("h1").inner_text() == ELEVATOR
    # The timeline links back to the meeting.
    follow(page, page.locator("#timeline").get_by_role("link", name=MEETING_22).first)
    assert "第二十二次会议" in page.locator("h1").inner_text()


def test_the_meeting_page_reads_on_a_phone(phone, demo_site):
    phone.goto(demo_site.url + "/meetings/")
    link = phone.get_by_role("link", name=MEETING_22)
    follow(phone, link)
    assert ELEVATOR in phone.locator("#agenda-heading + ul").inner_text()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= phone.viewport_size["width"]
    screenshot(phone, "meetings-03-phone")
    assert_accessible(phone)
