"""Fast entry of comments during a meeting, each with its receipt code."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.views.generic import TemplateView

from .. import access, selectors, services
from ..errors import DomainError
from ..forms import CommentEntryForm
from ..models import Comment
from .common import (
    ENTRY_SESSION_KEEP,
    ConsultationAccessRequired,
    form_error,
    mark_rows,
    visible_consultation,
    wants_json,
)


class CommentEntryView(ConsultationAccessRequired, TemplateView):
    """
    Enter comments one after another during a meeting.

    Without JavaScript: POST, redirect, GET shows the last receipt code. With
    static/js/staff-entry.js the form posts in the background (Accept:
    application/json) and the page updates in place.
    """

    template_name = "staff/consultation/comment_entry.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated or not self.test_func():
            return self.handle_no_permission()
        self.consultation = visible_consultation(request.user, kwargs["pk"])
        if not access.can_enter_comment(request.user, self.consultation):
            raise PermissionDenied
        self.articles = list(self.consultation.version.articles.order_by("position"))
        self.session_key = f"comment-entry-{self.consultation.pk}"
        return super().dispatch(request, *args, **kwargs)

    def _session(self) -> dict[str, Any]:
        return self.request.session.get(self.session_key, {"ids": [], "sticky": {}})

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        state = self._session()
        if "form" not in kwargs:
            sticky = state.get("sticky") or {}
            kwargs["form"] = CommentEntryForm(articles=self.articles, initial=sticky)
        entered = (
            list(
                selectors.comment_list(user).filter(
                    pk__in=state["ids"], consultation=self.consultation
                )
            )
            if state["ids"]
            else []
        )
        last_id = state["ids"][-1] if state["ids"] else None
        last = next((c for c in entered if c.pk == last_id), None)
        closed = ""
        try:
            services.ensure_accepting(self.consultation)
        except DomainError as exc:
            closed = exc.message
        return super().get_context_data(
            closed=closed,
            nav="consultation-list",
            consultation=self.consultation,
            articles=self.articles,
            entered=mark_rows(user, entered),
            last=last,
            # A double click or a resent form saves one comment (npc.idempotency).
            idempotency_key=uuid.uuid4().hex,
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "restart" in request.POST:
            # A new round: forget the list and the sticky fields, keep the comments.
            request.session.pop(self.session_key, None)
            return redirect("staff:comment-entry", pk=self.consultation.pk)
        form = CommentEntryForm(request.POST, articles=self.articles)
        if form.is_valid():
            try:
                comment = services.enter_comment(
                    by=request.user,
                    consultation=self.consultation,
                    **form.service_arguments(),
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                return self._saved(request, form, comment)
        if wants_json(request):
            return JsonResponse(
                {"ok": False, "errors": form.errors.get_json_data()}, status=400
            )
        return self.render_to_response(self.get_context_data(form=form))

    def _saved(
        self, request: HttpRequest, form: CommentEntryForm, comment: Comment
    ) -> HttpResponse:
        state = self._session()
        ids = [*state["ids"], comment.pk][-ENTRY_SESSION_KEEP:]
        data = form.cleaned_data
        sticky = (
            {
                "article": data["article"].label if data["article"] else "",
                "contributor_kind": data["contributor_kind"],
                "same_as_last": True,
            }
            if data["same_as_last"]
            else {}
        )
        request.session[self.session_key] = {"ids": ids, "sticky": sticky}
        if not wants_json(request):
            return redirect("staff:comment-entry", pk=self.consultation.pk)
        comment = selectors.comment_list(request.user).get(pk=comment.pk)
        comment.show_personal = access.can_see_personal_data(request.user, comment)
        return JsonResponse(
            {
                "ok": True,
                "idempotency_key": uuid.uuid4().hex,  # for the next comment
                "receipt": comment.receipt,
                "count": len(ids),
                "sticky": sticky,
                "receipt_html": render_to_string(
                    "staff/consultation/_entry_receipt.html",
                    {"last": comment},
                    request=request,
                ),
                "row_html": render_to_string(
                    "staff/consultation/_entry_row.html",
                    {"comment": comment},
                    request=request,
                ),
            }
        )
