"""The consultation services: who may do each act, and what each act writes."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from consultation import services
from consultation.errors import (
    ConcurrentUpdate,
    ConsultationFrozen,
    InvalidComment,
    InvalidConsultation,
    InvalidDecision,
    InvalidFeedback,
    NotPermitted,
)
from consultation.models import (
    Channel,
    Comment,
    Consultation,
    Contributor,
    Decision,
    DecisionRecord,
    Feedback,
)
from legislation.models import BillEvent, EventKind
from tests.factories import BillFactory

pytestmark = pytest.mark.django_db


def actor(request, name):
    """Resolve a role name to a user fixture (anonymous has none)."""
    if name == "anonymous":
        return AnonymousUser()
    return request.getfixturevalue(name)


def comment_on(consultation, by, text="建议明确老旧电梯更新改造资金的来源。", **kw):
    return services.enter_comment(by=by, consultation=consultation, text=text, **kw)


# --- consultations -------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "where", "allowed"),
    [
        ("staff", "point_a", True),
        ("staff", None, True),
        ("administrator", "point_b", True),
        ("clerk_a", "point_a", True),
        ("clerk_a", "point_b", False),
        ("clerk_a", None, False),
        ("clerk_b", "point_a", False),
        ("anonymous", "point_a", False),
    ],
)
def test_who_may_record_a_consultation_where(request, draft, who, where, allowed):
    by = actor(request, who)
    point = request.getfixturevalue(where) if where else None
    kwargs = {
        "by": by,
        "bill": draft.bill,
        "version": draft,
        "channel": Channel.LIAISON_POINT if point else Channel.SYMPOSIUM,
        "point": point,
        "title": "立法意见征询座谈会",
        "held_on": dt.date(2024, 9, 10),
    }
    if allowed:
        consultation = services.record_consultation(**kwargs)
        assert Consultation.objects.filter(pk=consultation.pk).exists()
    else:
        with pytest.raises(NotPermitted):
            services.record_consultation(**kwargs)
        assert not Consultation.objects.exists()


def test_recording_a_consultation_appends_it_to_the_bill_timeline(
    consultation_a, draft
):
    event = BillEvent.objects.get(bill=draft.bill, kind=EventKind.CONSULTATION_OPENED)
    assert event.on == dt.date(2024, 9, 10)
    assert event.version == draft
    assert event.note == consultation_a.title


def test_a_consultation_on_a_version_of_another_bill_is_refused(staff, draft):
    other = BillFactory()
    with pytest.raises(InvalidConsultation):
        services.record_consultation(
            by=staff,
            bill=other,
            version=draft,
            channel=Channel.SYMPOSIUM,
            title="座谈会",
            held_on=dt.date(2024, 9, 10),
        )


@pytest.mark.parametrize(
    ("channel", "dates", "point"),
    [
        (Channel.LIAISON_POINT, {"held_on": dt.date(2024, 9, 1)}, False),
        (Channel.SYMPOSIUM, {}, False),
        (Channel.ONLINE, {"opens_on": dt.date(2024, 9, 1)}, False),
        (
            Channel.ONLINE,
            {"opens_on": dt.date(2024, 9, 10), "closes_on": dt.date(2024, 9, 1)},
            False,
        ),
        # 29 days, first and last included.
        (
            Channel.ONLINE,
            {"opens_on": dt.date(2024, 9, 1), "closes_on": dt.date(2024, 9, 29)},
            False,
        ),
        ("carrier_pigeon", {"held_on": dt.date(2024, 9, 1)}, True),
    ],
)
def test_an_ill_formed_consultation_is_refused(
    staff, draft, point_a, channel, dates, point
):
    with pytest.raises(InvalidConsultation):
        services.record_consultation(
            by=staff,
            bill=draft.bill,
            version=draft,
            channel=channel,
            point=point_a if point else None,
            title="征求意见",
            **dates,
        )
    assert not Consultation.objects.exists()


def test_an_online_period_of_thirty_days_is_accepted(staff, draft):
    consultation = services.record_consultation(
        by=staff,
        bill=draft.bill,
        version=draft,
        channel=Channel.ONLINE,
        title="网上公开征求意见",
        opens_on=dt.date(2024, 9, 1),
        closes_on=dt.date(2024, 9, 30),
    )
    assert consultation.is_period


def test_updating_a_consultation_bumps_its_revision(consultation_a, clerk_a):
    updated = services.update_consultation(
        consultation=consultation_a,
        by=clerk_a,
        expected_revision=1,
        participants=20,
        place=" 社区活动室 ",
    )
    assert (updated.revision, updated.participants, updated.place) == (
        2,
        20,
        "社区活动室",
    )


def test_a_stale_consultation_update_is_refused(consultation_a, staff):
    services.update_consultation(
        consultation=consultation_a, by=staff, expected_revision=1, participants=3
    )
    with pytest.raises(ConcurrentUpdate):
        services.update_consultation(
            consultation=consultation_a, by=staff, expected_revision=1, participants=4
        )
    consultation_a.refresh_from_db()
    assert consultation_a.participants == 3


def test_a_clerk_cannot_change_another_points_consultation(consultation_b, clerk_a):
    with pytest.raises(NotPermitted):
        services.update_consultation(
            consultation=consultation_b, by=clerk_a, expected_revision=None, place="x"
        )


def test_a_clerk_cannot_move_a_consultation_to_another_point(
    consultation_a, clerk_a, point_b
):
    with pytest.raises(NotPermitted):
        services.update_consultation(
            consultation=consultation_a,
            by=clerk_a,
            expected_revision=None,
            point=point_b,
        )


def test_bill_version_channel_and_point_freeze_once_comments_arrive(
    consultation_a, staff, point_b
):
    services.update_consultation(
        consultation=consultation_a, by=staff, expected_revision=None, point=point_b
    )
    comment_on(consultation_a, staff)
    with pytest.raises(ConsultationFrozen):
        services.update_consultation(
            consultation=consultation_a,
            by=staff,
            expected_revision=None,
            channel=Channel.SYMPOSIUM,
        )
    # Details stay editable.
    services.update_consultation(
        consultation=consultation_a, by=staff, expected_revision=None, summary="纪要"
    )


# --- comments ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("staff", True),
        ("administrator", True),
        ("clerk_a", True),
        ("clerk_b", False),
        ("anonymous", False),
    ],
)
def test_who_may_enter_a_comment_at_point_a(request, consultation_a, who, allowed):
    by = actor(request, who)
    if allowed:
        comment_on(consultation_a, by)
        assert Comment.objects.count() == 1
    else:
        with pytest.raises(NotPermitted):
            comment_on(consultation_a, by)
        assert not Comment.objects.exists()


def test_an_entered_comment_keeps_its_text_and_who_made_it_apart(
    consultation_a, clerk_a, draft
):
    article = draft.articles.get(number=3)
    comment = comment_on(
        consultation_a,
        clerk_a,
        text="  儿童应在看护下乘用电梯。 \n",
        article=article,
        contributor_name="王芳",
        contributor_contact="13912345678",
        contributor_kind="deputy",
    )
    comment.refresh_from_db()
    assert comment.text == "儿童应在看护下乘用电梯。"
    assert comment.bill_id == draft.bill_id
    assert comment.point_id == consultation_a.point_id
    assert comment.submitted_on == dt.date(2024, 9, 10)
    assert comment.status == Decision.PENDING
    assert len(comment.receipt_code) == 12
    person = Contributor.objects.get(comment=comment)
    assert (person.name, person.contact, person.kind) == (
        "王芳",
        "13912345678",
        "deputy",
    )


@pytest.mark.parametrize(
    ("text", "kw"),
    [
        ("", {}),
        ("   \n ", {}),
        ("长" * 5001, {}),
        ("好", {"contributor_kind": "alien"}),
        ("好", {"contributor_name": "名" * 101}),
        ("好", {"submitted_on": dt.date.today() + dt.timedelta(days=1)}),
    ],
)
def test_an_ill_formed_comment_is_refused(consultation_a, staff, text, kw):
    with pytest.raises(InvalidComment):
        comment_on(consultation_a, staff, text=text, **kw)
    assert not Comment.objects.exists()


def test_a_comment_of_exactly_5000_characters_is_accepted(consultation_a, staff):
    assert len(comment_on(consultation_a, staff, text="长" * 5000).text) == 5000


def test_a_comment_on_an_article_of_another_version_is_refused(consultation_a, staff):
    from legislation.models import Article

    other_bill = BillFactory()
    from legislation import services as leg

    leg.add_draft_version(
        bill=other_bill,
        text="长治市另一条例（草案）\n第一条 为了测试，制定本条例。\n第二条 本条例自公布之日起施行。\n",
        title="长治市另一条例（草案）",
        kind="draft",
        on=dt.date(2024, 2, 1),
        by=staff,
    )
    stranger = Article.objects.filter(version__bill=other_bill).first()
    with pytest.raises(InvalidComment):
        comment_on(consultation_a, staff, article=stranger)


def test_a_receipt_code_drawn_twice_is_drawn_again(consultation_a, staff, monkeypatch):
    first = comment_on(consultation_a, staff)
    field = Comment._meta.get_field("receipt_code")
    monkeypatch.setattr(field, "_get_default", lambda: first.receipt_code)
    monkeypatch.setattr(services.comments, "new_receipt_code", lambda: "ABCDEFGHJKMN")
    second = comment_on(consultation_a, staff)
    assert second.receipt_code == "ABCDEFGHJKMN"
    assert Comment.objects.count() == 2
    assert Contributor.objects.filter(comment=second).exists()


@pytest.mark.parametrize(
    ("who", "status", "allowed"),
    [
        ("clerk_a", Decision.PENDING, True),
        ("clerk_a", Decision.ADOPTED, False),
        ("clerk_b", Decision.PENDING, False),
        ("staff", Decision.ADOPTED, True),
        ("anonymous", Decision.PENDING, False),
    ],
)
def test_who_may_edit_a_comment(request, consultation_a, staff, who, status, allowed):
    comment = comment_on(consultation_a, staff)
    if status != Decision.PENDING:
        comment = services.decide_comment(
            comment=comment, status=status, by=staff, explanation="已吸收。"
        )
    by = actor(request, who)
    if allowed:
        edited = services.edit_comment(
            comment=comment,
            by=by,
            expected_revision=comment.revision,
            text="改过的意见。",
            reason="录入错误",
            contributor_contact="13800000000",
        )
        assert edited.text == "改过的意见。"
        assert edited.revision == comment.revision + 1
        assert Contributor.objects.get(comment=comment).contact == "13800000000"
    else:
        with pytest.raises(NotPermitted):
            services.edit_comment(
                comment=comment, by=by, expected_revision=None, text="改过的意见。"
            )
        comment.refresh_from_db()
        assert comment.text != "改过的意见。"


def test_a_stale_comment_edit_is_refused(consultation_a, staff):
    comment = comment_on(consultation_a, staff)
    services.edit_comment(comment=comment, by=staff, expected_revision=1, summary="a")
    with pytest.raises(ConcurrentUpdate):
        services.edit_comment(
            comment=comment, by=staff, expected_revision=1, summary="b"
        )
    comment.refresh_from_db()
    assert comment.summary == "a"


# --- decisions -----------------------------------------------------------------


@pytest.fixture
def three(consultation_a, staff):
    return [comment_on(consultation_a, staff, text=f"意见{i}") for i in range(3)]


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("staff", True),
        ("administrator", True),
        ("clerk_a", False),
        ("clerk_b", False),
        ("anonymous", False),
    ],
)
def test_only_staff_decide(request, three, who, allowed):
    by = actor(request, who)
    if allowed:
        services.decide_comments(
            explanation="已在修改稿中吸收。",
            comments=three,
            status=Decision.ADOPTED,
            by=by,
        )
        assert Comment.objects.filter(status=Decision.ADOPTED).count() == 3
    else:
        with pytest.raises(NotPermitted):
            services.decide_comments(
                explanation="已在修改稿中吸收。",
                comments=three,
                status=Decision.ADOPTED,
                by=by,
            )
        assert not Comment.objects.decided().exists()
        assert not DecisionRecord.objects.exists()


def test_a_bulk_decision_gives_every_comment_the_reason_and_a_history_row(three, staff):
    decided = services.decide_comments(
        comments=three,
        status=Decision.NOT_ADOPTED,
        reason="higher_law_provides",
        explanation="上位法已有明确规定。",
        by=staff,
    )
    assert [c.pk for c in decided] == sorted(c.pk for c in three)
    for comment in Comment.objects.all():
        assert comment.status == Decision.NOT_ADOPTED
        assert comment.reason == "higher_law_provides"
        assert comment.explanation == "上位法已有明确规定。"
        assert comment.decided_by == staff
        assert comment.decided_at is not None
        assert comment.revision == 2
    assert DecisionRecord.objects.count() == 3


def test_a_revised_decision_keeps_the_earlier_one_in_history(three, staff):
    comment = three[0]
    services.decide_comment(
        comment=comment,
        status=Decision.NOT_ADOPTED,
        reason="not_mature",
        by=staff,
        expected_revision=1,
    )
    services.decide_comment(
        comment=comment,
        status=Decision.PARTIALLY_ADOPTED,
        reason="balanced",
        explanation="部分采纳。",
        by=staff,
        expected_revision=2,
    )
    history = list(
        DecisionRecord.objects.filter(comment=comment).values_list("status", "reason")
    )
    assert history == [
        (Decision.NOT_ADOPTED, "not_mature"),
        (Decision.PARTIALLY_ADOPTED, "balanced"),
    ]
    comment.refresh_from_db()
    assert (comment.status, comment.revision) == (Decision.PARTIALLY_ADOPTED, 3)


def test_reopening_a_decision_clears_it_and_keeps_the_history(three, staff):
    comment = services.decide_comment(
        explanation="已在修改稿中吸收。",
        comment=three[0],
        status=Decision.ADOPTED,
        by=staff,
    )
    reopened = services.decide_comment(
        comment=comment, status=Decision.PENDING, by=staff
    )
    assert reopened.decided_at is None
    assert DecisionRecord.objects.filter(comment=comment).count() == 2


@pytest.mark.parametrize(
    "decision",
    [
        {"status": Decision.NOT_ADOPTED},
        {"status": Decision.PARTIALLY_ADOPTED},
        {"status": Decision.NOT_ADOPTED, "reason": "other"},
        {"status": Decision.NOT_ADOPTED, "reason": "no_such_reason"},
        {"status": Decision.ADOPTED, "reason": "balanced"},
        {"status": "maybe"},
        {"status": Decision.DUPLICATE},
        {"status": Decision.PENDING, "explanation": "说明"},
    ],
)
def test_an_incomplete_decision_is_refused(three, staff, decision):
    with pytest.raises(InvalidDecision):
        services.decide_comments(comments=three, by=staff, **decision)
    assert not Comment.objects.decided().exists()
    assert not DecisionRecord.objects.exists()


def test_an_empty_selection_is_refused(staff, db):
    with pytest.raises(InvalidDecision):
        services.decide_comments(
            explanation="已在修改稿中吸收。",
            comments=[],
            status=Decision.ADOPTED,
            by=staff,
        )


def test_reason_other_with_an_explanation_is_accepted(three, staff):
    services.decide_comments(
        comments=three[:1],
        status=Decision.NOT_ADOPTED,
        reason="other",
        explanation="已通过其他途径解决。",
        by=staff,
    )

    fields = ("status", "reason", "explanation", "decided_by")
    stored = (Decision.NOT_ADOPTED, "other", "已通过其他途径解决。", staff.pk)
    comment = Comment.objects.filter(pk=three[0].pk)
    assert comment.values_list(*fields).get() == stored
    assert list(DecisionRecord.objects.values_list("comment", *fields)) == [
        (three[0].pk, *stored)
    ]
    assert Comment.objects.decided().count() == 1


def test_a_duplicate_points_at_the_kept_comment(three, staff):
    kept, *dupes = three
    services.decide_comments(
        comments=dupes, status=Decision.DUPLICATE, duplicate_of=kept, by=staff
    )
    assert set(kept.duplicates.values_list("pk", flat=True)) == {c.pk for c in dupes}


def test_a_duplicate_of_a_comment_in_the_selection_is_refused(three, staff):
    with pytest.raises(InvalidDecision):
        services.decide_comments(
            comments=three, status=Decision.DUPLICATE, duplicate_of=three[0], by=staff
        )


def test_a_duplicate_of_a_duplicate_is_refused(three, staff):
    a, b, c = three
    services.decide_comment(
        comment=b, status=Decision.DUPLICATE, duplicate_of=a, by=staff
    )
    with pytest.raises(InvalidDecision):
        services.decide_comment(
            comment=c, status=Decision.DUPLICATE, duplicate_of=b, by=staff
        )


def test_a_kept_comment_cannot_become_a_duplicate(three, staff):
    a, b, c = three
    services.decide_comment(
        comment=b, status=Decision.DUPLICATE, duplicate_of=a, by=staff
    )
    with pytest.raises(InvalidDecision):
        services.decide_comment(
            comment=a, status=Decision.DUPLICATE, duplicate_of=c, by=staff
        )


def test_a_duplicate_of_a_comment_on_another_bill_is_refused(three, staff, point_a):
    from tests.factories import CommentFactory, ConsultationFactory

    other_bill = BillFactory()
    from legislation import services as leg

    version = leg.add_draft_version(
        bill=other_bill,
        text="长治市另一条例（草案）\n第一条 为了测试，制定本条例。\n第二条 本条例自公布之日起施行。\n",
        title="长治市另一条例（草案）",
        kind="draft",
        on=dt.date(2024, 2, 1),
        by=staff,
    )
    elsewhere = CommentFactory(
        consultation=ConsultationFactory(
            bill=other_bill, version=version, point=point_a
        )
    )
    with pytest.raises(InvalidDecision):
        services.decide_comment(
            comment=three[0],
            status=Decision.DUPLICATE,
            duplicate_of=elsewhere,
            by=staff,
        )


def test_a_stale_revision_in_a_bulk_decision_writes_nothing(three, staff):
    services.decide_comment(
        explanation="已在修改稿中吸收。",
        comment=three[1],
        status=Decision.ADOPTED,
        by=staff,
    )
    with pytest.raises(ConcurrentUpdate):
        services.decide_comments(
            comments=three,
            status=Decision.FOR_REFERENCE,
            by=staff,
            expected_revisions={c.pk: 1 for c in three},
        )
    assert not Comment.objects.filter(status=Decision.FOR_REFERENCE).exists()
    assert DecisionRecord.objects.count() == 1


# --- feedback ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("staff", True),
        ("clerk_a", True),
        ("clerk_b", False),
        ("anonymous", False),
    ],
)
def test_who_may_record_feedback_on_point_a_comments(request, three, who, allowed):
    by = actor(request, who)
    kwargs = {
        "by": by,
        "comments": three,
        "channel": Feedback.Channel.SMS,
        "given_on": dt.date(2024, 11, 5),
        "text": "您的意见已被研究处理。",
    }
    if allowed:
        feedback = services.record_feedback(**kwargs)
        assert feedback.comments.count() == 3
    else:
        with pytest.raises(NotPermitted):
            services.record_feedback(**kwargs)
        assert not Feedback.objects.exists()


def test_a_clerks_feedback_names_the_comments_point(three, clerk_a, point_a):
    feedback = services.record_feedback(
        by=clerk_a,
        comments=three,
        channel=Feedback.Channel.POINT,
        given_on=dt.date(2024, 11, 5),
    )
    assert feedback.point == point_a


def test_a_clerk_cannot_give_feedback_on_a_mix_of_points(
    consultation_a, consultation_b, staff, clerk_a
):
    mine = comment_on(consultation_a, staff)
    theirs = comment_on(consultation_b, staff)
    with pytest.raises(NotPermitted):
        services.record_feedback(
            by=clerk_a,
            comments=[mine, theirs],
            channel=Feedback.Channel.PHONE,
            given_on=dt.date(2024, 11, 5),
        )


@pytest.mark.parametrize(
    ("channel", "given_on", "empty"),
    [
        ("pigeon", dt.date(2024, 11, 5), False),
        (Feedback.Channel.SMS, dt.date.today() + dt.timedelta(days=2), False),
        (Feedback.Channel.SMS, dt.date(2024, 11, 5), True),
    ],
)
def test_ill_formed_feedback_is_refused(three, staff, channel, given_on, empty):
    with pytest.raises(InvalidFeedback):
        services.record_feedback(
            by=staff,
            comments=[] if empty else three,
            channel=channel,
            given_on=given_on,
        )
    assert not Feedback.objects.exists()


# --- the rules a comment keeps however it is entered ---------------------------


@pytest.mark.parametrize(
    "text", ["\u200b", "\u200c\u200d", "\ufeff \u2060", " \u200b\n\u3000\t"]
)
def test_a_comment_of_invisible_characters_only_is_refused_as_empty(
    consultation_a, staff, text
):
    with pytest.raises(InvalidComment, match="不能为空"):
        comment_on(consultation_a, staff, text=text)
    assert not Comment.objects.exists()


def test_a_comment_with_visible_text_around_a_zero_width_space_is_kept(
    consultation_a, staff
):
    assert (
        comment_on(consultation_a, staff, text="建议\u200b增加").text
        == "建议\u200b增加"
    )


@pytest.mark.parametrize(
    "day",
    [
        dt.date(1948, 12, 31),
        dt.date(1900, 1, 1),
        dt.date.today() + dt.timedelta(days=400),
    ],
)
def test_a_comment_dated_before_1949_or_in_the_future_is_refused(
    consultation_a, staff, day
):
    with pytest.raises(InvalidComment, match="提出日期"):
        comment_on(consultation_a, staff, submitted_on=day)
    comment = comment_on(consultation_a, staff)
    with pytest.raises(InvalidComment, match="提出日期"):
        services.edit_comment(
            comment=comment, by=staff, expected_revision=None, submitted_on=day
        )


def test_feedback_dated_before_the_comments_it_answers_is_refused(
    consultation_a, staff
):
    made = dt.date(2024, 11, 5)
    comments = [
        comment_on(consultation_a, staff, submitted_on=made - dt.timedelta(days=3)),
        comment_on(consultation_a, staff, submitted_on=made),
    ]
    with pytest.raises(InvalidFeedback, match="2024-11-05"):
        services.record_feedback(
            by=staff,
            comments=comments,
            channel=Feedback.Channel.SMS,
            given_on=made - dt.timedelta(days=1),
        )
    assert not Feedback.objects.exists()
    services.record_feedback(
        by=staff, comments=comments, channel=Feedback.Channel.SMS, given_on=made
    )
