"""Comparison whose cost is bounded: very long articles, splits and merges."""

import datetime as dt
import random

import pytest
from django.urls import reverse

from legislation import services
from legislation.comparison import Side, align, compare, diff_segments, similarity
from legislation.selectors import compare_versions

PHRASES = (
    "市人民政府 区人民政府 市场监督管理部门 使用单位 维护保养单位 应当 建立健全 "
    "安全管理制度 组织开展 监督检查 制定 应急救援预案 公开相关信息 接受社会监督 "
    "配备 专职管理人员 宣传教育 培训 投诉举报 水库 保护范围 禁止 依法 处罚"
).split()


def long_text(characters: int, seed: int = 1) -> str:
    """Write sentences of regulation words until ``characters`` is reached."""
    chooser = random.Random(seed)
    sentences = []
    length = 0
    while length < characters:
        words = [chooser.choice(PHRASES) for _ in range(chooser.randint(6, 18))]
        sentence = "".join(words) + chooser.choice("，；。")
        sentences.append(sentence)
        length += len(sentence)
    return "".join(sentences)


def amended(text: str, share: float, seed: int = 2) -> str:
    """Insert a few characters after some sentences: about ``share`` changes."""
    chooser = random.Random(seed)
    parts = text.split("。")
    return "。".join(
        part + "并报告" if chooser.random() < share else part for part in parts
    )


def test_a_long_near_identical_article_is_changed_not_deleted_and_added():
    old = long_text(100_000)
    new = amended(old, 0.6)
    assert 0.99 < similarity(old, new) < 0.996  # about 99.4 % identical

    rows = compare([Side("a", 1, old)], [Side("b", 1, new)])

    assert [row.status for row in rows] == ["changed"]
    assert "".join(s.text for s in rows[0].old_segments) == old
    assert "".join(s.text for s in rows[0].new_segments) == new
    inserted = [s.text for s in rows[0].new_segments if s.op == "insert"]
    assert inserted and set(inserted) <= {"并报告", "并报告。", "报告"}


def test_long_articles_still_align_among_short_ones():
    long_old = long_text(30_000, seed=3)
    old = [Side(1, 1, "本条例自公布之日起施行。"), Side(2, 2, long_old)]
    new = [
        Side(10, 1, "本条例自2025年1月1日起施行。"),
        Side(11, 2, amended(long_old, 0.2)),
    ]
    assert align(old, new) == {10: 1, 11: 2}


def test_a_long_text_rewritten_throughout_is_marked_without_losing_text():
    old, new = long_text(20_000, seed=4), long_text(20_000, seed=5)
    old_segments, new_segments = diff_segments(old, new)
    assert "".join(s.text for s in old_segments) == old
    assert "".join(s.text for s in new_segments) == new


FIRST = "电梯使用单位应当建立电梯安全管理制度，配备电梯安全管理人员，落实安全责任。"
SECOND = "电梯使用单位应当与维护保养单位签订维护保养合同，约定维护保养的内容和期限。"
THIRD = "维护保养单位应当每十五日对电梯进行一次清洁、润滑、调整和检查。"


def test_an_article_split_in_two_is_one_changed_and_one_added_split_from_it():
    old = [Side(1, 1, "为了加强电梯安全管理，制定本条例。"), Side(2, 2, FIRST + SECOND)]
    new = [
        Side(11, 1, "为了加强电梯安全管理，制定本条例。"),
        Side(12, 2, FIRST),
        Side(13, 3, SECOND),
    ]
    rows = compare(old, new)
    assert [(r.status, r.split_from.key if r.split_from else None) for r in rows] == [
        ("unchanged", None),
        ("changed", None),
        ("added", 2),
    ]


def test_an_article_split_in_three_still_carries_on_in_its_largest_part():
    old = [Side(1, 1, FIRST + SECOND + THIRD + "具体办法由市人民政府制定。")]
    new = [Side(11, 1, FIRST), Side(12, 2, SECOND), Side(13, 3, THIRD)]
    rows = compare(old, new)
    assert sorted((r.status, bool(r.split_from)) for r in rows) == [
        ("added", True),
        ("added", True),
        ("changed", False),
    ]


def test_two_articles_merged_are_one_changed_and_one_deleted_merged_into_it():
    old = [Side(1, 1, FIRST), Side(2, 2, SECOND), Side(3, 3, THIRD)]
    new = [Side(11, 1, FIRST + SECOND), Side(12, 2, THIRD)]
    rows = compare(old, new)
    assert sorted(
        (r.status, r.merged_into.key if r.merged_into else None) for r in rows
    ) == [("changed", None), ("deleted", 11), ("renumbered", None)]


def test_an_unrelated_new_article_is_not_taken_for_a_split():
    old = [Side(1, 1, FIRST), Side(2, 2, SECOND)]
    new = [Side(11, 1, FIRST), Side(12, 2, SECOND), Side(13, 3, THIRD)]
    assert [r.split_from for r in compare(old, new)] == [None, None, None]


@pytest.mark.django_db
def test_a_split_is_stored_with_the_new_version_and_shown(client, bill, staff):
    def add(text, on):
        bill.refresh_from_db()
        return services.add_draft_version(
            bill=bill,
            text=text,
            title="测试条例",
            kind="revised",
            on=on,
            by=staff,
            is_published=True,
        )

    old = add(
        f"第一条 为了测试，制定本条例。\n第二条 {FIRST}{SECOND}\n", dt.date(2024, 2, 1)
    )
    new = add(
        f"第一条 为了测试，制定本条例。\n第二条 {FIRST}\n第三条 {SECOND}\n",
        dt.date(2024, 3, 1),
    )

    third = new.articles.get(number=3)
    assert third.split_from == old.articles.get(number=2)
    assert third.lineage_id != third.split_from.lineage_id
    rows = compare_versions(old=old, new=new)
    assert rows[-1].split_from.label == "第二条"

    page = client.get(reverse("public:bill-compare", kwargs={"slug": bill.slug}))
    assert "由第二条拆分" in page.content.decode()
    api = client.get(f"/api/v1/bills/{bill.slug}/compare/")
    assert api.json()["rows"][-1]["split_from"]["label"] == "第二条"
