"""The reads behind the public pages: open periods, a point's consultations,
comments per bill and a bill's outcome counts, each in a fixed number of queries."""

import datetime as dt

import pytest
from django.core.cache import cache

from consultation import selectors, services
from consultation.models import Comment, Consultation, Decision, Reason
from tests.public.conftest import add_comments, build_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(bill, draft, staff, point_a):
    return build_site(bill=bill, draft=draft, staff=staff, point_a=point_a)


def test_open_comment_periods_are_those_around_today(site):
    online = site["online"]
    assert list(selectors.open_comment_periods()) == [online]
    assert list(selectors.open_comment_periods(bill=site["bill"])) == [online]
    after = online.closes_on + dt.timedelta(days=1)
    assert list(selectors.open_comment_periods(today=after)) == []
    assert list(selectors.open_comment_periods(today=online.opens_on)) == [online]


def test_open_comment_periods_leave_out_unpublished_ones(site):
    Consultation.objects.filter(pk=site["online"].pk).update(is_published=False)
    assert list(selectors.open_comment_periods()) == []


def test_a_points_consultations_carry_their_counts_in_one_query(
    site, django_assert_num_queries
):
    with django_assert_num_queries(1):
        held = list(selectors.point_consultations(site["point"]))
    assert [c.pk for c in held] == [site["meeting_at_a"].pk]
    comments = Comment.objects.filter(consultation=site["meeting_at_a"])
    assert held[0].comment_count == comments.count() == 15
    assert (
        held[0].adopted_count
        == comments.filter(
            status__in=(Decision.ADOPTED, Decision.PARTIALLY_ADOPTED)
        ).count()
    )
    assert held[0].decided_count == comments.exclude(status=Decision.PENDING).count()


def test_comments_by_bill_count_per_bill_and_year(site):
    rows = selectors.comments_by_bill()
    assert rows[0]["key"] == site["bill"].slug and rows[0]["count"] == 20
    assert selectors.comments_by_bill(year=2024)[0]["count"] == 15
    assert selectors.comments_by_bill(year=1999) == []


def test_comment_outcomes_match_the_full_statistics_in_three_queries(
    site, django_assert_num_queries
):
    # The statuses from the counts' tally, the articles from the counts, and
    # the public's online submissions by moderation state.
    with django_assert_num_queries(3):
        light = selectors.comment_outcomes(bill=site["bill"])
    full = selectors.comment_stats(bill=site["bill"])
    for key in ("total", "decided", "adopted", "partially_adopted", "adoption_rate"):
        assert light[key] == full[key]
    assert light["by_status"] == full["by_status"]
    on_articles = [r for r in full["by_article"] if r["key"] is not None]
    assert {r["key"]: r["count"] for r in light["by_article"]} == {
        r["key"]: r["count"] for r in on_articles
    }


def test_comment_outcomes_stay_at_three_queries_with_many_comments(
    site, django_assert_num_queries
):
    add_comments(site["meeting_at_a"], 500, start=100)
    with django_assert_num_queries(3):
        selectors.comment_outcomes(bill=site["bill"])


def test_comments_arriving_recount_the_statuses_and_leave_the_articles_kept(
    site, staff, settings, django_assert_num_queries
):
    settings.NPC_COUNTS_CACHE_SECONDS = 60
    cache.clear()
    bill = site["bill"]
    first = selectors.comment_outcomes(bill=bill)
    services.enter_comment(
        by=staff, consultation=site["online"], text="建议明确年检的周期。"
    )
    # The statuses and the public submissions; the articles' counts are kept
    # (comments arriving move the counts' version, not the settled one).
    with django_assert_num_queries(2):
        again = selectors.comment_outcomes(bill=bill)
    assert again["total"] == first["total"] + 1
    assert again["by_article"] == first["by_article"]
    comment = Comment.objects.filter(bill=bill, article__isnull=False).first()
    services.decide_comment(
        comment=comment,
        status=Decision.NOT_ADOPTED,
        reason=Reason.ALREADY_IN_DRAFT,
        by=staff,
    )
    with django_assert_num_queries(3):
        selectors.comment_outcomes(bill=bill)
