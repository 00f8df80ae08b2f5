"""The moderation queue: staff publish or withhold comments the public made online."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView

from .. import selectors, services
from ..errors import DomainError, NotPermitted
from ..models import Moderation, WithheldReason
from .common import PAGE_SIZE, DecideRequired, positive_int


class ModerateForm(forms.Form):
    selection = forms.TypedMultipleChoiceField(coerce=int, choices=())
    action = forms.ChoiceField(
        choices=[
            ("publish", gettext_lazy("公开")),
            ("withhold", gettext_lazy("不公开")),
        ]
    )
    reason = forms.ChoiceField(
        label=gettext_lazy("不公开的理由"),
        choices=[("", "—"), *WithheldReason.choices],
        required=False,
    )

    def __init__(self, *args: Any, ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["selection"].choices = [(pk, pk) for pk in ids]


class ModerationQueueView(DecideRequired, TemplateView):
    """
    Public comments awaiting moderation (or in another state, by filter), oldest
    first, with bulk actions. Keyboard: j/k move, x selects, p publishes the
    selection, w withholds it (static/js/staff-moderation.js); without
    JavaScript, checkboxes and buttons do the same.
    """

    template_name = "staff/consultation/moderation.html"

    def _state(self) -> str:
        state = self.request.GET.get("state", Moderation.PENDING)
        return state if state in Moderation.values else Moderation.PENDING

    def _rows(self) -> list:
        rows = selectors.moderation_queue(
            state=self._state(), bill_id=positive_int(self.request.GET.get("bill"))
        )
        return list(rows[:PAGE_SIZE])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        rows = kwargs.pop("rows", None) or self._rows()
        kwargs.setdefault("form", ModerateForm(ids=[c.pk for c in rows]))
        return super().get_context_data(
            nav="moderation",
            rows=rows,
            state=self._state(),
            states=Moderation.choices,
            reasons=WithheldReason.choices,
            counts=selectors.moderation_counts(),
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        ids = [positive_int(v) for v in request.POST.getlist("selection")]
        form = ModerateForm(request.POST, ids=[i for i in ids if i])
        if form.is_valid():
            publish = form.cleaned_data["action"] == "publish"
            try:
                done = services.moderate_comments(
                    by=request.user,
                    comments=form.cleaned_data["selection"],
                    publish=publish,
                    reason="" if publish else form.cleaned_data["reason"],
                )
            except NotPermitted as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                count = len(done)
                messages.success(
                    request,
                    (
                        ngettext(
                            "已公开 %(n)d 条意见。", "已公开 %(n)d 条意见。", count
                        )
                        if publish
                        else ngettext(
                            "已将 %(n)d 条意见设为不公开。",
                            "已将 %(n)d 条意见设为不公开。",
                            count,
                        )
                    )
                    % {"n": count},
                )
                return redirect(request.get_full_path())
        else:
            form.add_error(None, _("请先选择意见，再选择操作。"))
        return self.render_to_response(self.get_context_data(form=form), status=400)
