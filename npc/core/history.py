"""
Who changed what, when and through which surface: every domain record's history.

The rows are written by django-simple-history (a ``Historical…`` table beside each
tracked model, one row per save, holding the whole tracked row as it was then).
This module adds what the library leaves to the project:

- the *surface* of each change (page, API, admin, command, import), taken from
  the request path by :class:`HistoryMiddleware` or set around a task or a
  command with :func:`recorded`;
- the acting user from :func:`recorded` when there is no request (a task knows
  who uploaded the batch it runs);
- :func:`changes`, the old → new list a staff page shows as "修改记录".

Bulk writes (``update()``, ``bulk_create``, COPY) send no signals: a service that
changes rows in bulk writes their history with :func:`bulk_history`.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models.expressions import Combinable
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record
from simple_history.utils import bulk_create_with_history, bulk_update_with_history


class Surface(models.TextChoices):
    PAGE = "page", _("工作页面")
    API = "api", _("API")
    ADMIN = "admin", _("管理后台")
    COMMAND = "command", _("命令或后台任务")
    IMPORT = "import", _("批量导入")


@dataclass(frozen=True)
class _Context:
    surface: str
    user: Any = None


_context: contextvars.ContextVar[_Context | None] = contextvars.ContextVar(
    "npc_history_context", default=None
)


@contextlib.contextmanager
def recorded(*, surface: str, by: Any = None) -> Iterator[None]:
    """Record the changes made inside the block as made through ``surface`` by ``by``."""
    token = _context.set(_Context(surface=surface, user=by))
    try:
        yield
    finally:
        _context.reset(token)


def current_surface() -> str:
    context = _context.get()
    return context.surface if context else Surface.COMMAND


def surface_of(path: str) -> str:
    """The surface a request path belongs to."""
    if path.startswith("/api/"):
        return Surface.API
    if path.startswith("/admin/"):
        return Surface.ADMIN
    return Surface.PAGE


class HistoryMiddleware:
    """
    Tie the changes a request makes to its surface and its user.

    Placed after authentication. The user is read when a row is saved, so a user
    that DRF authenticates later (API tokens) is the one recorded.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        HistoricalRecords.context.request = request
        token = _context.set(_Context(surface=surface_of(request.path)))
        try:
            return self.get_response(request)
        finally:
            _context.reset(token)
            with contextlib.suppress(AttributeError):
                del HistoricalRecords.context.request


def history_user(instance: Any = None, request: HttpRequest | None = None) -> Any:
    context = _context.get()
    if context is not None and context.user is not None:
        user = context.user
        return user if getattr(user, "is_authenticated", False) else None
    if request is not None:
        return request.user
    return None


class SurfaceHistory(models.Model):
    """What every history row holds besides the tracked fields."""

    history_surface = models.CharField(
        _("途径"), max_length=10, choices=Surface, default=Surface.COMMAND
    )

    class Meta:
        abstract = True


class TrackedHistory(HistoricalRecords):
    """
    History rows with their surface; a save that only touches untracked columns
    (a login's ``last_login``, a comment's search words) writes none.
    """

    def post_save(self, instance, created, using=None, **kwargs):  # noqa: ANN001, ANN201
        update_fields = kwargs.get("update_fields")
        if not created and update_fields is not None:
            tracked = {f.name for f in self.fields_included(instance)}
            if not set(update_fields) & tracked:
                return
        # A counter saved as F("revision") + 1 is read back first: the history
        # row holds the value written, not the expression.
        pending = [
            f.attname
            for f in self.fields_included(instance)
            if isinstance(getattr(instance, f.attname, None), Combinable)
        ]
        if pending:
            instance.refresh_from_db(fields=pending)
        super().post_save(instance, created, using=using, **kwargs)


def history(**options: Any) -> TrackedHistory:
    """The history of a model, as every tracked model declares it."""
    options.setdefault("bases", [SurfaceHistory])
    options.setdefault("get_user", history_user)
    # The history outlives a deleted user: keep the id, drop the constraint.
    options.setdefault("user_db_constraint", False)
    return TrackedHistory(**options)


@receiver(pre_create_historical_record)
def _stamp_surface(sender: type, history_instance: Any, **kwargs: Any) -> None:
    history_instance.history_surface = current_surface()


def bulk_history(
    objs: Sequence[models.Model],
    model: type[models.Model],
    fields: list[str],
    *,
    by: Any = None,
) -> None:
    """
    Save ``fields`` of ``objs`` in bulk and write one history row for each,
    by ``by`` through the current surface.
    """
    user = by
    bulk_update_with_history(
        objs,
        model,
        fields,
        batch_size=500,
        default_user=user if getattr(user, "is_authenticated", False) else None,
        custom_historical_attrs={"history_surface": current_surface()},
    )


def bulk_create_history(
    objs: Sequence[models.Model], model: type[models.Model], *, by: Any = None
) -> list[models.Model]:
    """
    Insert ``objs`` in bulk and write one history row ("created") for each,
    by ``by`` through the current surface.
    """
    return bulk_create_with_history(
        list(objs),
        model,
        batch_size=500,
        default_user=by if getattr(by, "is_authenticated", False) else None,
        custom_historical_attrs={"history_surface": current_surface()},
    )


# Reading the history -------------------------------------------------------


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    """One row of "修改记录": what changed in one save."""

    when: Any
    who: str
    surface: str
    action: str
    record: str
    changes: list[Change] = field(default_factory=list)
    reason: str = ""


ACTIONS = {"+": _("创建"), "~": _("修改"), "-": _("删除")}
HIDDEN = "——"


def _display(record: Any, field_name: str, hidden: bool) -> str:
    if hidden:
        return HIDDEN
    model_field = record.instance_type._meta.get_field(field_name)
    value = getattr(record, model_field.attname)
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return str(_("是") if value else _("否"))
    if isinstance(model_field, models.ForeignKey):
        try:
            return str(getattr(record, model_field.name))
        except model_field.related_model.DoesNotExist:
            return f"#{value}"
    return str(value)


def changes(
    records: Iterable[Any],
    *,
    skip: Iterable[str] = (),
    private: Iterable[str] = (),
    show_private: bool = False,
    label: Callable[[Any], str] | None = None,
) -> list[Entry]:
    """
    Turn history rows (any order, any mix of records) into entries, newest first.

    Each entry lists the fields that changed, by their label, old → new. Fields in
    ``skip`` are left out; those in ``private`` (personal data) show "——" unless
    ``show_private``. A creation lists the values it was created with. ``label``
    names the record an entry belongs to (when several are mixed).
    """
    skip = set(skip)
    private = set(private)
    by_record: dict[tuple[type, Any], list[Any]] = {}
    for row in records:
        pk = getattr(row, row.instance_type._meta.pk.attname)
        by_record.setdefault((row.instance_type, pk), []).append(row)
    entries: list[Entry] = []
    for rows in by_record.values():
        rows.sort(key=lambda r: (r.history_date, r.history_id))
        previous = None
        for row in rows:

            def shown(record: Any, name: str) -> str:
                return _display(record, name, name in private and not show_private)

            if previous is None or row.history_type == "+":
                listed = [
                    Change(label=_label(row, f.name), old="", new=shown(row, f.name))
                    for f in row.tracked_fields
                    if f.name not in skip and _display(row, f.name, False) != "—"
                ]
            else:
                # Compared column by column: the library's diff leaves out
                # the fields no form edits (a bill's stage, a comment's flag).
                listed = [
                    Change(
                        label=_label(row, f.name),
                        old=shown(previous, f.name),
                        new=shown(row, f.name),
                    )
                    for f in row.tracked_fields
                    if f.name not in skip
                    and getattr(previous, f.attname) != getattr(row, f.attname)
                ]
                m2m = [f.name for f in row._history_m2m_fields if f.name not in skip]
                if m2m:
                    delta = row.diff_against(previous, included_fields=m2m)
                    listed += [
                        Change(
                            label=_label(row, c.field),
                            old=_m2m(row, c.field, c.old),
                            new=_m2m(row, c.field, c.new),
                        )
                        for c in delta.changes
                    ]
            previous = row
            if not listed and row.history_type == "~":
                continue
            user = row.history_user
            entries.append(
                Entry(
                    when=row.history_date,
                    who=user.get_username() if user else str(_("系统")),
                    surface=row.get_history_surface_display(),
                    action=str(ACTIONS.get(row.history_type, row.history_type)),
                    record=label(row) if label else "",
                    changes=listed,
                    reason=row.history_change_reason or "",
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def _m2m(row: Any, name: str, values: Any) -> str:
    """Name the related records of a many-to-many change."""
    model_field = row.instance_type._meta.get_field(name)
    target = model_field.related_model
    column = model_field.m2m_reverse_field_name()
    ids = [value[column] for value in values]
    names = sorted(str(obj) for obj in target._default_manager.filter(pk__in=ids))
    return "、".join(names) or "—"


def _label(row: Any, name: str) -> str:
    return str(row.instance_type._meta.get_field(name).verbose_name)
