"""The admin's "History" of a tracked record, with the surface of each change."""

from __future__ import annotations

from typing import Any

from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    """A model admin whose history lists who, when and through which surface."""

    history_list_display = ["surface"]

    def surface(self, record: Any) -> str:
        return record.get_history_surface_display()
