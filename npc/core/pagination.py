"""Pagination of the API's lists: page numbers by default, cursors for comments."""

from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request


class _StrictPageSize:
    """Refuse a page size that is not a whole number from 1 to 200 (400)."""

    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        # The description says 1 to 200: a bigger size is refused, not capped.
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("每页条数应为 1 至 %(max)d 的整数。")
                        % {"max": self.max_page_size}
                    ]
                }
            )
        return int(raw)

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

    def get_page_number(self, request: Request, paginator) -> str:  # noqa: ANN001
        """A page given blank is refused (400), as the description says a number."""
        if request.query_params.get(self.page_query_param) == "":
            raise ValidationError({self.page_query_param: [_("页码应为正整数。")]})
        return super().get_page_number(request, paginator)


class CursorPagination(_StrictPageSize, pagination.CursorPagination):
    """
    Opaque cursors over a unique, indexed ordering (newest first).

    Each page costs the same at the millionth row as at the first: no COUNT and no
    OFFSET, only ``WHERE id < cursor ORDER BY id DESC LIMIT n``.
    """

    ordering = "-id"
