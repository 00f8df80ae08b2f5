"""
A draft whose values the stored structure cannot hold is refused at once, with
the line, instead of passing the preview and failing with a database error on
save.
"""

import pytest

from legislation import models, parsing
from legislation.models import DraftVersion

pytestmark = pytest.mark.django_db

GOOD = "第一章　总则\n第一条　为了规范管理，制定本条例。\n第二条　本条例自公布之日起施行。\n"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (GOOD + "第三万二千七百六十八条　编号过大。\n", "超出范围"),
        (
            "第一章　总则\n第一条【" + "很长" * 60 + "】为了规范管理，制定本条例。\n",
            "条旨超过100个字",
        ),
        (  # a Markdown heading is a chapter title whatever its length
            "# 第一章 " + "总" * 201 + "\n第一条　为了规范管理，制定本条例。\n",
            "章节名称超过200个字",
        ),
    ],
)
def test_a_value_the_structure_cannot_hold_is_a_400_naming_the_line(
    staff_api, bill, text, says
):
    before = DraftVersion.objects.count()
    response = staff_api.post(
        f"/api/v1/bills/{bill.slug}/versions/",
        {"text": text, "title": "长治市测试条例（草案修改稿）", "date": "2024-03-01"},
        format="json",
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid_draft"
    assert "行" in body["detail"] and says in body["detail"]
    assert DraftVersion.objects.count() == before


def test_the_parser_limits_are_the_columns_limits():
    article = models.Article._meta
    assert article.get_field("heading").max_length == parsing.MAX_HEADING_LENGTH
    for model in (models.Chapter, models.Section):
        title = model._meta.get_field("title").max_length
        assert title == parsing.MAX_DIVISION_TITLE_LENGTH
    # PositiveSmallIntegerField holds up to 32767 on every database Django supports.
    assert parsing.MAX_NUMBER == 32767


def test_a_draft_dated_before_1949_is_refused(staff_api, bill):
    before = DraftVersion.objects.count()
    response = staff_api.post(
        f"/api/v1/bills/{bill.slug}/versions/",
        {"text": GOOD, "title": "长治市测试条例（草案修改稿）", "date": "1900-03-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "1949" in response.json()["detail"]
    assert DraftVersion.objects.count() == before


def test_a_megabyte_bill_summary_is_refused_and_nothing_changes(staff_api, bill):
    response = staff_api.patch(
        f"/api/v1/bills/{bill.slug}/", {"summary": "长" * 1_000_000}, format="json"
    )
    assert response.status_code == 400
    bill.refresh_from_db()
    assert len(bill.summary) < 5000
