"""
Mails to the author of a public comment who gave an email address.

- The first mail is a confirmation link (a signed token naming the comment, not
  the address); nothing else is sent to an address that has not confirmed
  (double opt-in), as for following a bill (:mod:`legislation.notifications`).
- Once confirmed: the receipt at once, then a mail when the comment is decided
  and when feedback on it is recorded. Each mail is about the author's own
  comment only, and carries a one-click unsubscribe link (RFC 8058).
- Mails go out from tasks queued after commit; each is recorded
  (:class:`AuthorNotice`) so that a retried task mails no one twice.

Addresses are personal data: in no log line, no task argument, no page.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from legislation.numerals import article_label
from npc.core import optin

from .models import (
    AuthorMailing,
    AuthorNotice,
    Comment,
    DecisionRecord,
    Feedback,
)

logger = logging.getLogger(__name__)

CONFIRM_SALT = "consultation.author.confirm"
UNSUBSCRIBE_SALT = "consultation.author.unsubscribe"
CONFIRM_MAX_AGE = optin.CONFIRM_MAX_AGE
InvalidToken = optin.InvalidToken
_token = optin.token
_absolute = optin.absolute


def _read(token: str, *, salt: str, max_age: dt.timedelta | None) -> int:
    return optin.read(token, salt=salt, max_age=max_age, expired=_("确认链接已过期。"))


def confirm_url(mailing: AuthorMailing) -> str:
    token = _token(mailing.pk, CONFIRM_SALT)
    return _absolute(reverse("public:comment-mail-confirm", kwargs={"token": token}))


def unsubscribe_url(mailing: AuthorMailing) -> str:
    token = _token(mailing.pk, UNSUBSCRIBE_SALT)
    return _absolute(
        reverse("public:comment-mail-unsubscribe", kwargs={"token": token})
    )


def receipt_url(comment: Comment) -> str:
    # Not with the code in the address: addresses end up in logs.
    return _absolute(reverse("public:receipt"))


# --- the author's choices ---------------------------------------------------------


def start(*, comment: Comment, email: str) -> AuthorMailing:
    """
    Keep ``email`` for mails about ``comment``, and queue the confirmation mail
    after commit (unless the address had optin.CONFIRMATIONS_PER_DAY already today).
    """
    from . import tasks  # the task module imports this one

    mailing = AuthorMailing.objects.create(comment=comment, email=email)
    if optin.may_send_confirmation(AuthorMailing, email, timezone.now()):
        tasks.send_author_confirmation.delay_on_commit(mailing.pk)
    return mailing


@transaction.atomic
def confirm(*, token: str) -> AuthorMailing:
    """Confirm the address a token names (idempotent); the receipt follows by mail."""
    from . import tasks

    pk = _read(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    mailing = (
        AuthorMailing.objects.select_for_update()
        .select_related("comment")
        .filter(pk=pk)
        .first()
    )
    if mailing is None:
        raise InvalidToken(_("该通知已取消或不存在。"))
    if not mailing.is_confirmed:
        mailing.confirmed_at = timezone.now()
        mailing.save(update_fields=["confirmed_at"])
        tasks.notify_author.delay_on_commit(mailing.pk, AuthorNotice.Kind.RECEIPT, 0)
    return mailing


def for_unsubscribe(*, token: str) -> AuthorMailing | None:
    pk = _read(token, salt=UNSUBSCRIBE_SALT, max_age=None)
    return AuthorMailing.objects.filter(pk=pk).first()


@transaction.atomic
def unsubscribe(*, token: str) -> None:
    """Forget the address a token names (idempotent)."""
    pk = _read(token, salt=UNSUBSCRIBE_SALT, max_age=None)
    AuthorMailing.objects.filter(pk=pk).delete()


# --- what services queue ---------------------------------------------------------


def decided(records: Iterable[DecisionRecord]) -> None:
    """After commit, mail the confirmed authors of the comments just decided."""
    from . import tasks

    by_comment = {r.comment_id: r.pk for r in records}
    if not by_comment:
        return
    confirmed = AuthorMailing.objects.filter(
        pk__in=list(by_comment), confirmed_at__isnull=False
    ).values_list("pk", flat=True)
    for pk in confirmed:
        tasks.notify_author.delay_on_commit(
            pk, AuthorNotice.Kind.DECISION, by_comment[pk]
        )


def feedback_recorded(feedback: Feedback, comment_ids: Iterable[int]) -> None:
    """After commit, mail the confirmed authors of the comments the feedback answers."""
    from . import tasks

    confirmed = AuthorMailing.objects.filter(
        pk__in=list(comment_ids), confirmed_at__isnull=False
    ).values_list("pk", flat=True)
    for pk in confirmed:
        tasks.notify_author.delay_on_commit(pk, AuthorNotice.Kind.FEEDBACK, feedback.pk)


# --- the mails ------------------------------------------------------------------


def _headers(url: str) -> dict[str, str]:
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }


def _send(*, mailing: AuthorMailing, subject: str, template: str, context: dict):
    url = unsubscribe_url(mailing)
    body = render_to_string(
        template,
        {
            **context,
            "unsubscribe_url": url,
            "city_name": settings.NPC_CITY_NAME,
        },
    )
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mailing.email],
        headers=_headers(url),
    )
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused:
        # Final, and the error names the address: log the comment's number.
        logger.warning("Mail server refused the author address of %s", mailing.pk)
        return False
    return True


@transaction.atomic
def send_confirmation(*, mailing_id: int) -> bool:
    """Mail the confirmation link, unless gone or confirmed already."""
    mailing = (
        AuthorMailing.objects.select_for_update()
        .select_related("comment__bill")
        .filter(pk=mailing_id)
        .first()
    )
    if mailing is None or mailing.is_confirmed or mailing.confirmation_sent_at:
        return False
    bill = mailing.comment.bill
    with translation.override(settings.LANGUAGE_CODE):
        sent = _send(
            mailing=mailing,
            subject=_("请确认接收意见处理结果通知"),
            template="emails/comment_confirm.txt",
            context={
                "bill": bill,
                "confirm_url": confirm_url(mailing),
                "valid_days": CONFIRM_MAX_AGE.days,
            },
        )
    mailing.confirmation_sent_at = timezone.now()
    mailing.save(update_fields=["confirmation_sent_at"])
    return sent


def _comment_context(comment: Comment) -> dict[str, Any]:
    return {
        "comment": comment,
        "bill": comment.bill,
        "article": article_label(comment.article.number) if comment.article else "",
        "receipt": comment.receipt,
        "receipt_url": receipt_url(comment),
    }


@transaction.atomic
def notify(*, mailing_id: int, kind: str, ref: int) -> bool:
    """
    Mail the confirmed author of one comment its receipt, a decision
    (``ref``: the DecisionRecord) or a feedback (``ref``: the Feedback), once.
    Only that comment's own data goes into the mail.
    """
    mailing = (
        AuthorMailing.objects.select_related("comment__bill", "comment__article")
        .filter(pk=mailing_id, confirmed_at__isnull=False)
        .first()
    )
    if mailing is None:
        return False
    try:
        with transaction.atomic():
            AuthorNotice.objects.create(
                mailing=mailing, kind=kind, ref=ref, sent_at=timezone.now()
            )
    except IntegrityError:
        return False  # mailed already by another run of the task
    comment = mailing.comment
    context = _comment_context(comment)
    with translation.override(settings.LANGUAGE_CODE):
        if kind == AuthorNotice.Kind.RECEIPT:
            subject = _("您的意见已收到，回执码 %(code)s") % {"code": comment.receipt}
            template = "emails/comment_receipt.txt"
        elif kind == AuthorNotice.Kind.DECISION:
            record = DecisionRecord.objects.filter(pk=ref, comment=comment).first()
            if record is None:
                return False
            context["record"] = record
            subject = _("您的意见（回执码 %(code)s）已有处理结果") % {
                "code": comment.receipt
            }
            template = "emails/comment_decided.txt"
        else:
            feedback = Feedback.objects.filter(pk=ref, comments=comment).first()
            if feedback is None:
                return False
            context["feedback"] = feedback
            subject = _("关于您的意见（回执码 %(code)s）的反馈") % {
                "code": comment.receipt
            }
            template = "emails/comment_feedback.txt"
        # Sent inside the transaction that records it: if sending fails, the
        # record goes too and a retry sends again.
        return _send(
            mailing=mailing, subject=subject, template=template, context=context
        )
