"""The consultation side's parts of pages that other apps render."""

from __future__ import annotations

from typing import Any

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("staff/consultation/_clerk_home.html")
def clerk_home(user: Any) -> dict[str, Any]:
    """A clerk's start page: their points, shortcuts and what waits for them."""
    return {"overview": selectors.clerk_overview(user)}
