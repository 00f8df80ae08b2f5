"""Chinese text search over comments: words and two-character words, any backend."""

import pytest

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
    assert "to_tsvector('simple'" in str(qs.query)
