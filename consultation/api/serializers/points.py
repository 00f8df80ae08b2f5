"""Liaison points: as read (with what only some may see), as kept, as referred to."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from npc.core import roles

from ...models import LiaisonPoint


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
