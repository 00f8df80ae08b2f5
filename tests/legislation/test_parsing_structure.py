"""The structure of real texts: inserted articles, parts, bare and two-line
headings, Word's automatic numbering and tables."""

import io
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from legislation.numerals import article_label
from legislation.parsing import extract_text, parse_draft

TEXTS = Path(__file__).parent / "texts"


@pytest.fixture
def reservoir():
    return parse_draft((TEXTS / "reservoir_amended.md").read_text(encoding="utf-8"))


@pytest.fixture
def code():
    return parse_draft((TEXTS / "code_parts.md").read_text(encoding="utf-8"))


def test_article_label_writes_the_insertion_suffix():
    assert article_label(12) == "第十二条"
    assert article_label(12, 1) == "第十二条之一"
    assert article_label(4, 2) == "第四条之二"


def test_inserted_articles_are_articles_in_their_own_right(reservoir):
    labels = [article.label for article in reservoir.articles]
    assert labels[:8] == [
        "第一条",
        "第二条",
        "第二条之一",
        "第三条",
        "第四条",
        "第四条之一",
        "第四条之二",
        "第五条",
    ]
    inserted = reservoir.articles[2]
    assert (inserted.number, inserted.suffix) == (2, 1)
    assert inserted.text == "水库保护应当坚持保护优先、统筹规划、综合治理的原则。"
    assert reservoir.ok, [p.message for p in reservoir.problems]


def test_bare_chapter_headings_are_chapters_not_article_text(reservoir):
    assert [(c.number, c.title, c.labelled) for c in reservoir.chapters] == [
        (1, "总则", True),
        (2, "保护措施", False),
        (3, "监督管理", False),
        (4, "附则", False),
    ]
    by_label = {a.label: a for a in reservoir.articles}
    assert (
        by_label["第三条"].text
        == "市、县（区）人民政府负责本行政区域内的水库保护工作。"
    )
    assert by_label["第四条"].chapter == 2
    assert by_label["第五条"].text.endswith("农药的使用。")
    assert by_label["第七条"].chapter == 3
    assert by_label["第八条"].chapter == 4


def test_a_table_stays_a_table_inside_its_article(reservoir):
    article = next(a for a in reservoir.articles if a.label == "第六条")
    assert [p.is_table for p in article.paragraphs] == [False, True]
    assert article.paragraphs[1].text.splitlines() == [
        "| 监测项目 | 频次 |",
        "| --- | --- |",
        "| 溶解氧 | 每月一次 |",
    ]


def test_a_bare_heading_in_a_text_without_chapters_is_reported_at_its_line():
    draft = parse_draft(
        "示例市测试条例\n"
        "第一条 为了测试，制定本条例。\n"
        "第二条 本条例适用于本市。\n"
        "附　　则\n"
        "第三条 本条例自公布之日起施行。\n"
    )
    assert [(p.line, p.kind) for p in draft.problems] == [(4, "unplaced")]
    assert "附则" in draft.problems[0].message
    assert not draft.ok


def test_a_label_without_a_space_after_it_starts_the_inserted_article():
    draft = parse_draft(
        "第九条 为了测试，制定本条例。\n"
        "第十条 本条例适用于本市。\n"
        "第十条之一这是插入的条文。\n"
        "第十条之一规定的事项，由市人民政府另行规定。\n"
    )
    assert [a.label for a in draft.articles] == ["第九条", "第十条", "第十条之一"]
    assert draft.articles[2].paragraphs[1].text.startswith("第十条之一规定的事项")


def test_an_inserted_article_out_of_place_is_reported():
    draft = parse_draft(
        "第一条 为了测试，制定本条例。\n"
        "第二条 本条例适用于本市。\n"
        "第二条之二 跳过了之一。\n"
        "第三条 第三条。\n"
        "第一条之一 放错了位置。\n"
    )
    assert [(p.line, p.kind) for p in draft.problems] == [(3, "gap"), (5, "order")]
    assert "第二条之一" in draft.problems[0].message


def test_parts_hold_chapters_that_restart_in_each_part(code):
    assert [(p.kind, p.number, p.title) for p in code.parts] == [
        ("part", 1, "总则"),
        ("part", 2, "污染防治"),
        ("subpart", 1, "大气"),
        ("subpart", 2, "水"),
    ]
    assert [(c.part, c.subpart, c.number) for c in code.chapters] == [
        (1, None, 1),
        (1, None, 2),
        (2, 1, 1),
        (2, 1, 2),
        (2, 2, 3),
    ]
    assert code.ok, [p.message for p in code.problems]
    assert [(a.part, a.chapter) for a in code.articles][3] == (2, 1)


def test_a_repeated_chapter_within_a_part_is_still_reported():
    draft = parse_draft(
        "第一编 总则\n第一章 一\n第一条 一。\n第一章 二\n第二条 二。\n"
        "第二编 分则\n第一章 三\n第三条 三。\n"
    )
    assert [(p.line, p.unit, p.kind) for p in draft.problems] == [
        (4, "chapter", "repeat")
    ]


def test_two_line_headings_are_joined(code):
    assert code.sections[0].title == "饮用水水源地的保护"
    assert code.articles[-1].text == "饮用水水源保护区实行分级管理。"


def test_a_chapter_label_alone_takes_its_title_from_the_next_line():
    draft = parse_draft("第一章\n总则\n第一条 为了测试，制定本条例。\n")
    assert draft.chapters[0].title == "总则"
    assert draft.preamble == ""


# --- Word -----------------------------------------------------------------


def _numbered_document(paragraphs, *, number_format="chineseCounting", start=None):
    """A document whose paragraphs Word numbers 第%1条 (Chinese counting)."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.append(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/>'
            f'<w:numFmt w:val="{number_format}"/><w:lvlText w:val="第%1条"/>'
            '<w:suff w:val="space"/></w:lvl></w:abstractNum>'
        )
    )
    override = (
        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride>'
        if start
        else ""
    )
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/>'
            f"{override}</w:num>"
        )
    )
    for text, numbered in paragraphs:
        paragraph = document.add_paragraph(text)
        if numbered:
            paragraph._p.get_or_add_pPr().append(
                parse_xml(
                    f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/>'
                    '<w:numId w:val="90"/></w:numPr>'
                )
            )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_word_automatic_numbering_is_read_as_article_labels():
    data = _numbered_document(
        [
            ("示例市条例", False),
            ("第一章　总则", False),
            ("为了规范管理，制定本条例。", True),
            ("本条例适用于本市。", True),
            ("有关部门应当依法履职。", False),
        ]
        + [(f"第{n}项规定。", True) for n in range(3, 12)]
    )
    text = extract_text("草案.docx", data)
    draft = parse_draft(text)

    assert text.splitlines()[2] == "第一条 为了规范管理，制定本条例。"
    assert [a.label for a in draft.articles][-2:] == ["第十条", "第十一条"]
    assert draft.articles[1].text == "本条例适用于本市。\n有关部门应当依法履职。"
    assert draft.ok


def test_word_numbering_honours_a_start_override_and_digit_formats():
    data = _numbered_document(
        [("为了测试。", True), ("适用于本市。", True)], number_format="decimal", start=5
    )
    assert extract_text("a.docx", data).splitlines() == [
        "第5条 为了测试。",
        "第6条 适用于本市。",
    ]


def test_word_tables_are_kept_as_tables_inside_their_article():
    document = docx.Document()
    document.add_paragraph("第一条 收费标准如下：")
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(
        table.rows, [("项目", "标准"), ("停车", "每小时5元")], strict=True
    ):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    document.add_paragraph("第二条 本条例自公布之日起施行。")
    buffer = io.BytesIO()
    document.save(buffer)

    draft = parse_draft(extract_text("表格.docx", buffer.getvalue()))

    first = draft.articles[0]
    assert [p.text for p in first.paragraphs] == [
        "收费标准如下：",
        "| 项目 | 标准 |\n| 停车 | 每小时5元 |",
    ]
    assert draft.articles[1].text == "本条例自公布之日起施行。"
