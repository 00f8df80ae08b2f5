"""
Serializers of the consultation API.

Output serializers choose fields by the access rules of DESIGN §2: who made a
comment (``contributor``) and its receipt code, which belongs to the contributor,
are filled in only for those ``access.can_see_personal_data`` admits, and are null
for everyone else. Input serializers check shape; the services decide.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from legislation.filters import MAX_INTEGER
from legislation.models import Article, Bill
from legislation.numerals import article_label
from legislation.selectors import visible_bills, visible_versions
from npc.core import roles

from .. import access
from ..models import (
    Channel,
    Comment,
    Consultation,
    Contributor,
    Decision,
    District,
    Feedback,
    ImportBatch,
    LiaisonPoint,
    Reason,
    format_receipt_code,
)

# --- liaison points ------------------------------------------------------------


class LiaisonPointSerializer(serializers.ModelSerializer):
    """
    A liaison point. Its contact person and phone are for internal users, the
    clerks assigned to it for administrators; others read null there.
    """

    url = serializers.HyperlinkedIdentityField(view_name="api:liaison-point-detail")
    district_display = serializers.CharField(
        source="get_district_display", read_only=True
    )
    host_kind_display = serializers.CharField(
        source="get_host_kind_display", read_only=True
    )
    contact_name = serializers.SerializerMethodField()
    contact_phone = serializers.SerializerMethodField()
    clerks = serializers.SerializerMethodField(
        help_text="User ids of the point's clerks (administrators only)."
    )

    class Meta:
        model = LiaisonPoint
        fields = [
            "url",
            "id",
            "name",
            "district",
            "district_display",
            "host_kind",
            "host_kind_display",
            "address",
            "contact_name",
            "contact_phone",
            "is_active",
            "clerks",
        ]
        read_only_fields = fields

    @property
    def _user(self) -> Any:
        return getattr(self.context.get("request"), "user", None)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_contact_name(self, point: LiaisonPoint) -> str | None:
        return point.contact_name if roles.is_internal(self._user) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_contact_phone(self, point: LiaisonPoint) -> str | None:
        return point.contact_phone if roles.is_internal(self._user) else None

    @extend_schema_field(
        serializers.ListField(child=serializers.IntegerField(), allow_null=True)
    )
    def get_clerks(self, point: LiaisonPoint) -> list[int] | None:
        if not roles.is_admin(self._user):
            return None
        return sorted(user.pk for user in point.clerks.all())


class WriteLiaisonPointSerializer(serializers.ModelSerializer):
    """A liaison point as administrators keep it (plain CRUD)."""

    clerks = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=get_user_model().objects.filter(groups__name=roles.LIAISON_CLERK),
        help_text="User ids of the point's clerks (users with the clerk role).",
    )

    class Meta:
        model = LiaisonPoint
        fields = [
            "name",
            "district",
            "host_kind",
            "address",
            "contact_name",
            "contact_phone",
            "is_active",
            "clerks",
        ]


class PointRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = LiaisonPoint
        fields = ["id", "name"]
        read_only_fields = fields


# --- consultations -------------------------------------------------------------


class ConsultationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:consultation-detail")
    bill = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    bill_title = serializers.CharField(source="bill.title", read_only=True)
    version = serializers.SlugRelatedField(
        slug_field="number",
        read_only=True,
        help_text="Number of the draft version consulted on.",
    )
    channel_display = serializers.CharField(
        source="get_channel_display", read_only=True
    )
    point = PointRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Consultation
        fields = [
            "url",
            "id",
            "bill",
            "bill_title",
            "version",
            "channel",
            "channel_display",
            "point",
            "title",
            "held_on",
            "opens_on",
            "closes_on",
            "place",
            "participants",
            "summary",
            "is_published",
            "revision",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class _ConsultationInput(serializers.Serializer):
    """The fields of a consultation as staff or a clerk record them."""

    bill = serializers.SlugRelatedField(
        slug_field="slug", queryset=Bill.objects.none(), help_text="The bill's slug."
    )
    version = serializers.IntegerField(
        min_value=1,
        max_value=32767,
        help_text="Number of the bill's draft version consulted on.",
    )
    channel = serializers.ChoiceField(choices=Channel.choices)
    point = serializers.PrimaryKeyRelatedField(
        queryset=LiaisonPoint.objects.all(), required=False, allow_null=True
    )
    title = serializers.CharField(max_length=300)
    held_on = serializers.DateField(required=False, allow_null=True)
    opens_on = serializers.DateField(required=False, allow_null=True)
    closes_on = serializers.DateField(required=False, allow_null=True)
    place = serializers.CharField(max_length=300, required=False, allow_blank=True)
    participants = serializers.IntegerField(
        min_value=0, max_value=1_000_000, required=False
    )
    summary = serializers.CharField(
        max_length=100_000, required=False, allow_blank=True
    )
    is_published = serializers.BooleanField(required=False)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["bill"].queryset = visible_bills(request.user)
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Turn the version number into the bill's version (400 if none)."""
        if "version" in attrs:
            bill = attrs.get("bill") or self.context.get("consultation_bill")
            request = self.context["request"]
            version = (
                visible_versions(request.user, bill)
                .filter(number=attrs["version"])
                .first()
            )
            if version is None:
                raise serializers.ValidationError(
                    {"version": [_("该法规案没有这个草案文本。")]}
                )
            attrs["version"] = version
        return attrs


class RecordConsultationSerializer(_ConsultationInput):
    """Record a consultation: a meeting (held_on) or a period (opens/closes on)."""


class UpdateConsultationSerializer(_ConsultationInput):
    """Change a consultation's details; send only what changes."""

    revision = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The revision you read; stale: 409 (or send If-Match: 412).",
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for name, field in fields.items():
            if name != "revision":
                field.required = False
        return fields


# --- comments ------------------------------------------------------------------


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
            "summary",
            "submitted_on",
            "status",
            "status_display",
            "reason",
            "reason_display",
            "explanation",
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
            "summary": row["summary"],
            "submitted_on": None if submitted_on is None else submitted_on.isoformat(),
            "status": status,
            "status_display": page["status"].get(status, status),
            "reason": reason,
            "reason_display": page["reason"].get(reason, reason),
            "explanation": row["explanation"],
            "duplicate_of": row["duplicate_of_id"],
            "decided_at": self._datetime(row["decided_at"]),
            "revision": row["revision"],
            "receipt": format_receipt_code(row["receipt_code"]) if personal else None,
            "contributor": contributor,
            "created_at": self._datetime(row["created_at"]),
        }


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
    revision = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The revision you read; stale: 409 (or send If-Match: 412).",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not set(attrs) - {"revision"}:
            raise serializers.ValidationError(_("没有要修改的内容。"))
        return attrs


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
        "is written (409).",
    )

    def validate_revisions(self, value: dict[str, int]) -> dict[int, int]:
        try:
            return {int(key): revision for key, revision in value.items()}
        except ValueError as exc:
            raise serializers.ValidationError(_("键须为意见编号。")) from exc


class BulkDecisionResultSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    comments = serializers.ListField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text="[{id, revision}] of each comment decided.",
    )


# --- feedback ------------------------------------------------------------------


class RecordFeedbackSerializer(serializers.Serializer):
    """Record that contributors (or their point) were told what became of comments."""

    comments = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_INTEGER),
        min_length=1,
        max_length=10_000,
        help_text="Ids of the comments the feedback covers.",
    )
    channel = serializers.ChoiceField(choices=Feedback.Channel.choices)
    given_on = serializers.DateField()
    text = serializers.CharField(
        max_length=100_000, required=False, allow_blank=True, default=""
    )
    point = serializers.PrimaryKeyRelatedField(
        queryset=LiaisonPoint.objects.all(),
        required=False,
        allow_null=True,
        help_text="The point the feedback went through, if any.",
    )


class FeedbackSerializer(serializers.ModelSerializer):
    channel_display = serializers.CharField(
        source="get_channel_display", read_only=True
    )
    comments = serializers.SerializerMethodField()

    class Meta:
        model = Feedback
        fields = [
            "id",
            "channel",
            "channel_display",
            "given_on",
            "text",
            "point",
            "comments",
            "recorded_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_comments(self, feedback: Feedback) -> list[int]:
        return sorted(c.pk for c in feedback.comments.all())


# --- imports -------------------------------------------------------------------


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="Spreadsheet row.")
    column = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class ImportBatchSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:import-detail")
    status_display = serializers.CharField(source="get_state_display", read_only=True)
    stalled = serializers.BooleanField(
        read_only=True,
        help_text="Running, but its worker went silent: being retried on its own.",
    )
    progress = serializers.IntegerField(read_only=True, help_text="Per cent.")
    errors = ImportErrorSerializer(many=True, read_only=True)

    class Meta:
        model = ImportBatch
        fields = [
            "url",
            "id",
            "consultation",
            "original_name",
            "status",
            "status_display",
            "stalled",
            "total_rows",
            "processed_rows",
            "progress",
            "created_count",
            "error_count",
            "errors",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class StartImportSerializer(serializers.Serializer):
    """A CSV or XLSX file of comments for one consultation (multipart)."""

    file = serializers.FileField(help_text="CSV (UTF-8 or GB18030) or XLSX.")
    consultation = serializers.PrimaryKeyRelatedField(
        queryset=Consultation.objects.all()
    )
    different_comments = serializers.BooleanField(
        default=False,
        help_text="Import even though a file with the same content was imported "
        "into the consultation before (the clerk confirms it holds other comments).",
    )


# --- receipts and statistics -------------------------------------------------------


class ReceiptSerializer(serializers.Serializer):
    """What a receipt code tells anyone: the comment and its outcome, no one's name."""

    code = serializers.CharField()
    bill_title = serializers.CharField()
    bill_slug = serializers.CharField()
    version_title = serializers.CharField()
    article_label = serializers.CharField(allow_blank=True)
    text = serializers.CharField()
    submitted_on = serializers.DateField()
    status = serializers.ChoiceField(choices=Decision.choices)
    status_label = serializers.CharField()
    reason_label = serializers.CharField(allow_blank=True)
    explanation = serializers.CharField(allow_blank=True)
    decided_on = serializers.DateField(allow_null=True)
    channel_label = serializers.CharField()


class GroupCountSerializer(serializers.Serializer):
    key = serializers.JSONField(allow_null=True, help_text="A value, or null: none.")
    label = serializers.CharField(allow_blank=True)
    count = serializers.IntegerField()
    adoption_rate = serializers.FloatField(allow_null=True, required=False)


class CommentStatsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    decided = serializers.IntegerField()
    adopted = serializers.IntegerField()
    partially_adopted = serializers.IntegerField()
    adoption_rate = serializers.FloatField(allow_null=True)
    by_status = GroupCountSerializer(many=True)
    by_channel = GroupCountSerializer(many=True)
    by_point = GroupCountSerializer(many=True)
    by_article = GroupCountSerializer(many=True)
    by_kind = GroupCountSerializer(many=True)


class PointStatsSerializer(serializers.Serializer):
    point = PointRefSerializer()
    district = serializers.ChoiceField(
        source="point.district", choices=District.choices
    )
    consultations = serializers.IntegerField()
    participants = serializers.IntegerField()
    comments = serializers.IntegerField()
    adopted = serializers.IntegerField()
    decided = serializers.IntegerField()
    adoption_rate = serializers.FloatField(allow_null=True)


class HeadlineSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    liaison_points = serializers.IntegerField()
    symposia = serializers.IntegerField()
    consultations = serializers.IntegerField()
    comments = serializers.IntegerField()
    regulations = serializers.IntegerField()
    adoption_rate = serializers.FloatField(allow_null=True)


class StatsSerializer(serializers.Serializer):
    headline = HeadlineSerializer()
    comments = CommentStatsSerializer()
    points = PointStatsSerializer(many=True)


class StatsQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False, min_value=1949, max_value=2999, help_text="Default: this year."
    )
    bill = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Bill.objects.published(),
        required=False,
        help_text="Count one published bill's comments only.",
    )


# --- open data -------------------------------------------------------------------


class OpenDataEventSerializer(serializers.Serializer):
    on = serializers.DateField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    from_stage = serializers.CharField(allow_blank=True)
    to_stage = serializers.CharField(allow_blank=True)
    meeting = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)


class OpenDataVersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    date = serializers.DateField()


class OpenDataOutcomesSerializer(serializers.Serializer):
    """How many of the bill's published comments got each outcome."""

    total = serializers.IntegerField()

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for value, label in Decision.choices:
            fields[value] = serializers.IntegerField(label=label)
        return fields


class OpenDataBillSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField()
    sponsor = serializers.CharField()
    plan_year = serializers.IntegerField()
    planned_readings = serializers.IntegerField()
    stage = serializers.CharField()
    stage_label = serializers.CharField()
    announcement_number = serializers.CharField(allow_blank=True)
    effective_on = serializers.DateField(allow_null=True)
    url = serializers.URLField(help_text="The bill's public page.")
    api_url = serializers.URLField()
    events = OpenDataEventSerializer(many=True)
    versions = OpenDataVersionSerializer(many=True)
    comments = OpenDataOutcomesSerializer()


class OpenDataSerializer(serializers.Serializer):
    generated_at = serializers.DateTimeField()
    bills = OpenDataBillSerializer(many=True)
