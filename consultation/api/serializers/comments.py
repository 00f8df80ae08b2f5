"""
Comments: as read (one, or a page of rows), with who made them, and as entered
and corrected.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from legislation.models import Article, Vote
from legislation.numerals import article_label
from npc.core import roles

from ... import access, selectors
from ...models import (
    Channel,
    Comment,
    CommentRevision,
    Consultation,
    Contributor,
    Decision,
    Reason,
    format_receipt_code,
)
from ...selectors import undecided_note
from .points import PointRefSerializer


class ContributorSerializer(serializers.ModelSerializer):
    """Who made a comment: personal data (DESIGN §2)."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Contributor
        fields = ["name", "contact", "affiliation", "kind", "kind_display"]
        read_only_fields = fields


class ArticleRefSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = Article
        fields = ["id", "number", "label"]
        read_only_fields = fields


class CommentSerializer(serializers.ModelSerializer):
    """
    A comment and its outcome. ``receipt`` and ``contributor`` are null unless the
    reader may see personal data (staff; the clerk of the comment's point).
    """

    url = serializers.HyperlinkedIdentityField(view_name="api:comment-detail")
    bill = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    version = serializers.IntegerField(
        source="consultation.version.number",
        read_only=True,
        help_text="Number of the draft version commented on.",
    )
    channel = serializers.ChoiceField(
        source="consultation.channel", choices=Channel.choices, read_only=True
    )
    point = PointRefSerializer(read_only=True, allow_null=True)
    article = ArticleRefSerializer(read_only=True, allow_null=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    # Blank until a decision that needs a reason: the description says so.
    reason = serializers.ChoiceField(
        choices=Reason.choices, allow_blank=True, read_only=True, label=_("理由")
    )
    reason_display = serializers.CharField(source="get_reason_display", read_only=True)
    receipt = serializers.SerializerMethodField(
        help_text="Receipt code (the contributor's); null unless you may see "
        "personal data."
    )
    contributor = serializers.SerializerMethodField(
        help_text="Who made the comment; null unless you may see personal data."
    )
    undecided_note = serializers.SerializerMethodField(
        help_text="For a comment still pending when its bill was voted on: the "
        "reason recorded at the vote for not deciding it first (表决前未逐条研究). "
        "Blank otherwise."
    )

    class Meta:
        model = Comment
        fields = [
            "url",
            "id",
            "bill",
            "consultation",
            "version",
            "channel",
            "point",
            "article",
            "text",
            "corrected",
            "summary",
            "submitted_on",
            "status",
            "status_display",
            "reason",
            "reason_display",
            "explanation",
            "undecided_note",
            "duplicate_of",
            "decided_at",
            "revision",
            "receipt",
            "contributor",
            "created_at",
        ]
        read_only_fields = fields

    def _personal(self, comment: Comment) -> bool:
        request = self.context.get("request")
        return request is not None and access.can_see_personal_data(
            request.user, comment
        )

    def get_undecided_note(self, comment: Comment) -> str:
        if comment.status != Decision.PENDING:
            return ""
        if not hasattr(comment, "vote_undecided_reason"):
            comment.vote_undecided_reason = (
                Vote.objects.filter(bill_id=comment.bill_id)
                .exclude(undecided_reason="")
                .order_by("-pk")
                .values_list("undecided_reason", flat=True)
                .first()
            )
        return undecided_note(comment.status, comment.vote_undecided_reason)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_receipt(self, comment: Comment) -> str | None:
        return comment.receipt if self._personal(comment) else None

    @extend_schema_field(ContributorSerializer(allow_null=True))
    def get_contributor(self, comment: Comment) -> dict | None:
        if not self._personal(comment):
            return None
        try:
            contributor = comment.contributor
        except Contributor.DoesNotExist:
            return None
        return ContributorSerializer(contributor).data


class PlaceSerializer(serializers.Serializer):
    """Where an adopted comment was taken up."""

    article = serializers.IntegerField(
        source="article.pk", allow_null=True, default=None, help_text="Article id."
    )
    label = serializers.CharField(
        source="article.label", default="", help_text="e.g. 第八条"
    )
    version = serializers.IntegerField(
        source="article.version.number",
        allow_null=True,
        default=None,
        help_text="Number of the version the article is in.",
    )
    text = serializers.CharField(source="article.text", default="")
    old_text = serializers.CharField(help_text="The article as commented on.")
    elsewhere = serializers.CharField(
        help_text="Not in the text: what was done instead."
    )


class CommentDetailSerializer(CommentSerializer):
    """A comment, its outcome and where it went into the text."""

    adopted_into = serializers.SerializerMethodField(
        help_text="Where an adopted comment was taken up: articles of a later "
        "version (found again by lineage in any comparison), or what was done "
        "instead."
    )

    class Meta(CommentSerializer.Meta):
        fields = [*CommentSerializer.Meta.fields, "adopted_into"]
        read_only_fields = fields

    @extend_schema_field(PlaceSerializer(many=True))
    def get_adopted_into(self, comment: Comment) -> list[dict]:
        request = self.context.get("request")
        public = request is None or not roles.is_legislative_staff(request.user)
        places = selectors.comment_places([comment.pk], public=public)
        return PlaceSerializer(places.get(comment.pk, []), many=True).data


class CommentRowsSerializer(serializers.BaseSerializer):
    """
    Rows of :func:`selectors.api_comment_rows`, represented exactly as
    :class:`CommentSerializer` represents the comments (the API describes the
    list with that one), without a serializer field per value: what is the same
    for every row (labels, the URL's pattern, the reader's rights) is worked
    out once per page. The comment list is the API's busiest read.
    """

    # A page of rows is a list: many=True is the only use.
    _DATETIME = serializers.DateTimeField()
    _URL_HOLE = 987654321

    @cached_property
    def _page(self) -> dict[str, Any]:
        request = self.context.get("request")
        url = reverse(
            "api:comment-detail",
            kwargs={"pk": self._URL_HOLE},
            request=request,
            format=self.context.get("format"),
        )
        return {
            "url": url.split(str(self._URL_HOLE), 1),
            "status": {value: str(label) for value, label in Decision.choices},
            "reason": {value: str(label) for value, label in Reason.choices},
            "kind": {value: str(label) for value, label in Contributor.Kind.choices},
            "user": getattr(request, "user", None) or AnonymousUser(),
        }

    def _personal(self, row: dict[str, Any]) -> bool:
        # Rows read without the personal columns show none of them.
        return "receipt_code" in row and access.can_see_personal_data(
            self._page["user"], row
        )

    def _datetime(self, value: Any) -> str | None:
        return None if value is None else self._DATETIME.to_representation(value)

    def to_representation(self, row: dict[str, Any]) -> dict[str, Any]:
        page = self._page
        before, after = page["url"]
        point_id, article_id = row["point_id"], row["article_id"]
        number = row["article_number"]
        personal = self._personal(row)
        contributor = None
        if personal and row["contributor_id"] is not None:
            kind = row["contributor_kind"]
            contributor = {
                "name": row["contributor_name"],
                "contact": row["contributor_contact"],
                "affiliation": row["contributor_affiliation"],
                "kind": kind,
                "kind_display": page["kind"].get(kind, kind),
            }
        status, reason = row["status"], row["reason"]
        submitted_on = row["submitted_on"]
        return {
            "url": f"{before}{row['id']}{after}",
            "id": row["id"],
            "bill": row["bill_slug"],
            "consultation": row["consultation_id"],
            "version": row["version_number"],
            "channel": row["channel"],
            "point": None
            if point_id is None
            else {"id": point_id, "name": row["point_name"]},
            "article": None
            if article_id is None
            else {
                "id": article_id,
                "number": number,
                "label": article_label(number),
            },
            "text": row["text"],
            "corrected": row["corrected"],
            "summary": row["summary"],
            "submitted_on": None if submitted_on is None else submitted_on.isoformat(),
            "status": status,
            "status_display": page["status"].get(status, status),
            "reason": reason,
            "reason_display": page["reason"].get(reason, reason),
            "explanation": row["explanation"],
            "undecided_note": undecided_note(status, row["vote_undecided_reason"]),
            "duplicate_of": row["duplicate_of_id"],
            "decided_at": self._datetime(row["decided_at"]),
            "revision": row["revision"],
            "receipt": format_receipt_code(row["receipt_code"]) if personal else None,
            "contributor": contributor,
            "created_at": self._datetime(row["created_at"]),
        }


class CommentRevisionSerializer(serializers.ModelSerializer):
    """One wording of a comment's text: the original (number 1) or a correction."""

    recorded_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = CommentRevision
        fields = ["number", "text", "reason", "recorded_by", "recorded_at"]
        read_only_fields = fields


class ContributorInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    contact = serializers.CharField(max_length=100, required=False, allow_blank=True)
    affiliation = serializers.CharField(
        max_length=200, required=False, allow_blank=True
    )
    kind = serializers.ChoiceField(choices=Contributor.Kind.choices, required=False)


def contributor_changes(data: dict[str, Any] | None) -> dict[str, str]:
    """Spell a nested contributor as the services' ``contributor_<field>`` kwargs."""
    return {f"contributor_{name}": value for name, value in (data or {}).items()}


class EnterCommentSerializer(serializers.Serializer):
    """Enter one comment made in a consultation, with who made it."""

    consultation = serializers.PrimaryKeyRelatedField(
        queryset=Consultation.objects.all()
    )
    text = serializers.CharField(max_length=100_000, help_text="As given (原汁原味).")
    summary = serializers.CharField(
        max_length=100_000, required=False, allow_blank=True, default=""
    )
    submitted_on = serializers.DateField(required=False, allow_null=True)
    article = serializers.PrimaryKeyRelatedField(
        queryset=Article.objects.all(),
        required=False,
        allow_null=True,
        help_text="Id of the article commented on (of the consultation's version).",
    )
    contributor = ContributorInputSerializer(required=False)


class EditCommentSerializer(serializers.Serializer):
    """Correct a comment; send only what changes."""

    text = serializers.CharField(max_length=100_000, required=False)
    summary = serializers.CharField(
        max_length=100_000, required=False, allow_blank=True
    )
    submitted_on = serializers.DateField(required=False, allow_null=True)
    article = serializers.PrimaryKeyRelatedField(
        queryset=Article.objects.all(), required=False, allow_null=True
    )
    contributor = ContributorInputSerializer(required=False)
    reason = serializers.CharField(
        max_length=1000,
        required=False,
        allow_blank=True,
        help_text="Why the text is corrected: required with a new text (400 "
        "invalid_comment otherwise). The text as first recorded is kept.",
    )
    revision = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The revision you read; stale: 409 (or send If-Match: 412).",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not set(attrs) - {"revision", "reason"}:
            raise serializers.ValidationError(_("没有要修改的内容。"))
        return attrs


class MoveCommentSerializer(serializers.Serializer):
    """Move a comment into another consultation on the same bill."""

    consultation = serializers.PrimaryKeyRelatedField(
        queryset=Consultation.objects.all(),
        help_text="The consultation the comment belongs in.",
    )
    revision = serializers.IntegerField(required=False, min_value=1)
