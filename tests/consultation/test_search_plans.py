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


def _run_search(plans: list[bool], value: str = "电梯", sleep: bool = True):  # noqa: ANN201
    """A search evaluated under search.bounded: the walk sleeps past its time."""

    def run() -> list[int]:
        queryset = search.filter_comments(Comment.objects.order_by("-pk"), value)
        walks = "ANY(ARRAY" not in str(queryset.query)
        plans.append(walks)
        with connection.cursor() as cursor:
            cursor.execute("SHOW max_parallel_workers_per_gather")
            assert cursor.fetchone()[0] == "0"
            # Collected ids are read newest first, not all joined and sorted.
            cursor.execute("SHOW enable_sort")
            assert cursor.fetchone()[0] == ("on" if walks else "off")
            if walks or sleep:
                cursor.execute("SELECT pg_sleep(1)")
        return list(queryset.values_list("pk", flat=True)[:10])

    return run


def test_a_walk_that_takes_too_long_gives_way_to_the_index(comments, monkeypatch):
    monkeypatch.setattr(search, "COMMON_MATCHES", 0)  # every indexed word common
    monkeypatch.setattr(search, "WALK_TIMEOUT_MS", 100)
    plans: list[bool] = []
    found = search.bounded(_run_search(plans, sleep=False))
    assert plans == [True, False]  # walked, then collected through the index
    newest = sorted(comments, key=lambda c: -c.pk)
    assert found == [c.pk for c in newest if "电梯" in c.text][:10]


def test_a_search_too_long_even_through_the_index_is_refused(comments, monkeypatch):
    monkeypatch.setattr(search, "COMMON_MATCHES", 0)
    monkeypatch.setattr(search, "WALK_TIMEOUT_MS", 100)
    monkeypatch.setattr(search, "SEARCH_TIMEOUT_MS", 300)
    plans: list[bool] = []
    with pytest.raises(search.SearchTooLong):
        search.bounded(_run_search(plans))
    assert plans == [True, False]
    # The connection is usable afterwards, without the search's limits.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def test_a_rare_word_search_too_long_is_refused_without_a_second_try(
    comments, monkeypatch
):
    monkeypatch.setattr(search, "COMMON_MATCHES", 10**9)  # every word rare
    monkeypatch.setattr(search, "SEARCH_TIMEOUT_MS", 200)
    plans: list[bool] = []
    with pytest.raises(search.SearchTooLong):
        search.bounded(_run_search(plans))
    assert plans == [False]


def test_a_word_too_common_to_collect_walks_on_for_the_whole_search_time(
    comments, monkeypatch
):
    monkeypatch.setattr(search, "COMMON_MATCHES", 0)  # every indexed word common
    monkeypatch.setattr(search, "COLLECT_MATCHES", 0)  # and too common to collect
    monkeypatch.setattr(search, "WALK_TIMEOUT_MS", 100)
    plans: list[bool] = []
    found = search.bounded(_run_search(plans, sleep=False))  # walks for 1 s
    assert plans == [True]
    newest = sorted(comments, key=lambda c: -c.pk)
    assert found == [c.pk for c in newest if "电梯" in c.text][:10]
