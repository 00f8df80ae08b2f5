"""
Serializers of the legislation API.

Output serializers are named after the noun (``BillSerializer``), input ones after
the act (``AdvanceBillSerializer``). They check shape only: whether a move, a vote
or a text is acceptable is for ``legislation.services`` to say.
"""

from __future__ import annotations

from django.core.validators import validate_unicode_slug
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..acts import SIDE_ACTS
from ..models import (
    BILL_EDITABLE_FIELDS,
    Article,
    Bill,
    BillEvent,
    Chapter,
    Document,
    DraftVersion,
    Item,
    Meeting,
    Paragraph,
    Section,
    Stage,
    Vote,
)

# --- meetings ----------------------------------------------------------------


class MeetingSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    short_name = serializers.CharField(read_only=True)
    members = serializers.IntegerField(
        label=_("组成人员总数"), min_value=1, max_value=1000
    )
    term = serializers.IntegerField(label=_("届次"), min_value=1, max_value=100)
    number = serializers.IntegerField(label=_("会次"), min_value=1, max_value=1000)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "term",
            "number",
            "date",
            "members",
            "place",
            "name",
            "short_name",
        ]


class MeetingRefSerializer(serializers.ModelSerializer):
    """A meeting as other resources mention it."""

    short_name = serializers.CharField(read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "date", "short_name"]
        read_only_fields = fields


# --- bills -------------------------------------------------------------------


class BillSerializer(serializers.ModelSerializer):
    """A bill as anyone allowed to see it reads it."""

    url = serializers.HyperlinkedIdentityField(
        view_name="api:bill-detail", lookup_field="slug"
    )
    slug = serializers.CharField(read_only=True, help_text="May be Chinese.")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    sponsor_display = serializers.CharField(
        source="get_sponsor_display", read_only=True
    )
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    next_stages = serializers.SerializerMethodField(
        help_text="The stages this bill may move to next (DESIGN §1)."
    )

    class Meta:
        model = Bill
        fields = [
            "url",
            "slug",
            "title",
            "kind",
            "kind_display",
            "sponsor",
            "sponsor_display",
            "sponsor_detail",
            "drafting_body",
            "committee",
            "plan_year",
            "planned_readings",
            "stage",
            "stage_display",
            "next_stages",
            "summary",
            "is_published",
            "announcement_number",
            "effective_on",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=Stage.choices))
    )
    def get_next_stages(self, bill: Bill) -> list[str]:
        return [s.value for s in Stage if s in bill.next_stages]


def _unicode_slug(value: str) -> None:
    """Letters (Chinese too), digits, hyphens and underscores only."""
    # Wrapped, so that the OpenAPI description carries no regex pattern: JSON
    # Schema patterns are ECMA-262, where \w is ASCII only.
    validate_unicode_slug(value)


def _bill_fields(*, required: bool) -> dict[str, serializers.Field]:
    """
    The editable fields of a bill (``models.BILL_EDITABLE_FIELDS``) and the
    readings planned, as input; all optional when updating.
    """
    declared = {
        "title": serializers.CharField(
            max_length=200, required=required, label=_("标题")
        ),
        "slug": serializers.CharField(
            validators=[_unicode_slug],
            max_length=200,
            required=False,
            label=_("网址标识"),
            help_text="Letters (Chinese too), digits, hyphens; made from the title "
            "when left out.",
        ),
        "kind": serializers.ChoiceField(
            choices=Bill.Kind.choices, required=False, label=_("类别")
        ),
        "sponsor": serializers.ChoiceField(
            choices=Bill.Sponsor.choices, required=False, label=_("提案人")
        ),
        "sponsor_detail": serializers.CharField(
            max_length=200, required=False, allow_blank=True
        ),
        "drafting_body": serializers.CharField(
            max_length=200, required=False, allow_blank=True
        ),
        "committee": serializers.CharField(
            max_length=200, required=False, allow_blank=True
        ),
        "plan_year": serializers.IntegerField(
            min_value=1949, max_value=2999, required=required, label=_("立法计划年度")
        ),
        "planned_readings": serializers.IntegerField(
            min_value=1, max_value=3, required=False, label=_("计划审议次数")
        ),
        "summary": serializers.CharField(required=False, allow_blank=True),
        "is_published": serializers.BooleanField(required=False),
    }
    wanted = {*BILL_EDITABLE_FIELDS, "planned_readings"}
    return {name: field for name, field in declared.items() if name in wanted}


class CreateBillSerializer(serializers.Serializer):
    """List a bill in the legislative plan."""

    on = serializers.DateField(
        required=False,
        help_text="Date the bill entered the plan; 1 January of the plan year "
        "when left out.",
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = _bill_fields(required=True)
        fields.update(super().get_fields())
        return fields


class UpdateBillSerializer(serializers.Serializer):
    """Change a bill's details (not its stage); send only what changes."""

    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The bill version you read; a stale one gets 409. Or send it "
        "as If-Match (the ETag), which gets 412.",
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = _bill_fields(required=False)
        fields.update(super().get_fields())
        return fields

    def validate(self, attrs: dict) -> dict:
        if not set(attrs) - {"version"}:
            raise serializers.ValidationError(_("没有要修改的内容。"))
        return attrs


def _stage_or_blank(help_text: str) -> serializers.ChoiceField:
    # Declared, not generated: a generated read-only field loses allow_blank, and
    # the description would then refuse the empty value these fields do hold.
    return serializers.ChoiceField(
        choices=Stage.choices, allow_blank=True, read_only=True, help_text=help_text
    )


class BillEventSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    from_stage = _stage_or_blank("Empty for an event that changes no stage.")
    to_stage = _stage_or_blank("Empty for an event that changes no stage.")
    from_stage_display = serializers.CharField(
        source="get_from_stage_display", read_only=True
    )
    to_stage_display = serializers.CharField(
        source="get_to_stage_display", read_only=True
    )
    meeting = MeetingRefSerializer(read_only=True, allow_null=True)
    version = serializers.SlugRelatedField(
        slug_field="number",
        read_only=True,
        allow_null=True,
        help_text="Number of the draft version the event concerns.",
    )
    corrects = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = BillEvent
        fields = [
            "id",
            "kind",
            "kind_display",
            "on",
            "from_stage",
            "from_stage_display",
            "to_stage",
            "to_stage_display",
            "meeting",
            "version",
            "note",
            "corrects",
            "recorded_at",
        ]
        read_only_fields = fields


class AdvanceBillSerializer(serializers.Serializer):
    """Move a bill to its next stage (every move but the vote)."""

    to = serializers.ChoiceField(choices=Stage.choices, label=_("目标阶段"))
    on = serializers.DateField(
        required=False, help_text="Date of the step; a reading takes its meeting's."
    )
    meeting = serializers.PrimaryKeyRelatedField(
        queryset=Meeting.objects.all(),
        required=False,
        allow_null=True,
        help_text="Meeting id; required for a reading.",
    )
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=32767,
        help_text="Number of the draft version read at a reading.",
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Note; the reason, for a withdrawal or termination.",
    )
    announcement_number = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=50
    )
    effective_on = serializers.DateField(
        required=False, allow_null=True, help_text="Required for promulgation."
    )


class RecordVoteSerializer(serializers.Serializer):
    """Record the vote on a bill at a meeting."""

    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.all())
    yes = serializers.IntegerField(min_value=0, max_value=32767, label=_("赞成"))
    no = serializers.IntegerField(min_value=0, max_value=32767, label=_("反对"))
    abstain = serializers.IntegerField(min_value=0, max_value=32767, label=_("弃权"))
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=32767,
        help_text="Number of the draft version voted on (表决稿).",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class VoteSerializer(serializers.ModelSerializer):
    meeting = MeetingRefSerializer(read_only=True)
    not_voting = serializers.IntegerField(read_only=True)
    carried = serializers.BooleanField(
        read_only=True, help_text="More than half of ALL members voted yes."
    )

    class Meta:
        model = Vote
        fields = [
            "id",
            "meeting",
            "members",
            "yes",
            "no",
            "abstain",
            "not_voting",
            "carried",
            "event",
            "recorded_at",
        ]
        read_only_fields = fields


# --- draft versions ------------------------------------------------------------


class DraftVersionSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = DraftVersion
        fields = [
            "url",
            "number",
            "kind",
            "kind_display",
            "title",
            "date",
            "is_published",
            "numbering_confirmed",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, version: DraftVersion) -> str:
        from django.urls import reverse

        path = reverse(
            "api:bill-version-detail",
            kwargs={"slug": version.bill.slug, "number": version.number},
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = ["number", "text"]
        read_only_fields = fields


class ParagraphSerializer(serializers.ModelSerializer):
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = Paragraph
        fields = ["position", "text", "items"]
        read_only_fields = fields


class ChapterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Chapter
        fields = ["id", "number", "title"]
        read_only_fields = fields


class SectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["id", "chapter", "number", "title"]
        read_only_fields = fields


class ArticleSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text="e.g. 第十二条")
    paragraphs = ParagraphSerializer(many=True, read_only=True)

    class Meta:
        model = Article
        fields = [
            "id",
            "number",
            "label",
            "heading",
            "chapter",
            "section",
            "text",
            "lineage",
            "predecessor",
            "paragraphs",
        ]
        read_only_fields = fields


class DraftVersionDetailSerializer(DraftVersionSerializer):
    """A version with its whole structure (load it with ``selectors.version_text``)."""

    preamble = serializers.CharField(read_only=True)
    chapters = ChapterSerializer(many=True, read_only=True)
    sections = SectionSerializer(many=True, read_only=True)
    articles = ArticleSerializer(many=True, read_only=True)

    class Meta(DraftVersionSerializer.Meta):
        fields = [
            *DraftVersionSerializer.Meta.fields,
            "preamble",
            "chapters",
            "sections",
            "articles",
        ]
        read_only_fields = fields


class AddDraftVersionSerializer(serializers.Serializer):
    """Add the next version of a bill's text."""

    text = serializers.CharField(
        max_length=1_000_000,
        help_text="The whole text; articles start with 第一条, 第二条 …",
    )
    title = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(
        choices=DraftVersion.Kind.choices, default=DraftVersion.Kind.DRAFT
    )
    date = serializers.DateField()
    confirm_numbering = serializers.BooleanField(
        default=False,
        help_text="Save even though the numbering has problems (listed in the 400 "
        "answer with code draft_numbering_problems).",
    )
    is_published = serializers.BooleanField(default=False)


class PublishVersionSerializer(serializers.Serializer):
    is_published = serializers.BooleanField()


# --- comparison ----------------------------------------------------------------


class ComparedArticleSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="key")
    number = serializers.IntegerField()
    text = serializers.CharField()


class SegmentSerializer(serializers.Serializer):
    op = serializers.ChoiceField(choices=["equal", "insert", "delete"])
    text = serializers.CharField()


class ComparisonRowSerializer(serializers.Serializer):
    """One line of the comparison table (修改对照表)."""

    status = serializers.ChoiceField(
        choices=["unchanged", "changed", "added", "deleted", "renumbered"]
    )
    old = ComparedArticleSerializer(allow_null=True)
    new = ComparedArticleSerializer(allow_null=True)
    renumbered = serializers.BooleanField()
    moved = serializers.BooleanField()
    similarity = serializers.FloatField()
    old_segments = SegmentSerializer(many=True)
    new_segments = SegmentSerializer(many=True)


class ComparisonSerializer(serializers.Serializer):
    old = DraftVersionSerializer(source="old_version")
    new = DraftVersionSerializer(source="new_version")
    rows = ComparisonRowSerializer(many=True)


class CompareQuerySerializer(serializers.Serializer):
    """Which two versions to compare, by number; the latest two when left out."""

    from_ = serializers.IntegerField(required=False, min_value=1, max_value=32767)
    to = serializers.IntegerField(required=False, min_value=1, max_value=32767)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


# --- acts that change no stage ---------------------------------------------------

BILL_VERSION_HELP = (
    "The bill version you read; a stale one gets 409. Or send it as If-Match "
    "(the ETag), which gets 412."
)


class RecordActSerializer(serializers.Serializer):
    """Which act: the rest of the body is that act's (see the act serializers)."""

    act = serializers.ChoiceField(choices=[(a, a) for a in SIDE_ACTS])


class _ActSerializer(serializers.Serializer):
    """The fields every act shares: the act's name, a note, the bill's version."""

    act_name = ""

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = {
            "act": serializers.ChoiceField(
                choices=[(self.act_name, self.act_name)],
                help_text="Names the act (the body's discriminator).",
            )
        }
        fields.update(super().get_fields())
        fields["note"] = serializers.CharField(
            required=False, allow_blank=True, default="", max_length=10_000
        )
        fields["bill_version"] = serializers.IntegerField(
            required=False, min_value=1, help_text=BILL_VERSION_HELP
        )
        return fields


class RecordUnifiedReviewSerializer(_ActSerializer):
    """The legislative affairs committee's unified review (统一审议), during readings."""

    act_name = "unified_review"
    on = serializers.DateField(label=_("日期"))
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=32767,
        help_text="Number of the draft version the review produced or concerns.",
    )


class DeferVoteSerializer(_ActSerializer):
    """The meeting decided not to put the bill to the vote yet (暂不付表决)."""

    act_name = "defer_vote"
    meeting = serializers.PrimaryKeyRelatedField(
        queryset=Meeting.objects.all(), help_text="Meeting id."
    )


class RecordFilingSerializer(_ActSerializer):
    """The regulation was sent for filing (备案), once, after promulgation."""

    act_name = "filing"
    on = serializers.DateField(label=_("日期"))


class ChangePlannedReadingsSerializer(_ActSerializer):
    """Change how many readings the bill will have, until the vote."""

    act_name = "planned_readings"
    planned_readings = serializers.IntegerField(
        min_value=1, max_value=3, label=_("计划审议次数")
    )


class CorrectEventSerializer(_ActSerializer):
    """Correct a timeline entry: the entry stays, the correction is appended."""

    act_name = "correction"
    event = serializers.PrimaryKeyRelatedField(
        queryset=BillEvent.objects.none(), help_text="Id of an event of this bill."
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        bill = self.context.get("bill")
        if bill is not None:
            fields["event"].queryset = bill.events.all()
        fields["note"] = serializers.CharField(
            max_length=10_000, label=_("更正内容"), help_text="What is corrected."
        )
        return fields


ACT_SERIALIZERS: dict[str, type[_ActSerializer]] = {
    s.act_name: s
    for s in (
        RecordUnifiedReviewSerializer,
        DeferVoteSerializer,
        RecordFilingSerializer,
        ChangePlannedReadingsSerializer,
        CorrectEventSerializer,
    )
}  # one for each of acts.SIDE_ACTS (tests/api/test_acts.py checks it)


# --- documents -------------------------------------------------------------------


class DocumentSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    stage = _stage_or_blank("The bill's stage when the document was attached.")
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    meeting = MeetingRefSerializer(read_only=True, allow_null=True)
    version = serializers.SlugRelatedField(
        slug_field="number",
        read_only=True,
        allow_null=True,
        help_text="Number of the draft version the document concerns.",
    )
    file_url = serializers.SerializerMethodField(help_text="The attached file, if any.")

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "kind_display",
            "title",
            "date",
            "stage",
            "stage_display",
            "meeting",
            "version",
            "text",
            "file_url",
            "is_published",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_file_url(self, document: Document) -> str | None:
        if not document.file:
            return None
        request = self.context.get("request")
        url = document.file.url
        return request.build_absolute_uri(url) if request else url


class AddDocumentSerializer(serializers.Serializer):
    """Attach a document to the bill: its text, an uploaded file, or both."""

    kind = serializers.ChoiceField(choices=Document.Kind.choices, label=_("类别"))
    title = serializers.CharField(max_length=300, label=_("标题"))
    date = serializers.DateField(label=_("日期"))
    text = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=1_000_000
    )
    file = serializers.FileField(
        required=False, allow_null=True, help_text="Multipart requests only."
    )
    meeting = serializers.PrimaryKeyRelatedField(
        queryset=Meeting.objects.all(), required=False, allow_null=True
    )
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=32767,
        help_text="Number of the draft version the document concerns.",
    )
    is_published = serializers.BooleanField(
        default=True,
        help_text="Published documents show on the public site and the timeline.",
    )
    bill_version = serializers.IntegerField(
        required=False, min_value=1, help_text=BILL_VERSION_HELP
    )

    def validate(self, attrs: dict) -> dict:
        if not attrs.get("text", "").strip() and not attrs.get("file"):
            raise serializers.ValidationError(_("请填写正文或上传附件。"))
        return attrs


# --- alignment of articles ---------------------------------------------------------


class AlignArticleSerializer(serializers.Serializer):
    """Say which article of an earlier version this article continues."""

    predecessor = serializers.PrimaryKeyRelatedField(
        queryset=Article.objects.select_related("version"),
        allow_null=True,
        help_text="Id of the article of an earlier version of this bill that this "
        "article continues; null for a new article.",
    )
    bill_version = serializers.IntegerField(
        required=False, min_value=1, help_text=BILL_VERSION_HELP
    )


class ArticleAlignmentSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text="e.g. 第十二条")

    class Meta:
        model = Article
        fields = [
            "id",
            "number",
            "label",
            "lineage",
            "predecessor",
            "similarity",
            "aligned_by_hand",
        ]
        read_only_fields = fields
