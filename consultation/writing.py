"""
Share what every writer of comments needs: the services and the import loader.

Kept apart from both so that the loader (:mod:`consultation.imports.load`) can
be read and tested without the services, and the services need not reach into
the loader.
"""

from __future__ import annotations

from django.db import connection

from .models import Consultation

# How often a fresh comment's random receipt code is drawn again after it
# collided with one already taken, before giving up.
RECEIPT_ATTEMPTS = 5


def share_lock(consultation: Consultation) -> None:
    """
    Hold the consultation as it is until the transaction ends, shared: a change
    of it (update_consultation locks it for update) waits for the comments being
    entered in it, and they wait for the change, but entries do not wait for
    one another. SQLite writes one transaction at a time anyway.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {Consultation._meta.db_table} WHERE id = %s FOR SHARE",
            [consultation.pk],
        )
