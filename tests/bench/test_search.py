"""Chinese text search over comments: words and two-character words, any backend."""

import pytest
from django.db import connection

from consultation import search, services
from consultation.filters import CommentFilter
from consultation.models import Comment

pytestmark = pytest.mark.django_db

TEXTS = [
    "建议在法律责任一章增加对违规使用电梯的处罚。",
    "电梯维护保养单位应当每半年进行一次安全评估。",
    "建议明确物业服务企业的安全管理责任。",
    "水源地保护区内禁止新建排污口。",
]


@pytest.fixture
def comments(consultation_a, staff):
    return [
        services.enter_comment(by=staff, consultation=consultation_a, text=t)
        for t in TEXTS
    ]


def found(value):
    qs = CommentFilter({"q": value}, queryset=Comment.objects.all()).qs
    return sorted(c.text for c in qs)


def expected(*terms):
    return sorted(t for t in TEXTS if all(term in t for term in terms))


def check_search(comments):
    for value in ("法律", "电梯", "电梯 安全", "安全 责任", "排污口", "法律 水源地"):
        assert found(value) == expected(*value.split()), value


def test_the_search_words_are_written_with_the_comment(comments):
    words = Comment.objects.get(pk=comments[0].pk).search_text.split()
    assert "法律" in words and "电梯" in words
    assert "，" not in words and "。" not in words


def test_segmenting_block_by_block_gives_the_words_of_the_whole_text():
    import rjieba

    text = "建议明确老旧电梯更新改造资金的分摊比例，避免业主之间因费用分担产生纠纷。"
    expected_words = [w for w in rjieba.cut_for_search(text, False) if w.strip()]
    assert search.search_words(text).split() == [
        w for w in expected_words if w not in "，。"
    ]


def test_text_search_finds_one_and_two_words(comments):
    check_search(comments)


@pytest.mark.postgres
def test_text_search_uses_the_word_index_on_postgresql(comments):
    check_search(comments)
    qs = CommentFilter({"q": "法律"}, queryset=Comment.objects.all()).qs
    # The index's own expression, so that the planner can use the index.
    assert "string_to_array(" in str(qs.query)
    assert "@> (ARRAY[" in str(qs.query)
    assert "to_tsvector" not in str(qs.query)


@pytest.mark.postgres
@pytest.mark.parametrize("value", ["法律", "电梯 安全"])
def test_the_word_index_answers_the_search_on_postgresql(comments, value):
    qs = CommentFilter({"q": value}, queryset=Comment.objects.all()).qs
    with connection.cursor() as cursor:
        # A handful of rows: without this the planner reads the table instead.
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = qs.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert search.INDEX in plan


@pytest.mark.parametrize(
    ("value", "found_texts"),
    [
        ("井", []),  # one character: a substring, found in none
        ("水", [TEXTS[3]]),  # one character jieba does not keep as a word
        ("电梯 责任", [TEXTS[0]]),  # every word, in any order
        ("责任 电梯 法律", [TEXTS[0]]),
        ("电梯安全", []),  # both words, but not as written
    ],
)
def test_words_are_anded_and_checked_as_written(comments, value, found_texts):
    assert found(value) == sorted(found_texts)
