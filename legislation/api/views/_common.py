"""What the bill and meeting views share: If-Match, stale answers, version look-up."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
)
from rest_framework.exceptions import ValidationError

from npc.core.apiviews import refused

from ...models import Bill, DraftVersion

# A version number, as the comparison accepts it (a small positive integer).
VERSION_NUMBER = {"type": "integer", "minimum": 1, "maximum": 32767}
# Slugs may be Chinese: any word character (Unicode) or hyphen.
SLUG_REGEX = r"[-\w]+"

IF_MATCH = OpenApiParameter(
    "If-Match",
    location=OpenApiParameter.HEADER,
    required=False,
    description='The bill\'s ETag as read (its version, e.g. "3"). A stale one '
    "gets 412 and nothing is written.",
)
# Operations answering with the bill's version in ETag (see npc.api).
BILL_ETAG = {"x-etag": "bill's version"}


STALE = {
    409: refused("The bill changed since you read it, or the step is not allowed."),
    412: refused("If-Match does not name the bill's current version."),
}


def _draft(bill: Bill, number: int | None) -> DraftVersion | None:
    """Return the bill's version with ``number`` (None for none), or a 400."""
    if number is None:
        return None
    version = bill.versions.filter(number=number).first()
    if version is None:
        raise ValidationError({"version": [_("本法规案没有该草案文本。")]})
    return version
