"""
Tables inside articles: read one way (legislation.tables) and drawn as tables on
every page that shows article text, as Word tables in the generated documents,
and as readable rows (cells apart by tabs) in spreadsheets.
"""

import datetime as dt
import io
import re

import docx
import openpyxl
import pytest
from django.urls import reverse

from consultation.documents.style import repeat_header
from legislation import services, tables
from legislation.models import Regulation, Stage
from legislation.parsing import extract_text, parse_draft
from tests.factories import BillFactory
from tests.legislation.lifecycle import Clock, walk_to

pytestmark = pytest.mark.django_db

FIRST = """长治市收费管理条例
第一章 总则
第一条 为了规范收费工作，制定本条例。
第二条 收费标准如下：
| 项目 | 标准（元） |
| --- | --- |
| 初检 | 100 |
| 复检 | 50 |
收费标准应当公开。
第二章 附则
第三条 本条例自2025年3月1日起施行。
"""
SECOND = FIRST.replace("| 复检 | 50 |", "| 复检 | 80 |\n| 年检 | 120 |")


@pytest.fixture
def table_bill(staff):
    bill = BillFactory(title="长治市收费管理条例", slug="fees")
    for number, (text, kind) in enumerate(
        ((FIRST, "draft"), (SECOND, "revised")), start=1
    ):
        services.add_draft_version(
            bill=bill,
            text=text,
            title=f"第{number}稿",
            kind=kind,
            on=dt.date(2024, number, 20),
            by=staff,
            is_published=True,
        )
    bill.refresh_from_db()
    return bill


def _tables(html: str) -> list[str]:
    return re.findall(r'<table class="article-table">.*?</table>', html, re.S)


def _cells(table: str) -> list[str]:
    return re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", table, re.S)


# --- Reading ----------------------------------------------------------------------


def test_a_table_is_read_as_rows_of_cells_with_its_header_and_its_place():
    text = parse_draft(FIRST).articles[1].paragraphs[1].text
    article = f"收费标准如下：\n{text}\n收费标准应当公开。"
    blocks = tables.blocks(article)
    assert [block.kind for block in blocks] == ["text", "table", "text"]
    table = blocks[1]
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["项目", "标准（元）"],
        ["初检", "100"],
        ["复检", "50"],
    ]
    assert [row.header for row in table.rows] == [True, False, False]
    # Each cell knows where its text is in the article, which the comparison
    # marks rely on.
    assert all(
        article[cell.start : cell.end] == cell.text
        for row in table.rows
        for cell in row.cells
    )


def test_a_table_without_a_rule_has_no_header_and_a_plain_text_no_table():
    (table,) = tables.blocks("| 甲 | 乙 |\n| 丙 | 丁 |")
    assert not any(row.header for row in table.rows)
    assert tables.blocks("第一款。\n第二款。") == [
        tables.Block("text", 0, 9, "第一款。\n第二款。")
    ]
    # A rule further down is dropped, not read as a row.
    (table,) = tables.blocks("| 甲 | 乙 |\n| 丙 | 丁 |\n|---|---|")
    assert len(table.rows) == 2


def test_the_readable_form_writes_rows_on_lines_and_cells_apart_by_tabs():
    text = "收费标准如下：\n| 项目 | 标准 |\n| --- | --- |\n| 初检 | 100 |\n应当公开。"
    assert tables.readable(text) == "收费标准如下：\n项目\t标准\n初检\t100\n应当公开。"
    assert tables.readable("没有表格。") == "没有表格。"


def test_a_word_table_with_a_repeated_header_row_keeps_its_header():
    document = docx.Document()
    document.add_paragraph("长治市收费管理条例")
    document.add_paragraph("第一条 收费标准如下：")
    grid = document.add_table(rows=2, cols=2)
    values = ["项目", "标准", "初检", "100"]
    for cell, value in zip(
        grid.rows[0].cells + grid.rows[1].cells, values, strict=True
    ):
        cell.text = value
    repeat_header(grid.rows[0])
    out = io.BytesIO()
    document.save(out)
    text = extract_text("draft.docx", out.getvalue())
    paragraph = parse_draft(text).articles[0].paragraphs[1].text
    (table,) = tables.blocks(paragraph)
    assert [row.header for row in table.rows] == [True, False]


# --- Pages --------------------------------------------------------------------


def test_the_public_bill_page_draws_the_table_with_its_header(client, table_bill):
    for query in ("", "?version=1"):
        page = client.get(f"/bills/{table_bill.slug}/{query}").content.decode()
        (table,) = _tables(page)
        assert '<th scope="col">项目</th>' in table
        assert "<td>初检</td>" in table
        assert "| 初检 |" not in page


def test_the_public_comparison_draws_the_table_on_both_sides_marking_the_change(
    client, table_bill
):
    page = client.get(
        f"/bills/{table_bill.slug}/compare/", {"from": 1, "to": 2}
    ).content.decode()
    old, new = _tables(page)
    assert "| 复检 |" not in page
    assert _cells(old)[-1].startswith('<del><span class="visually-hidden">')
    assert "50" in _cells(old)[-1]
    assert 'class="cell-changed"' in old
    # The changed cell shows its new words; the added row is marked whole.
    assert re.search(r'<td class="cell-changed"><ins>.*?80.*?</ins></td>', new)
    added_row = re.findall(r"<tr>(.*?)</tr>", new)[-1]
    assert added_row.count('class="cell-changed"') == 2
    assert "年检" in added_row and "120" in added_row
    # The unchanged cells are plain.
    assert "<td>初检</td>" in old and "<td>初检</td>" in new


def test_staff_pages_draw_the_table(client, staff, table_bill):
    client.force_login(staff)
    version = client.get(
        reverse("staff:version-detail", kwargs={"slug": table_bill.slug, "number": 2})
    ).content.decode()
    (table,) = _tables(version)
    assert '<th scope="col">项目</th>' in table and "<td>年检</td>" in table
    compare = client.get(
        reverse("staff:bill-compare", kwargs={"slug": table_bill.slug}),
        {"from": 1, "to": 2},
    ).content.decode()
    old, new = _tables(compare)
    assert "<del>" in old and "<ins>" in new and "| 复检 |" not in compare
    article = table_bill.versions.get(number=2).articles.get(number=2)
    links = client.get(
        reverse(
            "staff:article-comment-links",
            kwargs={"slug": table_bill.slug, "article": article.pk},
        )
    ).content.decode()
    assert len(_tables(links)) == 1


def test_the_text_in_force_draws_the_table(client, staff, table_bill):
    walk_to(table_bill, Stage.PROMULGATED, Clock(), staff)
    regulation = Regulation.objects.get(bill=table_bill)
    page = client.get(
        reverse("public:law-detail", kwargs={"slug": regulation.slug}),
        {"on": "2099-01-01"},
    ).content.decode()
    (table,) = _tables(page)
    assert "<td>年检</td>" in table and "| 年检 |" not in page


def test_cells_are_escaped(client, staff):
    bill = BillFactory(slug="escaped")
    services.add_draft_version(
        bill=bill,
        text=FIRST.replace("| 初检 | 100 |", "| <b>初检</b> | 100 |"),
        title="第1稿",
        kind="draft",
        on=dt.date(2024, 1, 20),
        by=staff,
        is_published=True,
    )
    page = client.get(f"/bills/{bill.slug}/").content.decode()
    assert "<td>&lt;b&gt;初检&lt;/b&gt;</td>" in page


# --- Files ----------------------------------------------------------------------


def test_the_comparison_document_holds_word_tables(client, table_bill):
    response = client.get(
        f"/api/v1/bills/{table_bill.slug}/compare/",
        {"format": "docx", "from": 1, "to": 2},
    )
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    (comparison,) = document.tables
    row = next(row for row in comparison.rows if row.cells[0].text.startswith("第二条"))
    old, new = row.cells[0].tables[0], row.cells[1].tables[0]
    assert old.style.name == "Table Grid"  # bordered
    assert [[c.text for c in r.cells] for r in new.rows] == [
        ["项目", "标准（元）"],
        ["初检", "100"],
        ["复检", "80"],
        ["年检", "120"],
    ]
    assert all(run.font.bold for run in new.rows[0].cells[0].paragraphs[0].runs)
    assert "|" not in "".join(p.text for p in row.cells[1].paragraphs)
    struck = [r.text for r in old.rows[2].cells[1].paragraphs[0].runs if r.font.strike]
    assert "".join(struck) == "50"
    # The text after the table follows it.
    assert row.cells[1].paragraphs[-1].text == "收费标准应当公开。"


def test_the_comparison_spreadsheet_writes_table_rows_apart_by_tabs(client, table_bill):
    response = client.get(
        f"/api/v1/bills/{table_bill.slug}/compare/",
        {"format": "xlsx", "from": 1, "to": 2},
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    texts = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value]
    new = next(text for text in texts if text.startswith("第二条") and "年检" in text)
    assert "项目\t标准（元）\n初检\t100\n复检\t80\n年检\t120" in new
    assert "|" not in new


# --- Where an adopted comment went ---------------------------------------------


@pytest.fixture
def adopted(table_bill, point_a, staff):
    """A comment on the first draft, adopted into the table article of the second."""
    from consultation import services as consultation_services
    from consultation.models import Channel, Decision

    consultation = consultation_services.record_consultation(
        by=staff,
        bill=table_bill,
        version=table_bill.versions.get(number=1),
        channel=Channel.LIAISON_POINT,
        point=point_a,
        title="立法意见征询座谈会",
        held_on=dt.date(2024, 1, 25),
        participants=12,
    )
    comment = consultation_services.enter_comment(
        by=staff,
        consultation=consultation,
        text="建议增加年检的收费标准。",
        contributor_name="李小红",
        contributor_contact="13912345678",
    )
    article = table_bill.versions.get(number=2).articles.get(number=2)
    return consultation_services.decide_comment(
        comment=comment, status=Decision.ADOPTED, by=staff, articles=[article]
    )


def _staff_api(staff):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(staff)
    return api


def test_the_receipt_draws_the_tables_of_the_article_before_and_after(client, adopted):
    html = client.post(reverse("public:receipt"), {"code": adopted.receipt})
    old, new = _tables(html.content.decode())
    assert "<td>50</td>" in old and "<td>年检</td>" in new


def test_the_adoption_report_and_letters_hold_the_table(staff, table_bill, adopted):
    api = _staff_api(staff)
    url = f"/api/v1/bills/{table_bill.slug}/"
    for path, query in (
        ("adoption-report/", {"format": "docx"}),
        ("feedback-letters/", {"by": "point"}),
    ):
        response = api.get(url + path, query)
        assert response.status_code == 200, response.content[:300]
        document = docx.Document(io.BytesIO(response.content))
        grids = [t for t in document.tables if t.rows[0].cells[0].text == "项目"]
        assert len(grids) == 1, path
        assert [c.text for c in grids[0].rows[-1].cells] == ["年检", "120"]
        assert "| 年检 |" not in "\n".join(p.text for p in document.paragraphs)
    sheet = openpyxl.load_workbook(
        io.BytesIO(api.get(url + "adoption-report/", {"format": "xlsx"}).content)
    )["采纳的意见"]
    places = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert any("复检\t80\n年检\t120" in text for text in places)


@pytest.mark.office
def test_an_office_program_draws_the_table_of_the_comparison_document(
    client, table_bill, tmp_path
):
    from tests.consultation.test_documents import convert

    body = client.get(
        f"/api/v1/bills/{table_bill.slug}/compare/",
        {"format": "docx", "from": 1, "to": 2},
    ).content
    converted = convert({"compare.docx": body}, "html", tmp_path)
    html = converted["compare.docx"].decode("utf-8", "replace")
    # LibreOffice reads the Word table inside the comparison cell as a table
    # of its own, with its cells (and nothing of the pipes).
    nested = re.findall(r"<table\b", html)
    assert len(nested) >= 3  # the comparison and a table on each side
    cells = re.sub(r"<[^>]+>|\s", "", html)
    assert "年检120" in cells and "|" not in cells


def test_the_article_menu_of_the_entry_form_reads_a_table_without_pipes(
    client, staff, adopted
):
    client.force_login(staff)
    page = client.get(
        reverse("staff:comment-entry", kwargs={"pk": adopted.consultation_id})
    ).content.decode()
    assert re.search(r"收费标准如下：\s项目 标准（元）\s初检 100", page)
    assert "| 项目 |" not in page
