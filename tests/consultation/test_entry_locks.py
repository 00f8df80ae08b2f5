"""
Comments entered at once in one consultation do not wait for one another, while
a change of the consultation still waits for them (PostgreSQL, where rows lock).
"""

import threading

import pytest
from django.db import OperationalError, connection, transaction

from consultation import services
from consultation.models import Comment, Consultation

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _hold_an_entry_open(consultation, staff):
    """Enter a comment in a transaction kept open until the returned event is set."""
    entered, release = threading.Event(), threading.Event()

    def worker():
        try:
            with transaction.atomic():
                services.enter_comment(
                    by=staff, consultation=consultation, text="先录入的意见"
                )
                entered.set()
                release.wait(30)
        finally:
            entered.set()
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    entered.wait(30)
    return thread, release


def test_a_second_entry_in_the_same_consultation_does_not_wait_for_the_first(
    consultation_a, staff
):
    thread, release = _hold_an_entry_open(consultation_a, staff)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                # Fail instead of waiting if the first entry's lock excluded this one.
                cursor.execute("SET LOCAL lock_timeout = '5s'")
            comment = services.enter_comment(
                by=staff, consultation=consultation_a, text="同时录入的意见"
            )
        assert comment.receipt_code
    finally:
        release.set()
        thread.join(30)
    assert Comment.objects.filter(consultation=consultation_a).count() == 2


def test_a_change_of_the_consultation_waits_for_an_entry_in_progress(
    consultation_a, staff
):
    thread, release = _hold_an_entry_open(consultation_a, staff)
    try:
        with pytest.raises(OperationalError), transaction.atomic():
            # What update_consultation takes first: the row, for update.
            Consultation.objects.select_for_update(nowait=True).get(
                pk=consultation_a.pk
            )
    finally:
        release.set()
        thread.join(30)
