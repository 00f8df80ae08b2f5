"""The API's JSON parser: a body nested too deep is a 400, not a crash."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """
    DRF's JSON parser, answering 400 ``parse_error`` for a body nested deeper
    than Python's parser can follow (``[[[[…]]]]`` raises ``RecursionError``).
    """

    def parse(self, stream: Any, media_type: str | None = None, parser_context=None):  # noqa: ANN001
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("JSON 嵌套层级过深。")) from None
