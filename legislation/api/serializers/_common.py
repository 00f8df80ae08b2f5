"""What several serializers share: a stage that may be blank, the version help."""

from __future__ import annotations

from rest_framework import serializers

from ...models import Stage


def _stage_or_blank(help_text: str) -> serializers.ChoiceField:
    # Declared, not generated: a generated read-only field loses allow_blank, and
    # the description would then refuse the empty value these fields do hold.
    return serializers.ChoiceField(
        choices=Stage.choices, allow_blank=True, read_only=True, help_text=help_text
    )


BILL_VERSION_HELP = (
    "The bill version you read; a stale one gets 409. Or send it as If-Match "
    "(the ETag), which gets 412."
)
