"""Decisions on comments: on one, on many at once, and what a bulk decision did."""

from __future__ import annotations

import re

from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers

from legislation.filters import MAX_INTEGER

from ...models import ADOPTING, NEEDS_REASON, Comment, Decision, Reason

# A comment id as a JSON key: ASCII digits, within a database integer.
COMMENT_ID = r"[0-9]{1,18}"


class _DecisionFields(serializers.Serializer):
    status = serializers.ChoiceField(choices=Decision.choices)
    reason = serializers.ChoiceField(
        choices=Reason.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required for not_adopted and partially_adopted.",
    )
    explanation = serializers.CharField(
        max_length=100_000, required=False, allow_blank=True, default=""
    )
    duplicate_of = serializers.PrimaryKeyRelatedField(
        queryset=Comment.objects.all(),
        required=False,
        allow_null=True,
        help_text="For duplicate: the comment this one repeats.",
    )
    articles = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_INTEGER),
        required=False,
        max_length=200,
        help_text="For adopted and partially_adopted: ids of the articles of a "
        "later version of the bill that took the comment up (they replace its "
        "links); left out, the links it has stay.",
    )
    elsewhere = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Not in the text: what was done instead (e.g. taken up in the "
        "implementing rules).",
    )


def _one_of(values: object) -> dict:
    """A string that is one of ``values``, said with a pattern (see below)."""
    return {"type": "string", "pattern": f"^({'|'.join(sorted(values))})$"}


def _decision_rules() -> list[dict]:
    """
    Which fields each status needs (``services.decisions._check_decision``), as
    the one-of alternatives of a decision body: a reason for not_adopted and
    partially_adopted only (with an explanation if the reason is other), the
    repeated comment for duplicate only, no explanation when pending.

    The alternatives narrow the fields with patterns, not enums: the enum
    post-processing would make each of them a component of its own.
    """
    no_reason = {"type": "string", "maxLength": 0}
    no_duplicate = {"not": {"type": "integer"}}  # null, or left out
    # An adoption names where it went (articles, or what was done instead) or
    # says why not in its explanation (services.links.check_places).
    placed = {
        "anyOf": [
            {
                "properties": {"articles": {"type": "array", "minItems": 1}},
                "required": ["articles"],
            },
            {
                "properties": {"elsewhere": {"type": "string", "pattern": r"\S"}},
                "required": ["elsewhere"],
            },
            {
                "properties": {"explanation": {"type": "string", "pattern": r"\S"}},
                "required": ["explanation"],
            },
        ]
    }
    plain = (
        set(Decision.values)
        - NEEDS_REASON
        - ADOPTING
        - {Decision.DUPLICATE, Decision.PENDING}
    )
    # (statuses, properties, required, extra) of each alternative.
    other_reason = {
        "reason": _one_of({Reason.OTHER}),
        "explanation": {"type": "string", "pattern": r"\S"},
        "duplicate_of": no_duplicate,
    }
    alternatives = [
        (
            NEEDS_REASON - ADOPTING,
            {
                "reason": _one_of(set(Reason.values) - {Reason.OTHER}),
                "duplicate_of": no_duplicate,
            },
            ["status", "reason"],
            {},
        ),
        (
            NEEDS_REASON & ADOPTING,
            {
                "reason": _one_of(set(Reason.values) - {Reason.OTHER}),
                "duplicate_of": no_duplicate,
            },
            ["status", "reason"],
            placed,
        ),
        (
            set(ADOPTING) - NEEDS_REASON,
            {"reason": no_reason, "duplicate_of": no_duplicate},
            ["status"],
            placed,
        ),
        (
            NEEDS_REASON - ADOPTING,
            other_reason,
            ["status", "reason", "explanation"],
            {},
        ),
        (
            NEEDS_REASON & ADOPTING,
            other_reason,
            ["status", "reason", "explanation"],
            {},
        ),
        (
            {Decision.DUPLICATE},
            {"reason": no_reason, "duplicate_of": {"type": "integer"}},
            ["status", "duplicate_of"],
            {},
        ),
        (
            {Decision.PENDING},
            {
                "reason": no_reason,
                "explanation": {"type": "string", "pattern": r"^\s*$"},
                "duplicate_of": no_duplicate,
            },
            ["status"],
            {},
        ),
        (plain, {"reason": no_reason, "duplicate_of": no_duplicate}, ["status"], {}),
    ]
    # Only an adoption names where it went: no articles, no "elsewhere" otherwise.
    unplaced = {
        "articles": {"type": "array", "maxItems": 0},
        "elsewhere": {"type": "string", "pattern": r"^\s*$"},
    }
    return [
        {
            "properties": {
                "status": _one_of(statuses),
                **properties,
                **({} if statuses & ADOPTING else unplaced),
            },
            "required": required,
            **extra,
        }
        for statuses, properties, required, extra in alternatives
    ]


class DecisionRulesExtension(OpenApiSerializerExtension):
    """A decision body's fields, and which of them each status needs."""

    target_class = "consultation.api.serializers.decisions._DecisionFields"
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):  # noqa: ANN001, ANN201
        schema = auto_schema._map_basic_serializer(self.target, direction)  # noqa: SLF001
        if direction == "request":
            schema["oneOf"] = _decision_rules()
        return schema


class DecideCommentSerializer(_DecisionFields):
    """Decide on one comment."""

    revision = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The revision you read; stale: 409 (or send If-Match: 412).",
    )


class BulkDecisionSerializer(_DecisionFields):
    """Decide on many comments at once, with one reason and explanation."""

    comments = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_INTEGER),
        min_length=1,
        max_length=10_000,
        help_text="Ids of the comments.",
    )
    revisions = serializers.DictField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        help_text="Optional {comment id: revision read}; if any is stale, nothing "
        "is written (409). Keys naming no selected comment are ignored.",
    )

    def validate_revisions(self, value: dict[str, int]) -> dict[int, int]:
        # Like an entry for a comment not selected, a key that is no comment id
        # names nothing to check and is ignored: OpenAPI 3.0 cannot describe
        # the form of a key, so any string is a valid one.
        return {
            int(key): revision
            for key, revision in value.items()
            if re.fullmatch(COMMENT_ID, key)
        }


class BulkDecisionResultSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    comments = serializers.ListField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text="[{id, revision}] of each comment decided.",
    )
