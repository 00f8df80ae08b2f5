"""Pagination of the API's lists: page numbers by default, cursors for comments."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """Numbered pages; the client may ask for up to 200 rows a page."""

    page_size_query_param = "page_size"
    max_page_size = 200


class CursorPagination(pagination.CursorPagination):
    """
    Opaque cursors over a unique, indexed ordering (newest first).

    Each page costs the same at the millionth row as at the first: no COUNT and no
    OFFSET, only ``WHERE id < cursor ORDER BY id DESC LIMIT n``.
    """

    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 200
