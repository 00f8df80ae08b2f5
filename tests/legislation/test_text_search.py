"""
Articles are searched by their words, as comments are: cut by jieba when their
version is written (and by a migration for the articles written before), found
through the words index on PostgreSQL.
"""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.db import connection

from legislation import search, services
from legislation.models import Article, Bill
from tests.factories import BillFactory

pytestmark = pytest.mark.django_db

TEXT = """长治市电梯安全条例（草案）

第一条 为了加强电梯安全管理，制定本条例。
第二条【应急救援】发生电梯困人故障的，使用单位应当立即组织救援。
"""


@pytest.fixture
def elevator(staff):
    bill = BillFactory(title="长治市电梯安全条例", slug="elevator")
    services.add_draft_version(
        bill=bill,
        text=TEXT,
        title="草案",
        kind="draft",
        on=dt.date(2024, 4, 1),
        by=staff,
        is_published=True,
    )
    return bill


def _found(value: str) -> list[str]:
    return list(
        search.filter_bills(Bill.objects.all(), value).values_list("slug", flat=True)
    )


def test_an_article_is_found_by_the_words_of_its_heading_and_text(client, elevator):
    assert _found("困人") == ["elevator"]
    assert _found("应急救援") == ["elevator"]
    assert _found("困人 救援") == ["elevator"]
    assert _found("困人 停车") == []
    page = client.get("/bills/", {"q": "应急救援"}).content.decode()
    assert "【<mark>应急救援</mark>】发生电梯困人故障的" in page


def test_articles_written_before_the_words_are_given_them_by_the_migration(elevator):
    Article.objects.update(search_text="")
    migration = importlib.import_module(
        "legislation.migrations.0015_fill_article_search_words"
    )

    migration.fill(apps, None)

    words = Article.objects.get(number=2).search_text.split()
    assert {"应急", "救援", "困", "人", "故障"} <= set(words)
    assert _found("困人") == ["elevator"]


@pytest.mark.postgres
def test_on_postgresql_the_words_index_finds_the_articles(elevator):
    # Whether the planner takes the index for a handful of test rows depends on
    # the tables' statistics; what must hold is that it can: the condition the
    # search writes is the expression the index is built on. With scans that
    # need no index condition switched off, and the condition alone (joined to
    # the versions, the planner could scan the articles by version instead),
    # only the words index is left.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = Article.objects.filter(search._holds("困人")).explain()
    assert "Bitmap Index Scan on legislation_article_words_gin" in plan


@pytest.mark.postgres
def test_on_postgresql_a_term_across_two_words_is_no_word_of_the_text(elevator):
    # 梯困 is written in 电梯困人 but is none of its words (电梯, 困, 人): a word
    # search, as for comments, not a substring match.
    assert _found("梯困") == []
    assert _found("电梯 困人") == ["elevator"]
