"""
A public submission keeps what it reads before writing (the bill's id, the
online periods with what the closing rule reads, the article's id) in the
cache, under versions that every change of them moves on: the very next
submission after a consultation is closed early, unpublished or reopened, after
its end date has passed, or after its bill is unpublished, answers as the rule
says. With the cache not answering, the database is read.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from consultation import services
from consultation.models import Comment
from legislation import services as legislation_services
from npc.core import cache as resilient

API = "/api/v1/bills/test-regulation/public-comments/"
TEXT = "建议在老旧小区周边增设夜间共享停车泊位，并明确收费标准和管理责任。"
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _kept(settings):
    settings.NPC_COUNTS_CACHE_SECONDS = 60
    # Closing early is checked against the shortest period allowed.
    settings.NPC_MIN_COMMENT_PERIOD_DAYS = 1
    # More submissions from one address than the form takes without a captcha.
    settings.NPC_PUBLIC_COMMENT_SOFT_LIMIT = 10


def _on_this_database(statements: int) -> int:
    """A count of statements on PostgreSQL, here: SQLite writes the tally apart."""
    return statements if connection.vendor == "postgresql" else statements + 1


def _submit(client, **data):
    return client.post(API, {"text": TEXT, **data}, content_type="application/json")


def _kept_submission(client, django_assert_num_queries):
    """Submit twice: the second reads nothing before it writes."""
    assert _submit(client, article=3).status_code == 201
    # The comment, the contributor, their two history rows, the count with
    # its tally, and the savepoint's two statements.
    with django_assert_num_queries(_on_this_database(7)):
        assert _submit(client, article=3).status_code == 201


def test_a_period_closed_early_is_seen_by_the_next_submission(
    client, site, staff, django_assert_num_queries
):
    _kept_submission(client, django_assert_num_queries)
    services.update_consultation(
        consultation=site["online"],
        by=staff,
        expected_revision=None,
        closes_on=TODAY - dt.timedelta(days=1),
    )
    response = _submit(client, article=3)
    assert response.status_code == 409
    assert response.json()["code"] == "commenting_closed"
    assert Comment.objects.filter(from_public=True).count() == 2


def test_an_unpublished_period_is_seen_by_the_next_submission(
    client, site, staff, django_assert_num_queries
):
    _kept_submission(client, django_assert_num_queries)
    services.update_consultation(
        consultation=site["online"],
        by=staff,
        expected_revision=None,
        is_published=False,
    )
    assert _submit(client, article=3).status_code == 409


def test_a_reopened_period_takes_the_next_submission(client, site, staff):
    services.update_consultation(
        consultation=site["online"],
        by=staff,
        expected_revision=None,
        closes_on=TODAY - dt.timedelta(days=1),
    )
    assert _submit(client, article=3).status_code == 409
    assert _submit(client, article=3).status_code == 409
    services.reopen_consultation(
        consultation=site["online"],
        by=staff,
        reason="部分群众反映未及时看到公告。",
        until=TODAY + dt.timedelta(days=3),
    )
    response = _submit(client, article=3)
    assert response.status_code == 201
    comment = Comment.objects.get(from_public=True)
    assert comment.consultation_id == site["online"].pk
    assert comment.article.number == 3


def test_a_period_past_its_end_date_refuses_the_next_submission(
    client, site, monkeypatch, django_assert_num_queries
):
    _kept_submission(client, django_assert_num_queries)
    last_day = site["online"].closes_on
    monkeypatch.setattr(timezone, "localdate", lambda *args: last_day)
    assert _submit(client).status_code == 201
    monkeypatch.setattr(
        timezone, "localdate", lambda *args: last_day + dt.timedelta(days=1)
    )
    response = _submit(client)
    assert response.status_code == 409
    assert last_day.isoformat() in response.json()["detail"]


def test_an_unpublished_bill_is_not_found_by_the_next_submission(
    client, site, staff, django_assert_num_queries
):
    _kept_submission(client, django_assert_num_queries)
    legislation_services.update_bill(
        bill=site["bill"], by=staff, expected_version=None, is_published=False
    )
    assert _submit(client, article=3).status_code == 404


def test_an_article_not_in_the_periods_draft_is_refused_when_kept_too(
    client, site, django_assert_num_queries
):
    _kept_submission(client, django_assert_num_queries)
    for _ in range(2):
        response = _submit(client, article=99)
        assert response.status_code == 400
    assert Comment.objects.filter(from_public=True).count() == 2


def test_with_the_cache_not_answering_the_database_is_read(
    client, site, staff, monkeypatch, django_assert_num_queries
):
    # The outage is remembered for the process: this test's own.
    monkeypatch.setattr(resilient, "_outage", resilient._Outage())
    # Nothing listens on this port: every call fails at once, as a miss.
    caches = {
        "default": {
            "BACKEND": "npc.core.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    with override_settings(CACHES=caches):
        for _ in range(2):
            # The bill and the period are read each time.
            with django_assert_num_queries(_on_this_database(9)):
                assert _submit(client, article=3).status_code == 201
        services.update_consultation(
            consultation=site["online"],
            by=staff,
            expected_revision=None,
            closes_on=TODAY - dt.timedelta(days=1),
        )
        assert _submit(client, article=3).status_code == 409
