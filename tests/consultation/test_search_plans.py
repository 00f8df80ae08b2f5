"""
Search finds the same comments, newest first, whether its words are common
(walk the newest comments) or rare (collect the matches through the index).
"""

import pytest
from django.db import connection

from consultation import search, services
from consultation.models import Comment

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

TEXTS = [
    "建议电梯维保单位每月公开维保记录。",
    "电梯安全责任应当落实到物业服务企业。",
    "地质灾害易发区的老旧电梯应当优先更新。",
    "建议增加法律责任一章。",
    "住宅电梯加装的费用分摊办法应当细化。",
]


@pytest.fixture
def comments(consultation_a, staff):
    made = []
    for i in range(30):
        text = TEXTS[i % len(TEXTS)]
        made.append(
            services.enter_comment(by=staff, consultation=consultation_a, text=text)
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE consultation_comment")
    return made


def _found(value: str) -> list[int]:
    queryset = search.filter_comments(Comment.objects.order_by("-pk"), value)
    return list(queryset.values_list("pk", flat=True)[:10])


@pytest.mark.parametrize("value", ["电梯", "电梯 安全", "法律", "地质", "量子"])
def test_common_and_rare_words_find_the_same_comments(comments, monkeypatch, value):
    expected = [
        c.pk
        for c in sorted(comments, key=lambda c: -c.pk)
        if all(term in c.text for term in value.split())
    ][:10]
    monkeypatch.setattr(search, "COMMON_MATCHES", 10**9)  # every word rare
    assert not search._common(search.query_words(value)[0])
    assert _found(value) == expected
    monkeypatch.setattr(search, "COMMON_MATCHES", 0)  # every indexed word common
    assert _found(value) == expected


def test_a_word_in_most_comments_is_common_by_the_index_statistics(
    comments, monkeypatch
):
    monkeypatch.setattr(search, "COMMON_MATCHES", 10)
    assert search._common(["电梯"])
    assert not search._common(["电梯", "量子"])
