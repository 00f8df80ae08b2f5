"""
With no broker (tasks in process) and no mail server answering, following a bill
still succeeds: the subscription is saved, the page says the mail is on its way,
and the failure is logged, not shown.
"""

import logging

import pytest
from django.urls import reverse

from legislation.models import Subscription
from npc.celery import app

pytestmark = pytest.mark.django_db

EMAIL = "reader@example.org"


@pytest.fixture
def mail_server_down(settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens
    settings.EMAIL_TIMEOUT = 2
    # As in production without a broker: a task failing for good is logged.
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)


def test_following_a_bill_succeeds_while_mail_cannot_be_sent(
    client, bill, mail_server_down, django_capture_on_commit_callbacks, caplog
):
    with caplog.at_level(logging.WARNING, logger="npc.celery"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("follow:bill", args=[bill.slug]), {"email": EMAIL}
            )
    assert response.status_code == 302
    assert response["Location"] == reverse("follow:sent", args=[bill.slug])
    assert Subscription.objects.filter(bill=bill, email=EMAIL).exists()
    assert "send_confirmation failed in process" in caplog.text
    assert EMAIL not in caplog.text


def test_in_production_a_task_failing_in_process_does_not_fail_the_request():
    from npc import settings as production

    assert production.CELERY_TASK_EAGER_PROPAGATES is False
