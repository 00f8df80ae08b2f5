"""The API's OpenAPI description: what each operation needs, as it really is."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from drf_spectacular import openapi
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from rest_framework.request import Request


class AutoSchema(openapi.AutoSchema):
    """
    drf-spectacular's schema, knowing which operations anyone may call.

    drf-spectacular marks authentication optional only for DRF's own AllowAny
    and IsAuthenticatedOrReadOnly; the project's permission classes (staff or
    read-only, internal or read-only…) let anonymous readers in too, and the
    description said otherwise. Here the view's own permissions are asked with
    an anonymous request of the operation's method.
    """

    def get_auth(self) -> list[dict]:
        auths = super().get_auth()
        if {} not in auths and self._anonymous_allowed():
            auths.append({})
        return auths

    def _anonymous_allowed(self) -> bool:
        http = HttpRequest()
        http.method = self.method
        request = Request(http)
        request.user = AnonymousUser()
        try:
            return all(
                permission.has_permission(request, self.view)
                for permission in self.view.get_permissions()
            )
        except Exception:  # noqa: BLE001 - a permission that needs more: not anonymous
            return False


class FilterExtension(DjangoFilterExtension):
    """
    django-filter's query parameters, with the bounds their filters enforce.

    A number filter's ``min_value``/``max_value`` (a plan year from 1949, a
    term from 1, an id within a database integer) become the parameter's
    ``minimum``/``maximum``: values outside them are refused with 400, and the
    description says so.
    """

    priority = 1

    def resolve_filter_field(  # noqa: PLR0913
        self,
        auto_schema,  # noqa: ANN001
        model,  # noqa: ANN001
        filterset_class,  # noqa: ANN001
        field_name: str,
        filter_field,  # noqa: ANN001
    ) -> list[dict]:
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        bounds = {
            "minimum": filter_field.extra.get("min_value"),
            "maximum": filter_field.extra.get("max_value"),
        }
        bounds = {key: value for key, value in bounds.items() if value is not None}
        for parameter in parameters:
            schema = parameter["schema"]
            schema.get("items", schema).update(bounds)
        return parameters
