"""
The author of a public comment who left an email address: a confirmation first
(double opt-in), then the receipt, the decision and the feedback, each once,
each about their own comment only, each with a one-click unsubscribe.

Tasks run in-process after commit; mail goes to the locmem outbox.
"""

import re

import pytest
from django.core import mail
from django.utils import timezone

from consultation import services
from consultation.models import AuthorMailing, Decision, Reason

SITE = "https://laws.example.org"
EMAIL = "author@example.com"
OTHER = "someone-else@example.com"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def _submit(bill, capture, *, email=EMAIL, text="建议第三条明确经费来源。"):
    with capture(execute=True):
        return services.submit_public_comment(
            bill=bill,
            text=text,
            article_number=3,
            contributor_name="作者本人",
            contributor_contact=email,
            consent=True,
        )


def _link(message, kind: str) -> str:
    match = re.search(
        rf"{re.escape(SITE)}(/comment-mail/{kind}/[^/\s]+/)", message.body
    )
    assert match, message.body
    return match.group(1)


@pytest.fixture
def confirmed(client, site, django_capture_on_commit_callbacks):
    comment = _submit(site["bill"], django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        client.get(_link(message, "confirm"))
    return comment


def test_an_address_gets_only_a_confirmation_until_confirmed(
    client, site, staff, django_capture_on_commit_callbacks
):
    comment = _submit(site["bill"], django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert message.to == [EMAIL]
    assert comment.receipt not in message.body  # nothing of the comment yet
    assert comment.text not in message.body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_comment(
            comment=comment, status=Decision.ADOPTED, by=staff, explanation="已吸收。"
        )
    assert mail.outbox == []


def test_confirming_mails_the_receipt_once(
    client, site, django_capture_on_commit_callbacks
):
    comment = _submit(site["bill"], django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0], "confirm")
    mail.outbox.clear()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.get(link).status_code == 200
    (receipt,) = mail.outbox
    assert comment.receipt in receipt.subject
    assert comment.text in receipt.body
    assert (
        receipt.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    )


def test_the_decision_and_the_feedback_reach_the_author(
    client, site, staff, confirmed, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_comment(
            comment=confirmed,
            status=Decision.NOT_ADOPTED,
            reason=Reason.HIGHER_LAW_PROVIDES,
            explanation="上位法已有规定，不再重复。",
            by=staff,
        )
    (decided,) = mail.outbox
    assert decided.to == [EMAIL]
    assert "未采纳" in decided.body
    assert "上位法已有规定，不再重复。" in decided.body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_feedback(
            by=staff,
            comments=[confirmed],
            channel="website",
            given_on=timezone.localdate(),
            text="已在网站公布处理情况。",
        )
    (feedback,) = mail.outbox
    assert "已在网站公布处理情况。" in feedback.body
    assert confirmed.receipt in feedback.subject


def test_a_bulk_decision_mails_each_author_about_their_own_comment_only(
    client, site, staff, confirmed, django_capture_on_commit_callbacks
):
    other = _submit(
        site["bill"],
        django_capture_on_commit_callbacks,
        email=OTHER,
        text="另一人的意见。",
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.get(_link(mail.outbox[-1], "confirm"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_comments(
            comments=[confirmed, other],
            status=Decision.FOR_REFERENCE,
            explanation="留作实施中参考。",
            by=staff,
        )
    assert sorted(m.to[0] for m in mail.outbox) == [EMAIL, OTHER]
    for message in mail.outbox:
        mine = confirmed if message.to == [EMAIL] else other
        theirs = other if mine is confirmed else confirmed
        assert mine.receipt in message.body
        assert theirs.receipt not in message.body
        assert theirs.text not in message.body
        assert OTHER not in message.body and "作者本人" not in message.body


def test_unsubscribing_takes_one_click_and_stops_the_mails(
    client, site, staff, confirmed, django_capture_on_commit_callbacks
):
    link = _link(mail.outbox[-1], "unsubscribe")
    assert client.get(link).status_code == 200
    assert AuthorMailing.objects.filter(pk=confirmed.pk).exists()
    assert client.post(link).status_code == 200
    assert not AuthorMailing.objects.filter(pk=confirmed.pk).exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_comment(
            comment=confirmed, status=Decision.ADOPTED, by=staff, explanation="好。"
        )
    assert mail.outbox == []


def test_a_mobile_number_gets_no_mail_and_no_mailing(
    site, django_capture_on_commit_callbacks
):
    comment = _submit(
        site["bill"], django_capture_on_commit_callbacks, email="13912345678"
    )
    assert mail.outbox == []
    assert not AuthorMailing.objects.filter(pk=comment.pk).exists()


def test_one_address_gets_a_few_confirmations_a_day_at_most(
    site, django_capture_on_commit_callbacks
):
    for n in range(7):
        _submit(site["bill"], django_capture_on_commit_callbacks, text=f"意见{n}")
    assert len(mail.outbox) == 5


def test_a_forged_link_is_refused(client, site):
    assert client.get("/comment-mail/confirm/forged/").status_code == 400
    assert client.post("/comment-mail/unsubscribe/forged/").status_code == 400


def test_the_receipt_page_shows_the_decision_and_feedback(
    client, site, staff, confirmed
):
    services.decide_comment(
        comment=confirmed, status=Decision.ADOPTED, by=staff, explanation="已吸收。"
    )
    services.record_feedback(
        by=staff,
        comments=[confirmed],
        channel="website",
        given_on=timezone.localdate(),
        text="处理情况已公布。",
    )
    body = client.post("/receipt/", {"code": confirmed.receipt_code}).content.decode()
    assert "采纳" in body and "已吸收。" in body
    # When and how feedback was given; not its words, which may answer a
    # point's many comments at once.
    assert "网站公布" in body and "处理情况已公布。" not in body
