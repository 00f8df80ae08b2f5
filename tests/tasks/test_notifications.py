"""
Following a bill by email: confirmation first, then a mail for each stage change,
published version and comment period, each with a one-click unsubscribe.

Tasks run in-process (eagerly) after commit; mail goes to the locmem outbox.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from legislation import notifications, services
from legislation.models import Notification, Stage, Subscription
from legislation.tasks import notify_followers
from npc.core import optin
from tests.factories import BillFactory, MeetingFactory

from ..conftest import DRAFT_TEXT

SITE = "https://laws.example.org"
EMAIL = "reader@example.com"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def _follow(client: Client, bill, email: str, capture):  # noqa: ANN001
    with capture(execute=True):
        return client.post(reverse("follow:bill", args=[bill.slug]), {"email": email})


def _link(message, kind: str) -> str:
    match = re.search(rf"{re.escape(SITE)}(/follow/{kind}/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def follower(client, bill, django_capture_on_commit_callbacks):
    """A confirmed follower of ``bill``; the outbox is empty afterwards."""
    _follow(client, bill, EMAIL, django_capture_on_commit_callbacks)
    client.get(_link(mail.outbox[0], "confirm"))
    mail.outbox.clear()
    return Subscription.objects.get(email=EMAIL)


def _reading(bill, staff, capture, number: int = 30):  # noqa: ANN001
    services.start_drafting(bill=bill, on=dt.date(2024, 1, 25), by=staff)
    with capture(execute=True):
        return services.submit_bill(bill=bill, on=dt.date(2024, 2, 1), by=staff)


# --- subscribing ------------------------------------------------------------------


def test_subscribing_sends_only_a_confirmation_link(
    client, bill, staff, django_capture_on_commit_callbacks
):
    response = _follow(client, bill, EMAIL, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == reverse("follow:sent", args=[bill.slug])
    (message,) = mail.outbox
    assert message.to == [EMAIL]
    assert bill.title in message.subject
    assert _link(message, "confirm")
    subscription = Subscription.objects.get(bill=bill, email=EMAIL)
    assert not subscription.is_confirmed

    # Until confirmed, nothing else is sent.
    mail.outbox.clear()
    _reading(bill, staff, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_confirmation_link_confirms_and_then_stage_changes_are_mailed(
    client, bill, staff, django_capture_on_commit_callbacks
):
    _follow(client, bill, EMAIL, django_capture_on_commit_callbacks)
    response = client.get(_link(mail.outbox[0], "confirm"))

    assert response.status_code == 200
    assert "已确认关注" in response.content.decode()
    assert Subscription.objects.get(email=EMAIL).is_confirmed


def test_the_bill_page_offers_to_follow_it(client, bill):
    response = client.get(reverse("public:bill-detail", args=[bill.slug]))

    html = response.content.decode()
    assert response.status_code == 200
    # A link to the form's own page: a kept public page carries no CSRF token.
    assert f'href="{reverse("follow:bill", args=[bill.slug])}"' in html
    assert "关注此法规" in html

    response = client.get(reverse("follow:bill", args=[bill.slug]))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'action="{reverse("follow:bill", args=[bill.slug])}"' in html
    assert '<label for="follow-email">' in html


def test_an_unpublished_bill_cannot_be_followed(client, db):
    hidden = BillFactory(is_published=False)

    response = client.post(reverse("follow:bill", args=[hidden.slug]), {"email": EMAIL})

    assert response.status_code == 404
    assert not Subscription.objects.exists()


def test_an_invalid_address_is_refused_with_the_form_again(client, bill):
    response = client.post(
        reverse("follow:bill", args=[bill.slug]), {"email": "not-an-address"}
    )

    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Subscription.objects.exists()


def test_subscribing_again_sends_no_second_mail_within_the_hour(
    client, bill, django_capture_on_commit_callbacks
):
    _follow(client, bill, EMAIL, django_capture_on_commit_callbacks)
    _follow(client, bill, " Reader@Example.COM ", django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    assert Subscription.objects.get().email == EMAIL


def test_a_confirmed_follower_subscribing_again_gets_no_mail(
    client, bill, follower, django_capture_on_commit_callbacks
):
    response = _follow(client, bill, EMAIL, django_capture_on_commit_callbacks)

    assert response.status_code == 302  # the same answer as for a new address
    assert mail.outbox == []


def test_one_address_gets_at_most_five_confirmations_a_day(
    client, django_capture_on_commit_callbacks, db
):
    bills = BillFactory.create_batch(optin.CONFIRMATIONS_PER_DAY + 2)
    for bill in bills:
        _follow(client, bill, EMAIL, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == optin.CONFIRMATIONS_PER_DAY


def test_a_tampered_or_expired_confirmation_link_is_refused(
    client, bill, django_capture_on_commit_callbacks, monkeypatch
):
    _follow(client, bill, EMAIL, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0], "confirm")

    tampered = client.get(link[:-3] + "xx/")
    assert tampered.status_code == 400
    assert "链接无效" in tampered.content.decode()

    subscription = Subscription.objects.get(email=EMAIL)
    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now - 8 * 24 * 3600)
    old_token = notifications.confirm_token(subscription)  # made eight days ago
    monkeypatch.undo()
    expired = client.get(reverse("follow:confirm", args=[old_token]))
    assert expired.status_code == 400
    assert "已过期" in expired.content.decode()
    assert not Subscription.objects.get(email=EMAIL).is_confirmed


# --- mails to followers -------------------------------------------------------------


def test_a_stage_change_mails_followers_the_full_context(
    bill, staff, follower, django_capture_on_commit_callbacks
):
    services.start_drafting(bill=bill, on=dt.date(2024, 1, 25), by=staff)
    mail.outbox.clear()
    meeting = MeetingFactory(number=21, date=dt.date(2024, 3, 28))
    services.submit_bill(bill=bill, on=dt.date(2024, 2, 1), by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_reading(bill=bill, meeting=meeting, by=staff)

    (message,) = mail.outbox
    assert message.to == [EMAIL]
    assert bill.title in message.subject
    assert "一审" in message.subject
    body = message.body
    assert bill.title in body
    assert "由“提请审议”进入“一审”阶段" in body
    assert "2024年3月28日" in body
    assert meeting.name in body
    assert f"{SITE}{bill.get_absolute_url()}" in body
    unsubscribe = _link(message, "unsubscribe")
    assert message.extra_headers["List-Unsubscribe"] == f"<{SITE}{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )


def test_each_stage_change_on_the_way_is_mailed(
    bill, staff, follower, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.start_drafting(bill=bill, on=dt.date(2024, 1, 25), by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_bill(bill=bill, on=dt.date(2024, 2, 1), by=staff)

    assert [m.subject for m in mail.outbox] == [
        f"《{bill.title}》由“立项”进入“起草”阶段",
        f"《{bill.title}》由“起草”进入“提请审议”阶段",
    ]


def test_a_published_new_version_is_mailed_once(
    bill, staff, follower, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = services.add_draft_version(
            bill=bill,
            text=DRAFT_TEXT.replace("加强测试管理", "规范测试管理"),
            title="长治市测试管理条例（草案修改稿）",
            kind="revised",
            on=dt.date(2024, 4, 2),
            by=staff,
        )
    assert mail.outbox == []  # not published yet

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_version(version=version, by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_version(version=version, by=staff, publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_version(version=version, by=staff)

    (message,) = mail.outbox
    assert "公布了新的草案文本：长治市测试管理条例（草案修改稿）" in message.body
    assert "2024年4月2日" in message.body


def test_a_version_published_on_arrival_is_mailed(
    bill, staff, follower, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.add_draft_version(
            bill=bill,
            text=DRAFT_TEXT,
            title="长治市测试管理条例（二次审议稿）",
            kind="second_revised",
            on=dt.date(2024, 5, 2),
            by=staff,
            is_published=True,
        )

    (message,) = mail.outbox
    assert "二次审议稿" in message.subject


def test_notifying_twice_mails_each_follower_once(
    bill, staff, follower, django_capture_on_commit_callbacks
):
    event = _reading(bill, staff, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1

    notify_followers.delay(event.pk)  # a retried or redelivered task

    assert len(mail.outbox) == 1
    assert Notification.objects.filter(event=event).count() == 1


def test_a_failed_send_is_retried_without_mailing_anyone_twice(
    bill, staff, client, django_capture_on_commit_callbacks, monkeypatch
):
    for address in ("a@example.com", "b@example.com"):
        _follow(client, bill, address, django_capture_on_commit_callbacks)
        client.get(_link(mail.outbox[-1], "confirm"))
    mail.outbox.clear()
    services.start_drafting(bill=bill, on=dt.date(2024, 1, 25), by=staff)
    event = bill.events.latest("pk")

    sent = []
    real_send = mail.EmailMessage.send

    def flaky_send(message, fail_silently=False):  # noqa: ANN001
        if message.to == ["b@example.com"] and not sent:
            sent.append("failed once")
            raise OSError("connection reset")
        return real_send(message, fail_silently)

    monkeypatch.setattr(mail.EmailMessage, "send", flaky_send)
    with pytest.raises(OSError):
        notifications.notify_followers(event_id=event.pk)
    notifications.notify_followers(event_id=event.pk)  # the retry

    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.com", "b@example.com"]


def test_followers_of_an_unpublished_bill_hear_nothing(
    bill, staff, follower, django_capture_on_commit_callbacks
):
    services.update_bill(bill=bill, by=staff, expected_version=None, is_published=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_drafting(bill=bill, on=dt.date(2024, 1, 25), by=staff)

    assert mail.outbox == []


# --- unsubscribing ----------------------------------------------------------------


def test_unsubscribe_link_shows_a_button_and_the_button_unsubscribes(
    client, bill, staff, follower, django_capture_on_commit_callbacks
):
    _reading(bill, staff, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[-1], "unsubscribe")

    page = client.get(link)
    assert page.status_code == 200
    assert "确认取消关注" in page.content.decode()
    assert Subscription.objects.filter(pk=follower.pk).exists()  # a GET changes nothing

    done = client.post(link)
    assert done.status_code == 200
    assert "您已取消关注" in done.content.decode()
    assert not Subscription.objects.filter(pk=follower.pk).exists()

    again = client.post(link)
    assert again.status_code == 200  # idempotent


def test_one_click_unsubscribe_needs_no_csrf_cookie(
    bill, staff, follower, django_capture_on_commit_callbacks
):
    _reading(bill, staff, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[-1], "unsubscribe")
    mail_client = Client(enforce_csrf_checks=True)  # as a mail program posts it

    response = mail_client.post(link, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_unsubscribed_followers_are_mailed_no_more(
    client, bill, staff, follower, django_capture_on_commit_callbacks
):
    client.post(
        reverse("follow:unsubscribe", args=[notifications.unsubscribe_token(follower)])
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.start_drafting(bill=bill, on=dt.date(2024, 1, 25), by=staff)

    assert mail.outbox == []


def test_the_confirmation_mail_can_be_unsubscribed_too(
    client, bill, django_capture_on_commit_callbacks
):
    _follow(client, bill, EMAIL, django_capture_on_commit_callbacks)
    (message,) = mail.outbox

    assert "List-Unsubscribe" in message.extra_headers
    client.post(_link(message, "unsubscribe"))
    assert not Subscription.objects.exists()


# --- personal data ------------------------------------------------------------------


def test_addresses_appear_in_no_log_and_no_page(
    client, bill, staff, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.DEBUG)
    response = _follow(client, bill, EMAIL, django_capture_on_commit_callbacks)
    sent = client.get(response["Location"])
    confirmed = client.get(_link(mail.outbox[0], "confirm"))
    _reading(bill, staff, django_capture_on_commit_callbacks)
    public = client.get(bill.get_absolute_url())

    assert len(mail.outbox) == 2
    for page in (sent, confirmed, public):
        assert EMAIL not in page.content.decode()
    assert EMAIL not in caplog.text
    assert "reader" not in caplog.text
    subscription = Subscription.objects.get()
    assert EMAIL not in str(subscription)
    assert Stage.SUBMITTED in bill.events.values_list("to_stage", flat=True)


# --- comment periods ----------------------------------------------------------------


def test_an_online_comment_period_opening_is_mailed_with_its_dates(
    bill, draft, staff, follower, django_capture_on_commit_callbacks
):
    from consultation import services as consultation_services
    from consultation.models import Channel

    with django_capture_on_commit_callbacks(execute=True):
        consultation_services.record_consultation(
            by=staff,
            bill=bill,
            version=draft,
            channel=Channel.ONLINE,
            title="长治市测试管理条例（草案）公开征求意见",
            opens_on=dt.date(2024, 9, 1),
            closes_on=dt.date(2024, 9, 30),
        )

    (message,) = mail.outbox
    assert "公开征求意见" in message.subject
    assert "征求意见期：2024年9月1日至2024年9月30日" in message.body
    assert "长治市测试管理条例（草案）公开征求意见" in message.body


def test_a_meeting_at_a_liaison_point_is_not_mailed(
    bill, draft, staff, point_a, follower, django_capture_on_commit_callbacks
):
    from consultation import services as consultation_services
    from consultation.models import Channel

    with django_capture_on_commit_callbacks(execute=True):
        consultation_services.record_consultation(
            by=staff,
            bill=bill,
            version=draft,
            channel=Channel.LIAISON_POINT,
            point=point_a,
            title="淮海社区立法意见征询座谈会",
            held_on=dt.date(2024, 9, 10),
        )

    assert mail.outbox == []


def test_a_refused_address_is_not_retried_nor_logged(
    bill, staff, follower, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    import smtplib

    def refuse(message, fail_silently=False):  # noqa: ANN001
        raise smtplib.SMTPRecipientsRefused({EMAIL: (550, b"no such user")})

    monkeypatch.setattr(mail.EmailMessage, "send", refuse)
    caplog.set_level(logging.DEBUG)
    event = _reading(bill, staff, django_capture_on_commit_callbacks)

    assert Notification.objects.filter(event=event, subscription=follower).exists()
    assert f"subscription {follower.pk}" in caplog.text
    assert EMAIL not in caplog.text
