"""Reads of the consultation side: scope, shape, counts and fixed query numbers."""

import dataclasses
import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone, translation

from consultation import selectors, services
from consultation.filters import CommentFilter, ConsultationFilter
from consultation.models import Channel, Comment, Consultation, Decision

pytestmark = pytest.mark.django_db


def enter(consultation, by, n=1, **kw):
    return [
        services.enter_comment(
            by=by,
            consultation=consultation,
            text=kw.pop("text", f"意见{i}"),
            contributor_name=f"王{i}芳",
            contributor_contact=f"1391234{i:04d}",
            **kw,
        )
        for i in range(n)
    ]


@pytest.fixture
def scene(consultation_a, consultation_b, staff, draft):
    """Point A: three comments (one on article 2); point B: two."""
    a = enter(consultation_a, staff, 2) + enter(
        consultation_a, staff, article=draft.articles.get(number=2), text="针对第二条"
    )
    b = enter(consultation_b, staff, 2, contributor_kind="deputy")
    services.decide_comment(
        explanation="已在修改稿中吸收。",
        comment=a[0],
        status=Decision.ADOPTED,
        by=staff,
    )
    services.decide_comment(
        comment=a[1], status=Decision.NOT_ADOPTED, reason="not_mature", by=staff
    )
    services.decide_comment(
        comment=b[0], status=Decision.DUPLICATE, duplicate_of=a[2], by=staff
    )
    return a, b


# --- lists ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [("staff", 5), ("clerk_a", 3), ("clerk_b", 2), ("anonymous", 0)],
)
def test_comment_list_is_scoped_to_what_the_user_may_see(request, scene, who, expected):
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    assert selectors.comment_list(user).count() == expected


def _touch_list(comments):
    return [
        (
            c.consultation.version.title,
            c.point.name,
            c.bill.title,
            c.article.label if c.article_id else None,
            c.contributor.name,
        )
        for c in comments
    ]


@pytest.mark.parametrize("extra", [0, 30])
def test_comment_list_costs_one_query_whatever_its_length(
    scene, consultation_a, staff, extra, django_assert_num_queries
):
    enter(consultation_a, staff, extra)
    comments = selectors.comment_list(staff)
    with django_assert_num_queries(1):
        _touch_list(list(comments))


def test_public_comments_leave_out_unpublished_consultations_and_contributors(
    scene, consultation_b, staff, draft
):
    services.update_consultation(
        consultation=consultation_b,
        by=staff,
        expected_revision=None,
        is_published=False,
    )
    comments = selectors.public_comments(bill=draft.bill)
    assert comments.count() == 3
    assert "contributor" not in str(comments.query)


def test_public_comments_of_an_unpublished_bill_are_none(scene, draft):
    type(draft.bill).objects.filter(pk=draft.bill.pk).update(is_published=False)
    assert not selectors.public_comments(bill=draft.bill).exists()


def test_consultation_list_counts_comments(scene, clerk_a, consultation_a):
    [row] = selectors.consultation_list(clerk_a)
    assert (row, row.comment_count) == (consultation_a, 3)


def test_comment_history_lists_every_decision_in_order(scene, staff):
    a, _ = scene
    services.decide_comment(comment=a[0], status=Decision.FOR_REFERENCE, by=staff)
    history = selectors.comment_history(a[0])
    assert [r.status for r in history] == [Decision.ADOPTED, Decision.FOR_REFERENCE]


# --- triage --------------------------------------------------------------------


def test_triage_counts_by_article_point_and_status(
    scene, draft, point_a, point_b, django_assert_num_queries
):
    with django_assert_num_queries(3):
        counts = selectors.triage_counts(Comment.objects.all())
    article = draft.articles.get(number=2)
    assert counts["by_article"] == [
        {
            "article_id": article.pk,
            "number": 2,
            "label": "第二条",
            "version_id": draft.pk,
            "count": 1,
        },
        {
            "article_id": None,
            "number": None,
            "label": "未针对具体条文",
            "version_id": None,
            "count": 4,
        },
    ]
    assert counts["by_point"] == [
        {"point_id": point_a.pk, "name": point_a.name, "count": 3},
        {"point_id": point_b.pk, "name": point_b.name, "count": 2},
    ]
    by_status = {row["status"]: row["count"] for row in counts["by_status"]}
    assert by_status == {
        "pending": 1,
        "adopted": 1,
        "partially_adopted": 0,
        "not_adopted": 1,
        "for_reference": 0,
        "out_of_scope": 0,
        "duplicate": 1,
    } | {"pending": 2}
    assert [row["label"] for row in counts["by_status"]][:2] == ["待研究", "采纳"]


# --- receipts ------------------------------------------------------------------


def test_a_receipt_shows_the_outcome_and_nothing_personal(
    scene, django_assert_num_queries
):
    a, _ = scene
    comment = a[1]
    comment.refresh_from_db()
    typed = comment.receipt.lower().replace("-", " - ")
    with django_assert_num_queries(1):
        view = selectors.receipt_lookup(typed)
    assert view.code == comment.receipt
    assert view.text == comment.text
    assert view.status == Decision.NOT_ADOPTED
    assert (view.status_label, view.reason_label) == ("未采纳", "条件尚不成熟")
    assert view.decided_on == timezone.localdate(comment.decided_at)
    assert view.submitted_on == comment.submitted_on
    assert view.article_label == (comment.article.label if comment.article else "")
    assert selectors.receipt_lookup(a[2].receipt_code).article_label == "第二条"
    assert view.bill_slug == comment.bill.slug
    assert view.channel_label == "基层立法联系点"
    fields = {f.name for f in dataclasses.fields(view)}
    assert not fields & {"name", "contact", "affiliation", "contributor", "point"}
    assert "王" not in repr(view) and "1391234" not in repr(view)
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.text = "x"


@pytest.mark.parametrize("code", ["", "NOPE", "ABCD-EFGH-JKMN", "x" * 200])
def test_an_unknown_receipt_finds_nothing(scene, code):
    assert selectors.receipt_lookup(code) is None


def test_a_receipt_of_an_unpublished_bill_or_consultation_finds_nothing(
    scene, draft, staff, consultation_a
):
    a, _ = scene
    services.update_consultation(
        consultation=consultation_a,
        by=staff,
        expected_revision=None,
        is_published=False,
    )
    assert selectors.receipt_lookup(a[0].receipt_code) is None
    services.update_consultation(
        consultation=consultation_a, by=staff, expected_revision=None, is_published=True
    )
    assert selectors.receipt_lookup(a[0].receipt_code) is not None
    type(draft.bill).objects.filter(pk=draft.bill.pk).update(is_published=False)
    assert selectors.receipt_lookup(a[0].receipt_code) is None


def test_a_pending_receipt_has_no_decision_date(scene):
    _, b = scene
    view = selectors.receipt_lookup(b[1].receipt_code)
    assert (view.status_label, view.decided_on, view.reason_label) == (
        "待研究",
        None,
        "",
    )


# --- statistics ----------------------------------------------------------------


def test_comment_stats_count_and_rate_adoption(scene, draft, point_a):
    stats = selectors.comment_stats(bill=draft.bill, year=2024)
    assert (stats["total"], stats["decided"], stats["adopted"]) == (5, 3, 1)
    assert stats["adoption_rate"] == round(1 / 3, 4)
    channel = stats["by_channel"][0]
    assert (channel["key"], channel["label"], channel["count"]) == (
        Channel.LIAISON_POINT,
        "基层立法联系点",
        5,
    )
    kinds = {row["key"]: row["count"] for row in stats["by_kind"]}
    assert kinds == {"resident": 3, "deputy": 2}
    points = {row["key"]: row for row in stats["by_point"]}
    assert points[point_a.pk]["count"] == 3
    assert points[point_a.pk]["adoption_rate"] == 0.5
    assert selectors.comment_stats(year=2023)["total"] == 0
    assert selectors.comment_stats(year=2023)["adoption_rate"] is None


def test_comments_on_no_article_are_labelled_in_the_reader_s_language(scene, draft):
    with translation.override("en"):
        triage = selectors.triage_counts(Comment.objects.all())["by_article"]
        stats = selectors.comment_stats(bill=draft.bill, year=2024)["by_article"]
    for rows in (triage, stats):
        assert rows[-1]["label"] == "Not on a particular article"


@pytest.mark.parametrize("extra", [0, 25])
def test_statistics_cost_the_same_queries_whatever_the_data(
    scene, consultation_b, staff, extra, django_assert_num_queries
):
    enter(consultation_b, staff, extra)
    with django_assert_num_queries(6):
        selectors.comment_stats(year=2024)
    with django_assert_num_queries(3):
        selectors.point_stats(year=2024)
    with django_assert_num_queries(5):
        selectors.headline_numbers(2024)


def test_point_stats_count_meetings_people_and_comments(scene, point_a, point_b):
    stats = {s.point: s for s in selectors.point_stats(year=2024)}
    a = stats[point_a]
    assert (a.consultations, a.participants, a.comments) == (1, 12, 3)
    assert a.adoption_rate == 0.5
    assert stats[point_b].adoption_rate == 0.0


# --- filters -------------------------------------------------------------------


def filtered(params, queryset=None, reader=None):
    request = RequestFactory().get("/")
    request.user = reader or AnonymousUser()
    f = CommentFilter(
        params, queryset=queryset or Comment.objects.all(), request=request
    )
    assert f.is_valid(), f.errors
    return set(f.qs)


def test_comment_filters(scene, draft, point_b, staff):
    a, b = scene
    everything = set(a + b)
    assert filtered({}) == everything
    assert filtered({"bill": draft.bill.slug}) == everything
    assert filtered({"bill": "nope"}) == set()
    assert filtered({"version": draft.pk}) == everything
    assert filtered({"article": a[2].article_id}) == {a[2]}
    assert filtered({"no_article": "true"}) == everything - {a[2]}
    assert filtered({"status": ["adopted", "duplicate"]}) == {a[0], b[0]}
    assert filtered({"channel": "liaison_point"}) == everything
    assert filtered({"channel": "online"}) == set()
    assert filtered({"point": point_b.pk}) == set(b)
    assert filtered({"kind": "deputy"}, reader=staff) == set(b)
    assert filtered({"q": "第二条"}) == {a[2]}
    assert filtered({"q": "针对 第二"}) == {a[2]}
    assert filtered({"created_after": "2024-09-11"}) == set(b)
    assert filtered({"created_before": "2024-09-10"}) == set(a)
    today = dt.date.today().isoformat()
    assert filtered({"decided_after": today}) == {a[0], a[1], b[0]}
    assert filtered({"decided_before": "2024-01-01"}) == set()


def test_consultation_filters(consultation_a, consultation_b, draft, point_a, staff):
    online = services.record_consultation(
        by=staff,
        bill=draft.bill,
        version=draft,
        channel=Channel.ONLINE,
        title="网上公开征求意见",
        opens_on=dt.date(2024, 8, 1),
        closes_on=dt.date(2024, 8, 31),
    )

    def run(params):
        f = ConsultationFilter(params, queryset=Consultation.objects.all())
        assert f.is_valid(), f.errors
        return set(f.qs)

    assert run({"bill": draft.bill.slug}) == {consultation_a, consultation_b, online}
    assert run({"point": point_a.pk}) == {consultation_a}
    assert run({"channel": "online"}) == {online}
    assert run({"date_after": "2024-08-20", "date_before": "2024-08-25"}) == {online}
    assert run({"date_after": "2024-09-11"}) == {consultation_b}
    assert run({"date_before": "2024-09-10"}) == {consultation_a, online}
