"""The consultation demo: the city's 2024 numbers, the rules kept, run twice."""

import datetime as dt
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count

from consultation import selectors
from consultation.demo import seed
from consultation.models import (
    AdoptionLink,
    Channel,
    Comment,
    Consultation,
    Contributor,
    Decision,
    DecisionRecord,
    Feedback,
    LiaisonPoint,
)
from legislation.demo.seed import seed_legislation
from legislation.models import Bill, Stage

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """
    The whole demo, seeded once for this module inside a transaction that is
    rolled back at its end; each test runs in a savepoint within it.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        seed_legislation()
        seed.seed_consultation()
        yield
        transaction.set_rollback(True)


def test_the_demo_has_32_points_over_the_12_districts(demo):
    assert LiaisonPoint.objects.count() == 32
    assert LiaisonPoint.objects.values("district").distinct().count() == 12
    kinds = set(LiaisonPoint.objects.values_list("host_kind", flat=True))
    assert {"community", "street", "township", "enterprise", "park", "school"} <= kinds
    assert {"law_firm", "deputies_station"} <= kinds


def test_the_demo_clerks_work_for_huaihai_and_another_point(demo):
    huaihai = LiaisonPoint.objects.get(name=seed.HUAIHAI)
    assert list(huaihai.clerks.values_list("username", flat=True)) == ["clerk"]
    other = LiaisonPoint.objects.get(clerks__username="clerk2")
    assert other != huaihai
    for username in ("clerk", "clerk2"):
        user = other.clerks.model.objects.get(username=username)
        assert user.check_password("demo")
        assert user.groups.filter(name="liaison_clerk").exists()


def test_the_huaihai_symposium_of_september_2024_on_the_elevator_draft(demo):
    symposium = Consultation.objects.get(
        point__name=seed.HUAIHAI, channel=Channel.SYMPOSIUM
    )
    assert symposium.title == (
        "《长治市电梯安全管理条例（草案修改稿）》立法意见征询座谈会"
    )
    assert (symposium.held_on.year, symposium.held_on.month) == (2024, 9)
    assert symposium.bill.title == "长治市电梯安全管理条例"
    # The 修改稿 of August was current (and already read) in September.
    assert symposium.version.date <= symposium.held_on
    assert symposium.version.kind == "revised"
    texts = set(symposium.comments.values_list("text", flat=True))
    assert set(seed.HUAIHAI_QUOTES) <= texts
    assert (
        symposium.comments.filter(
            text__in=seed.HUAIHAI_QUOTES, status=Decision.ADOPTED
        ).count()
        == 2
    )


def test_the_demo_has_11_symposia_online_periods_and_hearings(demo):
    year = Consultation.objects.filter(
        held_on__year=2024
    ) | Consultation.objects.filter(opens_on__year=2024)
    assert year.filter(channel=Channel.SYMPOSIUM).count() == 11
    for bill_title in seed.BILLS.values():
        [online] = Consultation.objects.filter(
            bill__title=bill_title, channel=Channel.ONLINE
        )
        assert (online.closes_on - online.opens_on).days + 1 >= 30
    assert Consultation.objects.filter(channel=Channel.EXPERT_HEARING).count() >= 1
    at_points = Consultation.objects.filter(point__isnull=False)
    assert at_points.values("point").distinct().count() == 32


def test_the_demo_comments_spread_realistically(demo):
    comments = Comment.objects.all()
    total = comments.count()
    assert total == seed.DEMO_COMMENTS >= 2150
    statuses = Counter(comments.values_list("status", flat=True))
    assert statuses[Decision.ADOPTED] < total / 10
    assert statuses[Decision.PARTIALLY_ADOPTED] > 0
    assert statuses[Decision.NOT_ADOPTED] > total / 5
    assert statuses[Decision.DUPLICATE] > 0
    assert statuses[Decision.PENDING] < total / 10
    with_article = comments.filter(article__isnull=False).count()
    assert 0.6 < with_article / total < 0.8
    channels = Counter(comments.values_list("consultation__channel", flat=True))
    assert len(channels) == 6
    kinds = Counter(Contributor.objects.values_list("kind", flat=True))
    assert len(kinds) >= 7
    assert kinds["resident"] == max(kinds.values())
    assert comments.values("bill").distinct().count() == 3
    assert comments.filter(submitted_on__year=2024).count() == total
    assert DecisionRecord.objects.count() > comments.decided().count()  # revisions
    assert Feedback.objects.count() > 50
    assert (
        Feedback.comments.through.objects.values("comment").distinct().count()
        > total / 2
    )


def test_every_demo_comment_keeps_the_rules_of_the_services(demo):
    assert seed.check_invariants() == []


def test_every_adopted_comment_points_at_a_change_in_a_later_version(demo):
    assert seed.check_adoptions() == []
    assert (
        AdoptionLink.objects.count()
        >= Comment.objects.filter(
            status__in=[Decision.ADOPTED, Decision.PARTIALLY_ADOPTED]
        ).count()
        > 0
    )


def test_the_huaihai_comments_point_at_the_articles_that_took_them_up(demo):
    links = {
        link.comment.text: link.article
        for link in AdoptionLink.objects.select_related(
            "comment", "article__version"
        ).filter(comment__text__in=seed.HUAIHAI_QUOTES)
    }
    children, funds = (links[quote] for quote in seed.HUAIHAI_QUOTES)
    assert children.version.kind == funds.version.kind == "for_vote"
    assert children.version.date > dt.date(2024, 9, 12)
    assert "儿童应当在监护人" in children.text
    assert "明确所需资金来源" in funds.text
    assert Contributor.objects.count() == Comment.objects.count()
    # Each decided comment's last history row is its current decision.
    last = {}
    for record in DecisionRecord.objects.order_by("decided_at", "pk"):
        last[record.comment_id] = record
    for comment in Comment.objects.decided():
        record = last[comment.pk]
        assert (record.status, record.reason, record.duplicate_of_id) == (
            comment.status,
            comment.reason,
            comment.duplicate_of_id,
        )
    counts = dict(DecisionRecord.objects.values_list("comment").annotate(n=Count("pk")))
    for pk, revision in Comment.objects.values_list("pk", "revision"):
        assert revision == 1 + counts.get(pk, 0)
    # Every consultation's own dates hold its comments.
    for c in Comment.objects.select_related("consultation"):
        first = c.consultation.held_on or c.consultation.opens_on
        final = c.consultation.held_on or c.consultation.closes_on
        assert first <= c.submitted_on <= final
        if c.decided_at:
            assert c.decided_at.date() >= c.submitted_on


def test_contributors_have_made_up_names_and_mobiles(demo):
    people = Contributor.objects.exclude(name="")
    assert people.count() > 1500
    mobiles = Contributor.objects.exclude(contact="").values_list("contact", flat=True)
    assert all(len(m) == 11 and m.startswith("1") for m in mobiles)


def test_seeding_twice_leaves_the_same_rows(demo):
    def snapshot():
        return (
            LiaisonPoint.objects.count(),
            Consultation.objects.count(),
            sorted(Comment.objects.values_list("receipt_code", "status")),
            Contributor.objects.count(),
            DecisionRecord.objects.count(),
            Feedback.objects.count(),
            Feedback.comments.through.objects.count(),
            LiaisonPoint.objects.get(name=seed.HUAIHAI).clerks.count(),
        )

    before = snapshot()
    seed.seed_consultation()
    assert snapshot() == before


def test_the_statistics_reproduce_the_demo_numbers(demo, django_assert_num_queries):
    with django_assert_num_queries(5):
        numbers = selectors.headline_numbers(2024)
    assert numbers["meetings"] == 8
    assert numbers["liaison_points"] == 32
    assert numbers["symposia"] == 11
    assert numbers["comments"] == seed.DEMO_COMMENTS
    assert numbers["consultations"] == Consultation.objects.count()
    assert numbers["regulations"] == 3  # 制定、修改地方性法规3件
    assert numbers["adoption_rate"] < 0.2
    with django_assert_num_queries(6):
        stats = selectors.comment_stats(year=2024)
    assert stats["total"] == seed.DEMO_COMMENTS
    assert sum(row["count"] for row in stats["by_status"]) == seed.DEMO_COMMENTS
    assert sum(row["count"] for row in stats["by_channel"]) == seed.DEMO_COMMENTS
    assert sum(row["count"] for row in stats["by_kind"]) == seed.DEMO_COMMENTS
    assert sum(row["count"] for row in stats["by_article"]) == seed.DEMO_COMMENTS
    adopted = stats["adopted"] + stats["partially_adopted"]
    assert stats["adoption_rate"] == round(adopted / stats["decided"], 4)
    with django_assert_num_queries(3):
        per_point = selectors.point_stats(year=2024)
    assert len(per_point) == 32
    assert all(p.consultations >= 1 and p.comments >= 1 for p in per_point)
    huaihai = next(p for p in per_point if p.point.name == seed.HUAIHAI)
    assert huaihai.participants >= 26


def test_no_public_read_of_the_demo_shows_personal_data(demo):
    """The public export, receipts and statistics of the full demo: no names, no phones."""
    import json

    from consultation import exports

    from .privacy import assert_no_personal_data, personal_data

    names, contacts = personal_data()
    assert len(names) > 1000 and len(contacts) > 1500  # the check has teeth
    for bill in {c.bill for c in Consultation.objects.select_related("bill")}:
        comments = selectors.public_comments(bill=bill)
        for fmt in ("csv", "xlsx"):
            data = exports.export_comments(comments, fmt=fmt)
            if fmt == "csv":
                assert_no_personal_data(data.decode("utf-8-sig"))
            else:
                import io

                from openpyxl import load_workbook

                sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
                cells = (
                    str(v) for row in sheet.iter_rows(values_only=True) for v in row
                )
                assert_no_personal_data("\n".join(cells))
    receipts = [
        repr(selectors.receipt_lookup(code))
        for code in Comment.objects.values_list("receipt_code", flat=True)[:300]
    ]
    assert_no_personal_data("\n".join(receipts))
    stats = selectors.comment_stats(year=2024)
    assert_no_personal_data(json.dumps(stats, ensure_ascii=False, default=str))
    # The staff export, by contrast, does carry them: the check would see a leak.
    staff = get_user_model().objects.get(username="staff")
    staff_export = exports.export_comments(
        Comment.objects.all()[:50], fmt="csv", reader=staff
    ).decode("utf-8-sig")
    with pytest.raises(AssertionError):
        assert_no_personal_data(staff_export)


def test_no_comment_of_an_in_force_regulation_reads_as_still_being_studied(demo):
    """Each is decided, or its bill's vote says why it was not (DESIGN §1)."""
    in_force = Bill.objects.filter(stage=Stage.IN_FORCE)
    # Three voted here, and the two earlier regulations the demo's revisions
    # change, recorded without their procedure or comments.
    assert in_force.count() == 5
    for bill in in_force:
        pending = Comment.objects.filter(bill=bill, status=Decision.PENDING)
        vote = bill.votes.first()
        if vote is None:
            assert not Comment.objects.filter(bill=bill).exists()
            continue
        assert vote.undecided_comments == pending.count()
        assert (vote.undecided_reason != "") == pending.exists()
        for comment in selectors.public_comments(bill=bill).filter(
            status=Decision.PENDING
        ):
            note = selectors.undecided_note(
                comment.status, comment.vote_undecided_reason
            )
            assert note.startswith("表决前未逐条研究：")
    # The elevator regulation's undecided comments, as the seed has always made.
    elevator = in_force.get(slug="elevator-safety")
    assert elevator.votes.get().undecided_comments == 21
