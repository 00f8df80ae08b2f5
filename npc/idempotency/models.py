from __future__ import annotations

from django.db import models
from django.utils import timezone


class IdempotentRequest(models.Model):
    """
    The first request made with an idempotency key, and the answer it got.

    ``scope`` says whose key it is (a user, a token, a client address), so one
    client's key never replays another's answer. While the first request runs,
    ``status`` is null.
    """

    scope = models.CharField(max_length=64)
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=2000)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=2000, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key"], name="idempotent_request_scope_key_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"
