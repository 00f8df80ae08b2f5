"""Exports of comments: safe cells, and no personal data in the public one."""

import codecs
import csv
import io

import pytest
from openpyxl import load_workbook

from consultation import access, exports, services
from consultation.models import Comment, Decision

from .privacy import assert_no_personal_data

pytestmark = pytest.mark.django_db

DANGEROUS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"]


@pytest.fixture
def comments(consultation_a, staff, draft):
    made = [
        services.enter_comment(
            by=staff,
            consultation=consultation_a,
            text=text,
            article=draft.articles.get(number=2),
            contributor_name="=王芳",
            contributor_contact="+8613912345678",
            contributor_affiliation="@某小区",
        )
        for text in DANGEROUS
    ]
    made.append(
        services.enter_comment(
            by=staff,
            consultation=consultation_a,
            text="建议明确资金来源。",
            contributor_name="李强",
            contributor_contact="13800001111",
            contributor_kind="deputy",
        )
    )
    services.decide_comments(
        comments=made,
        status=Decision.NOT_ADOPTED,
        reason="other",
        explanation="-另行研究",
        by=staff,
    )
    return Comment.objects.filter(pk__in=[c.pk for c in made])


def read(data: bytes, fmt: str) -> list[list[str]]:
    if fmt == "csv":
        assert data.startswith(codecs.BOM_UTF8)
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [
        ["" if v is None else str(v) for v in row]
        for row in sheet.iter_rows(values_only=True)
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("personal", [True, False])
def test_no_cell_starts_like_a_formula(comments, staff, fmt, personal):
    reader = staff if personal else None
    rows = read(exports.export_comments(comments, fmt=fmt, reader=reader), fmt)
    assert len(rows) == 1 + len(DANGEROUS) + 1
    for row in rows:
        for cell in row:
            assert not cell.startswith(exports.FORMULA_STARTS), cell
    texts = {row[rows[0].index("意见内容")] for row in rows[1:]}
    assert {"'" + d for d in DANGEROUS} <= texts


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("1+1", "1+1"),
        (None, ""),
        (12, "12"),
    ],
)
def test_neutralise(value, safe):
    assert exports.neutralise(value) == safe


def test_the_xlsx_export_holds_no_formula(comments, staff):
    data = exports.export_comments(comments, fmt="xlsx", reader=staff)
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_public_export_has_no_personal_data_and_no_receipt_codes(comments, fmt):
    data = exports.export_comments(comments, fmt=fmt)
    rows = read(data, fmt)
    header = rows[0]
    for column in ("回执码", "提出人姓名", "联系方式", "身份", "工作单位"):
        assert column not in header
    text = "\n".join(",".join(row) for row in rows)
    assert_no_personal_data(text)
    for comment in comments:
        assert comment.receipt_code not in text
    assert "13800001111" not in text and "李强" not in text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_staff_export_has_who_made_each_comment(comments, staff, fmt):
    rows = read(exports.export_comments(comments, fmt=fmt, reader=staff), fmt)
    header = rows[0]
    assert header[0] == "回执码"
    by_text = {row[header.index("意见内容")]: row for row in rows[1:]}
    row = by_text["建议明确资金来源。"]
    assert row[header.index("提出人姓名")] == "李强"
    assert row[header.index("联系方式")] == "13800001111"
    assert row[header.index("身份")] == "人大代表"
    assert row[header.index("处理结果")] == "未采纳"
    assert row[header.index("理由")] == "其他"
    assert row[header.index("说明")] == "'-另行研究"
    assert row[header.index("联系点")] == "潞州区延安南路街道淮海社区基层立法联系点"
    assert row[header.index("法规案")] == "长治市测试管理条例"


def test_a_queryset_is_exported_in_a_fixed_number_of_queries(
    comments, clerk_a, django_assert_num_queries
):
    access.can_see_personal_data(clerk_a, comments[0])  # the reader's roles, once
    with django_assert_num_queries(1):
        exports.export_comments(comments, fmt="csv", reader=clerk_a)
    with django_assert_num_queries(1):
        exports.export_comments(comments, fmt="xlsx")
