"""Receipts: what a receipt code tells anyone about a comment."""

from __future__ import annotations

from rest_framework import serializers

from ...models import Contributor, Decision, Moderation


class ReceiptSerializer(serializers.Serializer):
    """What a receipt code tells anyone: the comment and its outcome, no one's name."""

    code = serializers.CharField()
    bill_title = serializers.CharField()
    bill_slug = serializers.CharField()
    version_title = serializers.CharField()
    article_label = serializers.CharField(allow_blank=True)
    text = serializers.CharField()
    corrected = serializers.BooleanField(
        help_text="The text was corrected after it was first recorded."
    )
    submitted_on = serializers.DateField()
    status = serializers.ChoiceField(choices=Decision.choices)
    status_label = serializers.CharField()
    reason_label = serializers.CharField(allow_blank=True)
    explanation = serializers.CharField(allow_blank=True)
    decided_on = serializers.DateField(allow_null=True)
    channel_label = serializers.CharField()
    moderation = serializers.ChoiceField(
        choices=Moderation.choices,
        help_text="Whether the public may read it: public submissions start pending.",
    )
    moderation_label = serializers.CharField()
    withheld_reason_label = serializers.CharField(allow_blank=True)
    undecided_note = serializers.CharField(
        allow_blank=True,
        help_text="For a comment still pending when its bill was voted on: the "
        "reason recorded at the vote (表决前未逐条研究). Blank otherwise.",
    )


class SubmitPublicCommentSerializer(serializers.Serializer):
    """A comment from the public on a bill during an open online period."""

    text = serializers.CharField(
        trim_whitespace=False, help_text="The comment, at most 5,000 characters."
    )
    article = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="The number of the article of the draft under consultation.",
    )
    name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    contact = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="A mobile number or an email address; an address gets a "
        "confirmation mail, then the receipt and the outcome.",
    )
    kind = serializers.ChoiceField(
        choices=Contributor.Kind.choices, required=False, allow_blank=True
    )
    consent = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Required (true) when a name or contact is given: they are kept "
        "for handling and answering this comment only, never published.",
    )


class PublicCommentReceiptSerializer(serializers.Serializer):
    receipt_code = serializers.CharField(help_text="E.g. ABCD-EFGH-JKMN.")
    receipt_url = serializers.CharField(help_text="The page to look it up on.")
    moderation = serializers.ChoiceField(choices=Moderation.choices)
    bill = serializers.CharField(help_text="The bill's slug.")
    article = serializers.IntegerField(allow_null=True)
