"""A bill as read, as listed in the plan, and as its details are changed."""

from __future__ import annotations

from django.core.validators import validate_unicode_slug
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ...models import BILL_EDITABLE_FIELDS, Bill, Stage
from .search import ArticleMatchSerializer


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


class BillListSerializer(BillSerializer):
    """A bill in a list, with the articles a search (``q``) found in it."""

    matches = ArticleMatchSerializer(
        many=True,
        source="search_matches",
        read_only=True,
        help_text="With `q`: the articles of the bill's latest published version "
        "holding any of the words, those holding the most first, three at most; "
        "empty otherwise.",
    )

    class Meta(BillSerializer.Meta):
        fields = [*BillSerializer.Meta.fields, "matches"]
        read_only_fields = fields


def _unicode_slug(value: str) -> None:
    """Letters (Chinese too), digits, hyphens and underscores only."""
    # Wrapped, so that the OpenAPI description carries no regex pattern: JSON
    # Schema patterns are ECMA-262, where \w is ASCII only.
    validate_unicode_slug(value)


@extend_schema_field({"type": "string", "format": "unicode-slug"})
class UnicodeSlugField(serializers.CharField):
    r"""
    A slug of Unicode letters, digits, hyphens and underscores (Python's
    ``[-\w]+``), described as the format ``unicode-slug``: no ECMA-262 pattern
    says it, and without one any string looked valid.
    """

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("validators", [_unicode_slug])
        super().__init__(**kwargs)


def _bill_fields(*, required: bool) -> dict[str, serializers.Field]:
    """
    The editable fields of a bill (``models.BILL_EDITABLE_FIELDS``) and the
    readings planned, as input; all optional when updating.
    """
    declared = {
        "title": serializers.CharField(
            max_length=200, required=required, label=_("标题")
        ),
        "slug": UnicodeSlugField(
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
