"""
The double opt-in both mail features share: following a bill
(:mod:`legislation.notifications`) and an author's mails about their comment
(:mod:`consultation.mailing`).

An address is kept only once its owner confirms it through a link mailed to it.
The links carry a signed token naming the record (never the address); a
confirmation link expires, an unsubscribe link does not. Since anyone could
type another person's address into the forms, one address gets at most
CONFIRMATIONS_PER_DAY confirmation mails a day, across the records of one kind.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.db.models import Model
from django.utils.translation import gettext as _

from npc.core.errors import DomainError

CONFIRM_MAX_AGE = dt.timedelta(days=7)
CONFIRMATIONS_PER_DAY = 5


class InvalidToken(DomainError):
    code = "invalid_token"


def token(pk: int, salt: str) -> str:
    """Sign a token naming the record ``pk`` for links salted ``salt``."""
    return signing.dumps(pk, salt=salt, compress=False)


def read(value: str, *, salt: str, max_age: dt.timedelta | None, expired: str) -> int:
    """
    Return the record a token names; InvalidToken (with ``expired`` as the
    message for a confirmation link past its age) when it names none.
    """
    try:
        pk = signing.loads(value, salt=salt, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise InvalidToken(expired) from exc
    except signing.BadSignature as exc:
        raise InvalidToken(_("链接无效，请检查是否完整复制了邮件中的链接。")) from exc
    if not isinstance(pk, int):
        raise InvalidToken(_("链接无效，请检查是否完整复制了邮件中的链接。"))
    return pk


def may_send_confirmation(model: type[Model], email: str, now: dt.datetime) -> bool:
    """Say whether ``email`` may get another confirmation mail of ``model`` today."""
    sent = model._default_manager.filter(
        email=email, confirmation_sent_at__gte=now - dt.timedelta(days=1)
    ).count()
    return sent < CONFIRMATIONS_PER_DAY


def absolute(path: str) -> str:
    """The address of ``path`` on the site, for a link in a mail."""
    return settings.SITE_URL.rstrip("/") + path
