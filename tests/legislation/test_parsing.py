import io
from collections.abc import Iterable
from pathlib import Path

import docx
import pytest

from legislation.numerals import int_to_chinese
from legislation.parsing import (
    DraftFormatError,
    ParsedItem,
    extract_text,
    normalise,
    parse_draft,
)

TEXTS = Path(__file__).parent / "texts"
ZWSP = "\u200b"


def lines(*rows: str) -> str:
    return "\n".join(rows)


def numbered(numbers: Iterable[int]) -> str:
    return lines(*(f"第{int_to_chinese(n)}条 第{n}号规定。" for n in numbers))


def generated_regulation(articles: int = 108, per_chapter: int = 12) -> str:
    """Write a regulation with chapters, items and numbers past 第一百条."""
    rows = ["# 示例市生成测试条例", ""]
    for number in range(1, articles + 1):
        if number % per_chapter == 1:
            chapter = number // per_chapter + 1
            rows += [f"## 第{int_to_chinese(chapter)}章  第{chapter}组规定", ""]
        label = f"第{int_to_chinese(number)}条"
        rows += [f"{label} 本条规定第{number}项管理事项，有关部门应当依法办理。", ""]
        if number % 5 == 0:
            rows += ["有下列情形之一的，从其规定：", "（一）法律另有规定；"]
            rows += ["（二）行政法规另有规定。", ""]
    return lines(*rows)


@pytest.fixture
def greening() -> str:
    return (TEXTS / "greening_draft.md").read_text(encoding="utf-8")


# --- Title, history, preamble -------------------------------------------------


def test_markdown_title_draft_mark_and_preamble_are_read(greening):
    draft = parse_draft(greening)

    assert draft.title == "示例市城市绿化条例（草案）"
    assert draft.preamble.startswith("为了说明本草案的结构")
    assert draft.ok
    assert len(draft.articles) == 11


def test_history_lines_and_comments_before_the_body_are_not_preamble():
    text = lines(
        "# 示例市电梯安全条例",
        "",
        "2019年6月26日 示例市第十六届人民代表大会常务委员会第二十次会议通过",
        "",
        "2023年3月1日 示例市第十七届人民代表大会常务委员会第八次会议修正",
        "",
        "<!-- INFO END -->",
        "",
        "## 第一章 总则",
        "",
        "第一条 为了加强电梯安全管理，制定本条例。",
    )
    draft = parse_draft(text)

    assert draft.title == "示例市电梯安全条例"
    assert draft.preamble == ""
    assert draft.history == [
        "2019年6月26日 示例市第十六届人民代表大会常务委员会第二十次会议通过",
        "2023年3月1日 示例市第十七届人民代表大会常务委员会第八次会议修正",
    ]
    assert [article.number for article in draft.articles] == [1]


def test_bracketed_history_over_several_lines_is_history():
    text = lines(
        "示例市养犬管理条例",
        "（2015年4月1日示例市第十四届人民代表大会常务委员会第十九次会议通过",
        "2021年9月29日示例市第十五届人民代表大会常务委员会第三十六次会议修正",
        "根据有关决定作出修改）",
        "第一条 为了规范养犬行为，制定本条例。",
    )
    draft = parse_draft(text)

    assert draft.title == "示例市养犬管理条例"
    assert len(draft.history) == 3
    assert draft.preamble == ""


def test_plain_title_and_preamble_without_chapters():
    text = lines(
        "示例市人民代表大会常务委员会关于加强生态保护的决定",
        "",
        "为了加强生态环境保护，作出如下决定：",
        "",
        "第一条 各级人民政府应当加强生态保护。",
        "第二条 本决定自公布之日起施行。",
    )
    draft = parse_draft(text)

    assert draft.title == "示例市人民代表大会常务委员会关于加强生态保护的决定"
    assert draft.preamble == "为了加强生态环境保护，作出如下决定："
    assert draft.chapters == []
    assert [(a.number, a.chapter, a.section) for a in draft.articles] == [
        (1, None, None),
        (2, None, None),
    ]


def test_table_of_contents_is_skipped():
    text = lines(
        "示例市河道管理条例",
        "目　　录",
        "第一章 总则",
        "第二章 规划与保护",
        "第三章 附则",
        "第一章 总则",
        "第一条 为了加强河道管理，制定本条例。",
        "第二章 规划与保护",
        "第二条 河道规划由市水行政主管部门编制。",
        "第三章 附则",
        "第三条 本条例自公布之日起施行。",
    )
    draft = parse_draft(text)

    assert draft.ok, draft.problems
    assert [(c.number, c.line) for c in draft.chapters] == [(1, 6), (2, 8), (3, 10)]
    assert draft.preamble == ""


def test_text_without_any_article_is_refused():
    with pytest.raises(DraftFormatError, match="没有找到任何条文"):
        parse_draft(lines("# 示例市某条例", "", "## 第一章 总则", "", "本章暂无内容。"))


# --- Chapters and sections ----------------------------------------------------


def test_chapters_and_sections_are_read_with_their_articles(greening):
    draft = parse_draft(greening)

    assert [(c.number, c.title) for c in draft.chapters] == [
        (1, "总则"),
        (2, "规划与建设"),
        (3, "养护与管理"),
        (4, "法律责任"),
        (5, "附则"),
    ]
    assert [(s.number, s.title, s.chapter) for s in draft.sections] == [
        (1, "一般规定", 3),
        (2, "古树名木保护", 3),
    ]
    placed = {a.number: (a.chapter, a.section) for a in draft.articles}
    assert placed[3] == (1, None)
    assert placed[6] == (3, 1)
    assert placed[9] == (3, 2)
    assert placed[10] == (4, None)


@pytest.mark.parametrize(
    "heading",
    [
        "## 第一章  总  则",
        "## 第一章 总则",
        "第一章　总　　则",
        "第一章总则",
        "**第一章 总则**",
        f"第一{ZWSP}章 总{ZWSP}则",
    ],
)
def test_chapter_titles_lose_their_inner_spaces(heading):
    draft = parse_draft(lines(heading, "第一条 为了规范管理，制定本条例。"))

    assert [(c.number, c.title, c.line) for c in draft.chapters] == [(1, "总则", 1)]


def test_section_numbers_restart_in_each_chapter():
    text = lines(
        "第一章 总则",
        "第一条 为了规范管理，制定本条例。",
        "第二章 管理",
        "第一节 一般规定",
        "第二条 管理部门应当依法履职。",
        "第二节 特别规定",
        "第三条 特殊区域实行特别管理。",
        "第三章 责任",
        "第一节 行政责任",
        "第四条 违反本条例的，依法处理。",
    )
    draft = parse_draft(text)

    assert draft.ok, draft.problems
    assert [(s.chapter, s.number) for s in draft.sections] == [(2, 1), (2, 2), (3, 1)]
    assert draft.articles[1].section == 1
    assert draft.articles[3].section == 1


def test_a_sentence_starting_with_a_chapter_reference_is_not_a_chapter():
    text = lines(
        "第一章 总则",
        "第一条 为了规范管理，制定本条例。",
        "第二章规定的事项，由市人民政府另行规定。",
    )
    draft = parse_draft(text)

    assert len(draft.chapters) == 1
    assert draft.articles[0].text == (
        "为了规范管理，制定本条例。\n第二章规定的事项，由市人民政府另行规定。"
    )


# --- Articles, paragraphs, items ---------------------------------------------


def test_numbering_past_one_hundred_is_continuous_across_chapters():
    draft = parse_draft(generated_regulation(articles=108))

    assert draft.ok, draft.problems
    assert [a.number for a in draft.articles] == list(range(1, 109))
    assert draft.articles[108 - 1].label == "第一百零八条"
    assert len(draft.chapters) == 9
    assert draft.articles[104].chapter == 9


def test_article_label_and_text_leave_out_the_label_and_heading(greening):
    article = parse_draft(greening).articles[1]

    assert article.label == "第二条"
    assert article.heading == "适用范围"
    assert article.text == (
        "本市城市规划区内绿化的规划、建设、养护和管理，适用本条例。\n"
        "本条例所称城市绿化，是指在城市规划区内种植和养护树木花草等活动。"
    )


@pytest.mark.parametrize(
    "line",
    [
        "第一条【立法目的】为了规范管理，制定本条例。",
        "第一条 【立法目的】 为了规范管理，制定本条例。",
        "第一条　【立法目的】　为了规范管理，制定本条例。",
        "第一条  【立法  目的】为了规范管理，制定本条例。",
        "第一条[立法目的]为了规范管理，制定本条例。",
        "**第一条**【立法目的】为了规范管理，制定本条例。",
    ],
)
def test_bracketed_article_headings_are_split_from_the_text(line):
    article = parse_draft(line).articles[0]

    assert article.heading == "立法目的"
    assert article.text == "为了规范管理，制定本条例。"


def test_article_with_empty_first_line_continues_on_the_next(greening):
    article = parse_draft(greening).articles[3]

    assert article.heading == "绿地系统规划"
    assert [p.text for p in article.paragraphs] == [
        "市绿化行政主管部门应当会同自然资源主管部门编制城市绿地系统规划，"
        "报市人民政府批准后实施。"
    ]


def test_items_belong_to_the_paragraph_before_them(greening):
    article = parse_draft(greening).articles[4]

    first, second = article.paragraphs
    assert first.text.endswith("应当符合下列规定：")
    assert [item.number for item in first.items] == [1, 2, 3]
    assert first.items[0] == ParsedItem(1, "居住区不低于百分之三十；")
    assert second.text.startswith("因特殊情况")
    assert second.items == []
    assert article.text.splitlines()[1] == "（一）居住区不低于百分之三十；"


def test_items_may_follow_an_article_label_directly():
    text = lines(
        "第一条 禁止下列行为：",
        "第二条",
        "（一）擅自占用绿地；",
        "（十二）其他行为。",
    )
    article = parse_draft(text).articles[1]

    assert len(article.paragraphs) == 1
    assert article.paragraphs[0].text == ""
    assert [item.label for item in article.paragraphs[0].items] == [
        "（一）",
        "（十二）",
    ]
    assert article.text == "（一）擅自占用绿地；\n（十二）其他行为。"


def test_numbered_lines_after_an_item_continue_the_item(greening):
    article = parse_draft(greening).articles[8]

    items = article.paragraphs[0].items
    assert len(items) == 4
    assert items[2].text.splitlines() == [
        "在树冠垂直投影范围内挖坑取土、倾倒有害污水；",
        "1.倾倒生活污水；",
        "2.倾倒工业废水。",
    ]


def test_multi_paragraph_articles_keep_each_paragraph(greening):
    article = parse_draft(greening).articles[2]

    assert article.heading == "管理职责"
    assert len(article.paragraphs) == 3
    assert article.paragraphs[0].text == "市绿化行政主管部门负责全市城市绿化工作。"


def test_zero_width_and_full_width_spaces_anywhere_are_ignored():
    text = lines(
        f"\ufeff第{ZWSP}一条　　为了规范{ZWSP}管理，制定本条例。 ",
        f"第十{ZWSP}条\u00a0本条例自公布之日起施行。\u2060",
    )
    draft = parse_draft(text)

    assert [a.number for a in draft.articles] == [1, 10]
    assert draft.articles[0].text == "为了规范管理，制定本条例。"
    assert draft.articles[1].text == "本条例自公布之日起施行。"


def test_windows_line_endings_keep_line_numbers():
    draft = parse_draft("第一条 总则。\r\n\r\n第二条 分则。\r\n第四条 附则。")

    assert [a.line for a in draft.articles] == [1, 3, 4]
    assert draft.problems[0].line == 4


# --- Telling article headings from references --------------------------------


def test_reference_to_an_article_inside_a_sentence_is_text():
    text = lines(
        "第十一条 依照本条例第十二条规定执行。",
        "第十二条 本条例自公布之日起施行。",
    )
    draft = parse_draft(lines("第十条 总则。", text))

    assert [a.number for a in draft.articles] == [10, 11, 12]


@pytest.mark.parametrize(
    "paragraph",
    [
        "第十二条规定的情形，由市人民政府另行规定。",
        "第十二条、第十三条规定的期限，不适用本款。",
        "第十二条第二款所称单位，包括个体工商户。",
        "第十二条所称绿地，是指城市规划区内的绿地。",
        "第十一条之一的规定，同样适用。",
        "第三条规定的部门应当配合。",
    ],
)
def test_line_starting_with_a_cross_reference_stays_in_the_article(paragraph):
    draft = parse_draft(lines(numbered(range(1, 11)), paragraph, "第十一条 附则。"))

    assert [a.number for a in draft.articles] == [*range(1, 11), 11]
    assert draft.articles[9].paragraphs[1].text == paragraph
    assert draft.ok


def test_label_followed_directly_by_text_starts_the_next_article():
    draft = parse_draft(
        lines("第一条为了规范管理，制定本条例。", "第二条本条例适用于全市。")
    )

    assert [a.number for a in draft.articles] == [1, 2]
    assert draft.articles[1].text == "本条例适用于全市。"


def test_label_without_space_far_from_the_expected_number_is_text():
    draft = parse_draft(lines("第一条 总则。", "第九条为此另行规定。", "第二条 附则。"))

    assert [a.number for a in draft.articles] == [1, 2]
    assert draft.ok


def test_label_followed_by_a_space_always_starts_an_article():
    draft = parse_draft(
        lines("第一条 总则。", "第九条 规定另行制定。", "第二条 附则。")
    )

    assert [a.number for a in draft.articles] == [1, 9, 2]
    assert not draft.ok


# --- Numbering problems ------------------------------------------------------


def test_gap_in_article_numbers_is_reported_at_its_line():
    text = lines(*(["序言。"] * 11), numbered([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14]))
    draft = parse_draft(text)

    (problem,) = draft.problems
    assert (problem.line, problem.unit, problem.kind) == (23, "article", "gap")
    assert (problem.expected, problem.found) == (12, 14)
    assert problem.excerpt == "第十四条 第14号规定。"
    assert (
        problem.message == "第23行：第十一条之后应为第十二条，实为第十四条（缺少编号）"
    )
    assert len(draft.articles) == 12


def test_repeated_article_number_is_reported_at_the_second_occurrence():
    draft = parse_draft(numbered([9, 10, 10, 11]))

    problems = [(p.line, p.kind, p.expected, p.found) for p in draft.problems]
    assert problems[1:] == [(3, "repeat", 11, 10)]
    assert draft.problems[1].message.endswith("实为第十条（编号重复）")


def test_article_out_of_order_is_reported_once_where_the_order_breaks():
    draft = parse_draft(numbered([1, 2, 4, 3, 5]))

    (problem,) = draft.problems
    assert (problem.line, problem.kind, problem.expected, problem.found) == (
        3,
        "order",
        3,
        4,
    )
    assert problem.message == "第3行：第二条之后应为第三条，实为第四条（顺序错误）"
    assert [a.number for a in draft.articles] == [1, 2, 4, 3, 5]


def test_earlier_number_after_a_later_one_is_an_order_problem():
    draft = parse_draft(numbered([1, 2, 3, 5, 6, 4]))

    kinds = [(p.line, p.kind) for p in draft.problems]
    assert kinds == [(4, "order")]


def test_first_article_not_numbered_one_is_a_gap():
    (problem,) = parse_draft(numbered([2, 3])).problems

    assert (problem.line, problem.kind, problem.expected) == (1, "gap", 1)
    assert problem.message.startswith("第1行：第一个编号应为第一条，实为第二条")


@pytest.mark.parametrize(
    ("chapters", "kind", "line"),
    [
        ([1, 2, 4], "gap", 5),
        ([1, 2, 2], "repeat", 5),
        ([1, 3, 2, 4], "order", 3),
    ],
)
def test_chapter_numbering_problems_are_reported(chapters, kind, line):
    rows = []
    for index, chapter in enumerate(chapters, start=1):
        rows += [f"第{int_to_chinese(chapter)}章 第{chapter}章标题"]
        rows += [f"第{int_to_chinese(index)}条 第{index}条内容。"]
    draft = parse_draft(lines(*rows))

    assert [(p.unit, p.kind, p.line) for p in draft.problems] == [
        ("chapter", kind, line)
    ]
    assert len(draft.chapters) == len(chapters)


def test_section_gap_is_reported_within_its_chapter():
    text = lines(
        "第一章 总则",
        "第一节 一般规定",
        "第一条 内容。",
        "第三节 特别规定",
        "第二条 内容。",
    )
    (problem,) = parse_draft(text).problems

    assert (problem.unit, problem.kind, problem.line) == ("section", "gap", 4)
    assert problem.message == "第4行：第一节之后应为第二节，实为第三节（缺少编号）"


def test_repeated_chapter_numbers_do_not_merge_their_sections():
    text = lines(
        "第一章 总则",
        "第一节 一般规定",
        "第一条 内容。",
        "第一章 总则",
        "第一节 一般规定",
        "第二条 内容。",
    )
    problems = parse_draft(text).problems

    assert [(p.unit, p.kind) for p in problems] == [("chapter", "repeat")]


# --- normalise ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("总  则", "总则"),
        ("总　　则", "总则"),
        ("第一条\u00a0为了", "第一条为了"),
        (f"第{ZWSP}十\u200c条\u200d\u2060\ufeff", "第十条"),
        ("  行首空格  ", "行首空格"),
        ("甲\r\n乙\r丙", "甲\n乙\n丙"),
        ("工作,加强指导", "工作，加强指导"),
        ("(一)居住区", "（一）居住区"),
        ("规定(试行)的", "规定（试行）的"),
        ("GB 7588-2003 (第1部分)", "GB 7588-2003 （第1部分）"),
        ("1,000元 2:30", "1,000元 2:30"),
        ("Apache  License\t2.0", "Apache License 2.0"),
        ("\n\n正文\n\n\n", "正文"),
    ],
)
def test_normalise_cleans_spacing_and_punctuation(raw, clean):
    assert normalise(raw) == clean


def test_normalise_keeps_the_number_of_inner_lines():
    assert normalise("甲\n\n乙") == "甲\n\n乙"


# --- extract_text ------------------------------------------------------------

SAMPLE = "示例市条例\n第一条 为了规范管理，制定本条例。\n"


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("draft.txt", SAMPLE.encode("utf-8")),
        ("draft.md", SAMPLE.encode("utf-8-sig")),
        ("DRAFT.MARKDOWN", SAMPLE.encode("utf-8")),
        ("draft.txt", SAMPLE.encode("gb18030")),
        ("draft.txt", SAMPLE.encode("utf-16")),
    ],
)
def test_text_files_are_decoded(filename, data):
    assert extract_text(filename, data) == SAMPLE


def test_word_documents_give_one_line_per_paragraph():
    document = docx.Document()
    document.add_paragraph("示例市条例")
    document.add_paragraph("第一章　总则")
    document.add_paragraph("第一条【立法目的】为了规范管理，制定本条例。")
    document.add_paragraph("（一）第一项；")
    buffer = io.BytesIO()
    document.save(buffer)

    text = extract_text("草案.docx", buffer.getvalue())
    draft = parse_draft(text)

    assert text.splitlines() == [
        "示例市条例",
        "第一章　总则",
        "第一条【立法目的】为了规范管理，制定本条例。",
        "（一）第一项；",
    ]
    assert draft.articles[0].heading == "立法目的"
    assert draft.articles[0].paragraphs[0].items == [ParsedItem(1, "第一项；")]


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("draft.doc", b"\xd0\xcf\x11\xe0", "不支持.doc文件"),
        ("draft.pdf", b"%PDF-1.4", "不支持.pdf文件"),
        ("draft.xlsx", b"PK", "不支持的文件类型"),
        ("draft", b"text", "不支持的文件类型"),
        ("draft.docx", b"not a zip file", "无法读取该Word文件"),
        ("draft.txt", b"\x00\x81\x00\xff\xfe\x00", "无法识别文件编码"),
    ],
)
def test_unreadable_or_unsupported_files_are_refused(filename, data, message):
    with pytest.raises(DraftFormatError, match=message):
        extract_text(filename, data)
