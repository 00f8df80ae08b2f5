"""Liaison points: read by all, kept by administrators."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from npc.core import roles
from npc.core.apiviews import refused

from ...models import LiaisonPoint
from ..permissions import AdministratorOrReadOnly
from ..serializers import LiaisonPointSerializer, WriteLiaisonPointSerializer

NAME_TAKEN = refused("Another liaison point has the name.")


@extend_schema_view(
    list=extend_schema(summary="List the liaison points"),
    retrieve=extend_schema(summary="Read a liaison point"),
    create=extend_schema(
        summary="Add a liaison point",
        request=WriteLiaisonPointSerializer,
        responses={201: LiaisonPointSerializer, 409: NAME_TAKEN},
    ),
    update=extend_schema(
        summary="Replace a liaison point",
        request=WriteLiaisonPointSerializer,
        responses={200: LiaisonPointSerializer, 409: NAME_TAKEN},
    ),
    partial_update=extend_schema(
        summary="Change a liaison point",
        request=WriteLiaisonPointSerializer,
        responses={200: LiaisonPointSerializer, 409: NAME_TAKEN},
    ),
    destroy=extend_schema(
        summary="Delete a liaison point",
        responses={204: None, 409: refused("Consultations or comments refer to it.")},
    ),
)
class LiaisonPointViewSet(viewsets.ModelViewSet):
    """Grassroots legislative liaison points: read by all, kept by administrators."""

    permission_classes = [AdministratorOrReadOnly]
    filterset_fields = ["district", "host_kind", "is_active"]
    ordering_fields = ["name", "district"]
    ordering = ["district", "name", "pk"]

    def get_queryset(self) -> QuerySet[LiaisonPoint]:
        points = LiaisonPoint.objects.order_by(*self.ordering)
        if roles.is_admin(self.request.user):
            points = points.prefetch_related("clerks")
        return points

    def get_serializer_class(self) -> type:
        if self.request.method in ("POST", "PUT", "PATCH"):
            return WriteLiaisonPointSerializer
        return LiaisonPointSerializer

    def _present(self, point: LiaisonPoint, code: int) -> Response:
        point = self.get_queryset().get(pk=point.pk)
        data = LiaisonPointSerializer(point, context=self.get_serializer_context()).data
        return Response(data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        point = serializer.save()
        return self._present(point, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(
            self.get_object(), data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        point = serializer.save()
        return self._present(point, status.HTTP_200_OK)
