"""
Following a bill by email, and the mails the office sends.

- Anyone may follow a published bill with an email address. The first mail is a
  confirmation link (a signed token, :mod:`django.core.signing`); nothing else is
  sent to an address that has not confirmed.
- Followers are mailed when the bill's stage changes, a new version is published
  or a comment period opens. Each mail says which bill, what happened, when, and
  links to the bill; each carries a one-click unsubscribe link, in the text and
  as a ``List-Unsubscribe`` header (RFC 2369 and RFC 8058).
- Legislative staff get a daily digest of legal deadlines due and overdue.

Addresses are personal data: they appear in no log line, no task argument (tasks
take primary keys) and no page but the subscriber's own mails.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Sequence
from typing import Any, Protocol

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from npc.core import optin, roles
from npc.core.errors import DomainError

from .models import (
    Bill,
    BillEvent,
    DailyDigest,
    EventKind,
    Notification,
    Stage,
    Subscription,
)

logger = logging.getLogger(__name__)

CONFIRM_SALT = "legislation.follow.confirm"
UNSUBSCRIBE_SALT = "legislation.follow.unsubscribe"
# A confirmation link works for a week; an unsubscribe link for ever.
CONFIRM_MAX_AGE = optin.CONFIRM_MAX_AGE
# Besides the daily bound of npc.core.optin, the same subscription's
# confirmation is sent again only after an hour.
RESEND_AFTER = dt.timedelta(hours=1)


InvalidToken = optin.InvalidToken


class FollowingClosed(DomainError):
    code = "following_closed"


# --- tokens --------------------------------------------------------------------


def confirm_token(subscription: Subscription) -> str:
    """Sign a confirmation token; it names the subscription, not the address."""
    return optin.token(subscription.pk, CONFIRM_SALT)


def unsubscribe_token(subscription: Subscription) -> str:
    return optin.token(subscription.pk, UNSUBSCRIBE_SALT)


def _read(token: str, *, salt: str, max_age: dt.timedelta | None) -> int:
    return optin.read(
        token, salt=salt, max_age=max_age, expired=_("确认链接已过期，请重新关注。")
    )


_absolute = optin.absolute


def confirm_url(subscription: Subscription) -> str:
    return _absolute(
        reverse("follow:confirm", kwargs={"token": confirm_token(subscription)})
    )


def unsubscribe_url(subscription: Subscription) -> str:
    return _absolute(
        reverse(
            "follow:unsubscribe",
            kwargs={"token": unsubscribe_token(subscription)},
        )
    )


# --- following -----------------------------------------------------------------


@transaction.atomic
def follow_bill(*, bill: Bill, email: str) -> Subscription:
    """
    Start following ``bill`` with ``email``; a confirmation mail follows.

    Says nothing about whether the address already followed the bill (the answer
    is the same either way). An address already confirmed gets no mail; one still
    unconfirmed gets the confirmation again, at most once an hour and
    optin.CONFIRMATIONS_PER_DAY times a day over all bills.

    Raises FollowingClosed for a bill that is not published.
    """
    if not Bill.objects.filter(pk=bill.pk, is_published=True).exists():
        raise FollowingClosed(_("该法规案未公开，不能关注。"))
    # One subscription per address, however it is capitalised.
    email = email.strip().lower()
    subscription, _created = Subscription.objects.select_for_update().get_or_create(
        bill=bill, email=email
    )
    if subscription.is_confirmed:
        return subscription
    now = timezone.now()
    if (
        subscription.confirmation_sent_at
        and now - subscription.confirmation_sent_at < RESEND_AFTER
    ):
        return subscription
    if not optin.may_send_confirmation(Subscription, email, now):
        return subscription
    from . import tasks  # the task module imports this one

    tasks.send_confirmation.delay_on_commit(subscription.pk)
    return subscription


@transaction.atomic
def confirm_following(*, token: str) -> Subscription:
    """Confirm the subscription a confirmation token names (idempotent)."""
    pk = _read(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    subscription = (
        Subscription.objects.select_for_update()
        .select_related("bill")
        .filter(pk=pk)
        .first()
    )
    if subscription is None:
        raise InvalidToken(_("该关注已取消或不存在，请重新关注。"))
    if not subscription.is_confirmed:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


@transaction.atomic
def stop_following(*, token: str) -> Bill | None:
    """
    Delete the subscription an unsubscribe token names, and return its bill.

    Idempotent: a second use returns None, as for a subscription already gone.
    """
    pk = _read(token, salt=UNSUBSCRIBE_SALT, max_age=None)
    subscription = Subscription.objects.select_related("bill").filter(pk=pk).first()
    if subscription is None:
        return None
    bill = subscription.bill
    subscription.delete()
    return bill


def subscription_for_unsubscribe(*, token: str) -> Subscription | None:
    """Return the subscription an unsubscribe token names, or None if gone."""
    pk = _read(token, salt=UNSUBSCRIBE_SALT, max_age=None)
    return Subscription.objects.select_related("bill").filter(pk=pk).first()


# --- mails to followers --------------------------------------------------------


def _unsubscribe_headers(url: str) -> dict[str, str]:
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }


def _message(
    *, subject: str, template: str, context: dict[str, Any], to: str, headers=None
) -> EmailMessage:
    body = render_to_string(template, context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or {},
    )


@transaction.atomic
def send_confirmation(*, subscription_id: int) -> bool:
    """
    Mail the confirmation link for a subscription not yet confirmed.

    Returns False (and sends nothing) if it is gone or already confirmed.
    """
    subscription = (
        Subscription.objects.select_for_update()
        .select_related("bill")
        .filter(pk=subscription_id)
        .first()
    )
    if subscription is None or subscription.is_confirmed:
        return False
    bill = subscription.bill
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "bill": bill,
            "bill_url": _absolute(bill.get_absolute_url()),
            "confirm_url": confirm_url(subscription),
            "unsubscribe_url": unsubscribe_url(subscription),
            "valid_days": CONFIRM_MAX_AGE.days,
            "city_name": settings.NPC_CITY_NAME,
        }
        message = _message(
            subject=_("请确认关注《%(title)s》") % {"title": bill.title},
            template="emails/follow_confirm.txt",
            context=context,
            to=subscription.email,
            headers=_unsubscribe_headers(context["unsubscribe_url"]),
        )
    subscription.confirmation_sent_at = timezone.now()
    subscription.save(update_fields=["confirmation_sent_at"])
    return _deliver(message, subscription)


def is_notifiable(event: BillEvent) -> bool:
    """
    Say whether followers hear of ``event``: a stage change, the publication of a
    new version, or a comment period opening, on a published bill.

    The consultation side queues CONSULTATION_OPENED events only for online
    comment periods, the ones the public can take part in.
    """
    if not event.bill.is_published:
        return False
    if event.changes_stage:
        return event.kind != EventKind.PLANNED
    if event.kind == EventKind.VERSION_ADDED:
        return event.version is not None and event.version.is_published
    return event.kind == EventKind.CONSULTATION_OPENED


def _what_happened(event: BillEvent) -> str:
    """Say in one line what the event was, e.g. “进入二审阶段”."""
    if event.changes_stage:
        return _("由“%(old)s”进入“%(new)s”阶段") % {
            "old": Stage(event.from_stage).label if event.from_stage else "—",
            "new": Stage(event.to_stage).label,
        }
    if event.kind == EventKind.VERSION_ADDED and event.version is not None:
        return _("公布了新的草案文本：%(title)s") % {"title": event.version.title}
    return str(event.get_kind_display())


@transaction.atomic
def _send_one(
    event: BillEvent,
    subscription: Subscription,
    context: dict[str, Any],
    subject: str,
    connection: Any,
) -> bool:
    """Mail one follower about ``event`` unless that was done already."""
    try:
        with transaction.atomic():
            Notification.objects.create(
                event=event, subscription=subscription, sent_at=timezone.now()
            )
    except IntegrityError:
        return False  # another run of the task mailed this follower already
    url = unsubscribe_url(subscription)
    message = _message(
        subject=subject,
        template="emails/follow_event.txt",
        context={**context, "unsubscribe_url": url},
        to=subscription.email,
        headers=_unsubscribe_headers(url),
    )
    message.connection = connection
    # Sent inside the transaction that records it: if sending fails, the record
    # goes too and a retry sends again; the unique pair stops a concurrent twin.
    return _deliver(message, subscription)


def _deliver(message: EmailMessage, subscription: Subscription) -> bool:
    """
    Send ``message`` to a follower; False if the mail server refused the address.

    A refused address is final (retrying would not help) and the error would
    carry the address into the logs: log the subscription's number instead.
    Other failures propagate, for the task to retry.
    """
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused:
        logger.warning(
            "Mail server refused the address of subscription %s", subscription.pk
        )
        return False
    return True


def notify_followers(
    *, event_id: int, period: tuple[dt.date, dt.date] | None = None
) -> int:
    """
    Mail every confirmed follower of the event's bill about the event, once.

    ``period`` gives the dates of a comment period the event opened.

    Idempotent: followers already mailed about this event (a Notification row)
    are skipped, so a retried or redelivered task mails no one twice. Returns the
    number of mails sent.
    """
    event = (
        BillEvent.objects.select_related("bill", "meeting", "version")
        .filter(pk=event_id)
        .first()
    )
    if event is None or not is_notifiable(event):
        return 0
    followers = list(
        Subscription.objects.filter(bill=event.bill, confirmed_at__isnull=False)
        .exclude(notifications__event=event)
        .order_by("pk")
    )
    if not followers:
        return 0
    bill = event.bill
    with translation.override(settings.LANGUAGE_CODE):
        what = _what_happened(event)
        context = {
            "bill": bill,
            "event": event,
            "what": what,
            "when": event.on,
            "meeting": event.meeting.name if event.meeting else "",
            "period": period,
            "stage": bill.get_stage_display(),
            "bill_url": _absolute(bill.get_absolute_url()),
            "city_name": settings.NPC_CITY_NAME,
        }
        subject = _("《%(title)s》%(what)s") % {"title": bill.title, "what": what}
        sent = 0
        with get_connection() as connection:
            for subscription in followers:
                sent += _send_one(event, subscription, context, subject, connection)
    logger.info(
        "Mailed %d followers of bill %s about event %s", sent, bill.pk, event.pk
    )
    return sent


# --- the daily digest for staff -------------------------------------------------


class Case(Protocol):
    """A deadline due or overdue, as the clock selectors report it."""

    kind: str
    label: str
    bill: Bill
    deadline: dt.date
    overdue: bool
    detail: str

    def as_dict(self) -> dict[str, Any]: ...


def digest_recipients() -> list[str]:
    """Return the addresses of active legislative staff (group members)."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=roles.LEGISLATIVE_STAFF)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
        .distinct()
    )
    return list(users)


def send_daily_digest(*, day: dt.date, cases: Sequence[Case]) -> DailyDigest:
    """
    Record the day's legal-clock check and mail staff its digest, once a day.

    A second run on the same day returns the first one's record and mails no
    one. With nothing due or overdue, the check is recorded and no mail is sent.
    """
    with transaction.atomic():
        digest, _created = DailyDigest.objects.select_for_update().get_or_create(
            day=day
        )
        if digest.sent_at is not None:
            return digest
        overdue = [c for c in cases if c.overdue]
        due = [c for c in cases if not c.overdue]
        counts: dict[str, int] = {}
        for case in cases:
            counts[case.kind] = counts.get(case.kind, 0) + 1
        digest.cases = {
            "overdue": len(overdue),
            "due": len(due),
            "by_kind": counts,
            "items": [case.as_dict() for case in cases],
        }
        recipients = digest_recipients() if cases else []
        if recipients:
            with translation.override(settings.LANGUAGE_CODE):
                subject = _(
                    "法定期限提醒（%(day)s）：已逾期%(overdue)d项，即将到期%(due)d项"
                ) % {"day": day, "overdue": len(overdue), "due": len(due)}
                body = render_to_string(
                    "emails/daily_digest.txt",
                    {
                        "day": day,
                        "overdue": overdue,
                        "due": due,
                        "due_url": _absolute(reverse("staff:due")),
                        "city_name": settings.NPC_CITY_NAME,
                    },
                )
            messages = [
                EmailMessage(
                    subject=subject,
                    body=body,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[address],
                    headers={"Auto-Submitted": "auto-generated"},
                )
                for address in recipients
            ]
            with get_connection() as connection:
                connection.send_messages(messages)
        digest.recipients = len(recipients)
        digest.sent_at = timezone.now()
        digest.save()
    logger.info(
        "Legal clocks for %s: %d overdue, %d due, digest to %d staff",
        day,
        len(overdue),
        len(due),
        len(recipients),
    )
    return digest
