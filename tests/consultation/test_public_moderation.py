"""
Staff publish or withhold the public's comments, alone or in bulk from the
queue; a withheld comment is still received, counted and decided.
"""

import pytest

from consultation import services
from consultation.errors import CommentsNotFound, InvalidComment, NotPermitted
from consultation.models import Comment, Decision, Moderation, WithheldReason
from tests.public.conftest import build_site


@pytest.fixture
def site(db, bill, draft, staff, point_a):
    return build_site(bill=bill, draft=draft, staff=staff, point_a=point_a)


@pytest.fixture
def pending(site):
    return [
        services.submit_public_comment(bill=site["bill"], text=f"公众意见{n}")
        for n in range(3)
    ]


def test_publishing_and_withholding_need_staff(pending, clerk_a):
    with pytest.raises(NotPermitted):
        services.moderate_comments(by=clerk_a, comments=pending, publish=True)
    assert not Comment.objects.filter(moderation=Moderation.PUBLISHED, from_public=True)


def test_withholding_needs_one_of_the_reasons(pending, staff):
    with pytest.raises(InvalidComment):
        services.moderate_comments(by=staff, comments=pending, publish=False)
    with pytest.raises(InvalidComment):
        services.moderate_comments(
            by=staff, comments=pending, publish=False, reason="dislike"
        )
    assert Comment.objects.filter(moderation=Moderation.PENDING).count() == 3


def test_only_public_submissions_are_moderated(site, staff):
    entered = Comment.objects.filter(from_public=False).first()
    with pytest.raises(CommentsNotFound):
        services.moderate_comments(
            by=staff, comments=[entered], publish=False, reason=WithheldReason.ABUSE
        )


def test_a_withheld_comment_is_still_received_and_decided(pending, staff):
    [withheld] = services.moderate_comments(
        by=staff,
        comments=pending[:1],
        publish=False,
        reason=WithheldReason.PERSONAL_DATA,
    )
    assert withheld.moderated_by == staff
    decided = services.decide_comment(
        comment=withheld, status=Decision.FOR_REFERENCE, by=staff, explanation="参考。"
    )
    assert decided.status == Decision.FOR_REFERENCE
    assert Comment.objects.get(pk=withheld.pk).moderation == Moderation.WITHHELD


def test_the_queue_lists_pending_comments_for_staff_only(
    client, pending, staff, clerk_a
):
    client.force_login(clerk_a)
    assert client.get("/staff/comments/moderation/").status_code == 403
    client.force_login(staff)
    page = client.get("/staff/comments/moderation/").content.decode()
    for comment in pending:
        assert comment.text in page
    assert "staff-moderation.js" in page


def test_the_queue_publishes_and_withholds_in_bulk(client, pending, staff):
    client.force_login(staff)
    ids = [c.pk for c in pending]
    response = client.post(
        "/staff/comments/moderation/",
        {"selection": ids[:2], "action": "publish", "reason": ""},
    )
    assert response.status_code == 302
    response = client.post(
        "/staff/comments/moderation/",
        {"selection": ids[2:], "action": "withhold", "reason": ""},
    )
    assert response.status_code == 400  # a reason is needed
    response = client.post(
        "/staff/comments/moderation/",
        {"selection": ids[2:], "action": "withhold", "reason": "off_topic"},
    )
    assert response.status_code == 302
    states = dict(Comment.objects.filter(pk__in=ids).values_list("pk", "moderation"))
    assert states == {
        ids[0]: Moderation.PUBLISHED,
        ids[1]: Moderation.PUBLISHED,
        ids[2]: Moderation.WITHHELD,
    }
    withheld = client.get("/staff/comments/moderation/?state=withheld").content.decode()
    assert pending[2].text in withheld and "与法规草案无关" in withheld
