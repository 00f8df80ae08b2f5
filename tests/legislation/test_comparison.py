from pathlib import Path

import pytest

from legislation.comparison import (
    Row,
    Segment,
    Side,
    align,
    compare,
    diff_segments,
    similarity,
)
from legislation.numerals import int_to_chinese
from legislation.parsing import parse_draft

TEXTS = Path(__file__).parent / "texts"


def sides(name: str, version: str) -> list[Side]:
    draft = parse_draft((TEXTS / name).read_text(encoding="utf-8"))
    return [
        Side(key=(version, a.number), number=a.number, text=a.text, label=a.label)
        for a in draft.articles
    ]


def numbered_sides(texts: list[str], version: str) -> list[Side]:
    return [
        Side(key=(version, number), number=number, text=text)
        for number, text in enumerate(texts, start=1)
    ]


def summary(rows: list[Row]) -> list[tuple[int | None, int | None, str, bool]]:
    return [
        (
            row.old.number if row.old else None,
            row.new.number if row.new else None,
            row.status,
            row.renumbered,
        )
        for row in rows
    ]


def regulation_texts(count: int) -> list[str]:
    """Write ``count`` distinct articles, shaped like those of a regulation."""
    subjects = ["市人民政府", "区人民政府", "市场监督管理部门", "使用单位", "维保单位"]
    duties = [
        "建立健全安全管理制度",
        "组织开展监督检查",
        "制定应急救援预案",
        "公开相关信息，接受社会监督",
        "配备专职管理人员",
        "开展宣传教育和培训",
        "处理投诉举报",
    ]
    texts = []
    for number in range(1, count + 1):
        subject = subjects[number % len(subjects)]
        duty = duties[number % len(duties)]
        extra = duties[(number * 3) % len(duties)]
        texts.append(
            f"{subject}应当在第{int_to_chinese(number)}类事项中{duty}，"
            f"并按照本条例规定{extra}。\n具体办法由{subjects[number % 3]}制定。"
        )
    return texts


@pytest.fixture
def revision() -> list[Row]:
    return compare(sides("parking_draft.md", "old"), sides("parking_revised.md", "new"))


# --- A full revision ------------------------------------------------------------


def test_full_revision_rows_follow_the_new_version_with_each_status(revision):
    assert summary(revision) == [
        (1, 1, "changed", False),
        (None, 2, "added", False),
        (None, 3, "added", False),
        (2, 4, "renumbered", True),
        (3, 5, "renumbered", True),
        (4, 6, "renumbered", True),
        (5, 7, "changed", True),
        (6, 8, "renumbered", True),
        (8, None, "deleted", False),
        (9, 9, "unchanged", False),
        (10, 10, "changed", False),
        (11, 11, "unchanged", False),
        (7, 12, "changed", True),
        (12, 13, "renumbered", True),
        (13, 14, "changed", True),
        (14, 15, "changed", True),
        (15, 16, "renumbered", True),
        (16, 17, "changed", True),
    ]


def test_article_moved_to_another_chapter_is_marked_moved(revision):
    moved = [(row.old.number, row.new.number) for row in revision if row.moved]

    assert moved == [(7, 12)]


def test_deleted_article_follows_the_article_before_it_that_kept_its_place(revision):
    numbers = [
        (row.old and row.old.number, row.new and row.new.number) for row in revision
    ]

    # Old 第七条 moved to the end of chapter three; its neighbour 第八条 was
    # deleted and stays at the end of chapter two, after old 第六条.
    assert numbers.index((8, None)) == numbers.index((6, 8)) + 1


def test_changed_rows_mark_the_changed_words_on_each_side(revision):
    row = next(r for r in revision if r.new and r.new.number == 15)

    assert [s.text for s in row.old_segments if s.op == "delete"] == [
        "五百元",
        "二千元",
    ]
    assert [s.text for s in row.new_segments if s.op == "insert"] == [
        "一千元",
        "五千元",
    ]
    assert 0.8 < row.similarity < 1


def test_unchanged_and_renumbered_rows_have_one_equal_segment(revision):
    for row in revision:
        if row.status in {"unchanged", "renumbered"}:
            assert row.similarity == 1.0
            assert row.old_segments == [Segment("equal", row.old.text)]
            assert row.new_segments == [Segment("equal", row.new.text)]


def test_added_and_deleted_rows_show_the_whole_text(revision):
    added = next(r for r in revision if r.status == "added")
    deleted = next(r for r in revision if r.status == "deleted")

    assert added.new_segments == [Segment("insert", added.new.text)]
    assert added.old_segments == []
    assert deleted.old_segments == [Segment("delete", deleted.old.text)]
    assert deleted.new_segments == []


# --- A small amendment ----------------------------------------------------------


def test_small_amendment_leaves_everything_else_unchanged():
    old_texts = regulation_texts(120)
    new_texts = list(old_texts)
    new_texts[4] = new_texts[4].replace("应当", "必须")
    new_texts[57] = new_texts[57].replace("具体办法", "实施细则")
    new_texts[118] += "\n违反本条规定的，依法予以处理。"

    rows = compare(numbered_sides(old_texts, "old"), numbered_sides(new_texts, "new"))

    changed = [row.new.number for row in rows if row.status == "changed"]
    assert changed == [5, 58, 119]
    assert sum(row.status == "unchanged" for row in rows) == 117
    assert not any(row.renumbered or row.moved for row in rows)


def test_spacing_and_comma_style_do_not_count_as_changes():
    old = [Side("a", 1, "业主应当按时交纳物业服务费,不得拖欠。")]
    new = [Side("b", 1, "业主应当按时交纳 物业服务费，不得拖欠。 ")]

    (row,) = compare(old, new)

    assert row.status == "unchanged"


# --- Alignment ----------------------------------------------------------------


def test_article_moved_from_twelve_to_fourteen_is_recognised():
    old_texts = regulation_texts(20)
    new_texts = old_texts[:5] + ["新增的第一条内容。", "新增的第二条内容。"]
    new_texts += old_texts[5:]
    old, new = numbered_sides(old_texts, "old"), numbered_sides(new_texts, "new")

    pairs = align(old, new)

    assert pairs[("new", 14)] == ("old", 12)
    assert ("new", 6) not in pairs
    assert len(pairs) == 20


def test_changed_and_renumbered_article_is_still_matched():
    old_texts = regulation_texts(30)
    new_texts = ["新增条文。"] + old_texts
    new_texts[13] = new_texts[13].replace("并按照本条例规定", "并依照有关法律规定")

    pairs = align(numbered_sides(old_texts, "old"), numbered_sides(new_texts, "new"))

    assert pairs[("new", 14)] == ("old", 13)


def test_equally_similar_candidates_are_matched_in_order():
    # Two penalty articles that differ only in the article they cite; in the
    # new version the citations were renumbered too, so each new article is
    # as similar to one old article as to the other.
    template = "违反本条例{}规定，擅自改变停车场使用性质的，处一万元罚款。"
    old = numbered_sides(
        ["总则。", template.format("第五条"), template.format("第六条")], "old"
    )
    new = numbered_sides(
        ["总则。", "新增。", template.format("第七条"), template.format("第八条")],
        "new",
    )

    pairs = align(old, new)

    assert pairs[("new", 3)] == ("old", 2)
    assert pairs[("new", 4)] == ("old", 3)


def test_repeated_identical_texts_are_matched_by_position():
    old = numbered_sides(["甲。", "（删除）", "乙。", "（删除）", "丙。"], "old")
    new = numbered_sides(["甲。", "（删除）", "乙。", "丙。", "（删除）"], "new")

    pairs = align(old, new)

    assert pairs[("new", 2)] == ("old", 2)
    assert pairs[("new", 5)] == ("old", 4)


def test_articles_below_the_threshold_are_not_matched():
    old = [Side("old", 1, "市人民政府应当加强对停车场管理工作的领导。")]
    new = [Side("new", 1, "本条例自二〇二六年一月一日起施行。")]

    assert align(old, new) == {}
    assert align(old, new, threshold=0.0) == {"new": "old"}


def test_alignment_is_one_to_one():
    old = numbered_sides(["停车场经营者应当公示收费标准。"], "old")
    new = numbered_sides(
        ["停车场经营者应当公示收费标准。", "停车场经营者应当公示收费标准和电话。"],
        "new",
    )

    assert align(old, new) == {("new", 1): ("old", 1)}


def test_full_alignment_of_a_generated_revision_past_one_hundred_articles():
    old_texts = regulation_texts(150)
    new_texts = [text.replace("本条例", "本规定") for text in old_texts]
    del new_texts[30]
    new_texts[2:2] = ["新增条文甲。", "新增条文乙。"]
    moved = new_texts.pop(10)
    new_texts.insert(120, moved)

    pairs = align(numbered_sides(old_texts, "old"), numbered_sides(new_texts, "new"))

    old_order = list(range(1, 151))
    del old_order[30]
    old_order[2:2] = [None, None]
    old_order.insert(120, old_order.pop(10))
    expected = {
        ("new", new): ("old", old)
        for new, old in enumerate(old_order, start=1)
        if old is not None
    }
    assert pairs == expected


# --- Explicit pairs and edge cases ---------------------------------------------


def test_explicit_pairs_override_the_alignment():
    old = sides("parking_draft.md", "old")
    new = sides("parking_revised.md", "new")
    # Staff say the new 第二条 (智慧停车) continues the old 第八条, and that
    # the new 第十二条 is a new article rather than the old 第七条.
    pairs = {k: v for k, v in align(old, new).items() if k != ("new", 12)}
    pairs[("new", 2)] = ("old", 8)

    rows = compare(old, new, pairs)

    by_new = {row.new.number: row for row in rows if row.new}
    assert (by_new[2].old.number, by_new[2].status) == (8, "changed")
    assert by_new[2].renumbered
    assert by_new[12].status == "added"
    assert [row.old.number for row in rows if row.status == "deleted"] == [7]


def test_explicit_pairs_naming_unknown_articles_are_ignored():
    old = numbered_sides(["甲。", "乙。"], "old")
    new = numbered_sides(["甲。", "乙。"], "new")

    rows = compare(old, new, {("new", 1): ("old", 1), ("new", 9): ("old", 2)})

    assert summary(rows) == [
        (1, 1, "unchanged", False),
        (2, None, "deleted", False),
        (None, 2, "added", False),
    ]


def test_empty_explicit_pairs_mean_nothing_matches():
    old = numbered_sides(["甲。"], "old")
    new = numbered_sides(["甲。"], "new")

    assert [row.status for row in compare(old, new, {})] == ["deleted", "added"]


@pytest.mark.parametrize(
    ("old_texts", "new_texts", "statuses"),
    [
        ([], [], []),
        (["甲。", "乙。"], [], ["deleted", "deleted"]),
        ([], ["甲。", "乙。"], ["added", "added"]),
    ],
)
def test_empty_versions(old_texts, new_texts, statuses):
    old, new = numbered_sides(old_texts, "old"), numbered_sides(new_texts, "new")

    assert align(old, new) == {}
    assert [row.status for row in compare(old, new)] == statuses


def test_deleted_first_articles_come_before_all_rows():
    old = numbered_sides(["被删除的条文。", "甲条文内容。", "乙条文内容。"], "old")
    new = numbered_sides(["甲条文内容。", "乙条文内容。"], "new")

    assert summary(compare(old, new)) == [
        (1, None, "deleted", False),
        (2, 1, "renumbered", True),
        (3, 2, "renumbered", True),
    ]


# --- similarity and diff_segments ---------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        ("甲乙丙", "甲乙丙", 1.0, 1.0),
        ("", "", 1.0, 1.0),
        ("业主,应当", "业主 ，应当", 1.0, 1.0),
        ("根据物权法制定本规定。", "根据民法典制定本规定。", 0.6, 0.9),
        ("市人民政府应当加强领导。", "本条例自公布之日起施行。", 0.0, 0.2),
        ("甲", "", 0.0, 0.0),
    ],
)
def test_similarity(a, b, low, high):
    assert low <= similarity(a, b) <= high


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("", ""),
        ("", "新增一款。"),
        ("删除一款。", ""),
        (
            "业主大会作出决定，应当经业主同意。",
            "业主大会作出决定，应当经参与表决的业主同意。",
        ),
        (
            "第一款。\n（一）第一项；\n（二）第二项。",
            "第一款。\n（一）第一项；\n（三）新项。",
        ),
        ("Text with  spaces 和中文 2020年", "Text with spaces 与中文 2021年"),
        ("根据物权法制定", "根据民法典制定"),
    ],
)
def test_segments_join_back_into_each_text(old, new):
    old_segments, new_segments = diff_segments(old, new)

    assert "".join(s.text for s in old_segments) == old
    assert "".join(s.text for s in new_segments) == new
    assert {s.op for s in old_segments} <= {"equal", "delete"}
    assert {s.op for s in new_segments} <= {"equal", "insert"}


def test_changed_words_are_marked_whole():
    old_segments, new_segments = diff_segments(
        "根据《中华人民共和国物权法》制定本规定。",
        "根据《中华人民共和国民法典》制定本规定。",
    )

    assert old_segments == [
        Segment("equal", "根据《中华人民共和国"),
        Segment("delete", "物权法"),
        Segment("equal", "》制定本规定。"),
    ]
    assert new_segments == [
        Segment("equal", "根据《中华人民共和国"),
        Segment("insert", "民法典"),
        Segment("equal", "》制定本规定。"),
    ]


def test_single_characters_between_changes_join_the_change():
    old_segments, new_segments = diff_segments(
        "应当提前三个月书面告知业主委员会。",
        "应当在合同期限届满前九十日书面通知业主委员会。",
    )

    deleted = [s.text for s in old_segments if s.op == "delete"]
    inserted = [s.text for s in new_segments if s.op == "insert"]
    assert all(len(text) > 1 for text in deleted + inserted)
    assert len(deleted) <= 2
    assert len(inserted) <= 2


def test_identical_texts_are_one_equal_segment():
    assert diff_segments("甲乙丙。", "甲乙丙。") == (
        [Segment("equal", "甲乙丙。")],
        [Segment("equal", "甲乙丙。")],
    )
