"""Pagination of the API's lists: page numbers by default, cursors for comments."""

from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request


class _StrictPageSize:
    """Refuse a page size that is not a positive whole number (400), cap a big one."""

    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or int(raw) < 1:
            raise ValidationError(
                {self.page_size_query_param: [_("每页条数应为正整数。")]}
            )
        return min(int(raw), self.max_page_size)

    def get_schema_operation_parameters(self, view) -> list[dict]:  # noqa: ANN001
        """Describe the bounds the API enforces: positive pages and sizes."""
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
            elif parameter["name"] == getattr(self, "page_query_param", None):
                parameter["schema"].update(minimum=1)
        return parameters


class PageNumberPagination(_StrictPageSize, pagination.PageNumberPagination):
    """Numbered pages; the client may ask for up to 200 rows a page."""


class CursorPagination(_StrictPageSize, pagination.CursorPagination):
    """
    Opaque cursors over a unique, indexed ordering (newest first).

    Each page costs the same at the millionth row as at the first: no COUNT and no
    OFFSET, only ``WHERE id < cursor ORDER BY id DESC LIMIT n``.
    """

    ordering = "-id"
