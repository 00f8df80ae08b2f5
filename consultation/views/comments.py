"""One comment: its page with the decision history, edits, and feedback."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from .. import access, selectors, services
from ..errors import DomainError, NotPermitted
from ..forms import CommentEditForm, DecisionForm, FeedbackForm, parse_selection
from ..models import Comment
from .common import ConsultationAccessRequired, form_error, safe_next, save_or_show


def _comment(user: Any, pk: int) -> Comment:
    return get_object_or_404(
        selectors.comment_list(user).select_related("duplicate_of", "decided_by"),
        pk=pk,
    )


class CommentDetailView(ConsultationAccessRequired, TemplateView):
    """
    One comment: text, who made it (to those allowed), its whole decision
    history and feedback; staff decide on it here too.
    """

    template_name = "staff/consultation/comment_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        comment = kwargs.pop("comment", None) or _comment(user, self.kwargs["pk"])
        can_decide = access.can_decide(user)
        if can_decide and "decision_form" not in kwargs:
            kwargs["decision_form"] = DecisionForm(
                user=user,
                bill=comment.bill,
                initial={
                    "status": comment.status,
                    "reason": comment.reason,
                    "explanation": comment.explanation,
                    "duplicate_of": comment.duplicate_of.receipt
                    if comment.duplicate_of
                    else "",
                },
            )
        return super().get_context_data(
            nav="consultation-list",
            comment=comment,
            show_personal=access.can_see_personal_data(user, comment),
            history=list(selectors.comment_history(comment)),
            revisions=list(selectors.comment_revisions(comment)),
            changes=selectors.comment_changes(comment, user),
            feedback=list(
                comment.feedback.select_related("point").order_by("-given_on", "-pk")
            ),
            duplicates=list(comment.duplicates.order_by("pk")[:50]),
            can_edit=access.can_edit_comment(user, comment),
            can_decide=can_decide,
            can_feedback=access.can_record_feedback(user, [comment]),
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.can_decide(request.user):
            raise PermissionDenied
        comment = _comment(request.user, kwargs["pk"])
        form = DecisionForm(request.POST, user=request.user, bill=comment.bill)
        return save_or_show(
            self,
            form,
            lambda: services.decide_comments(
                comments=[comment.pk],
                by=request.user,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                explanation=form.cleaned_data["explanation"],
                duplicate_of=form.cleaned_data["duplicate_of"],
                expected_revisions=form.expected_revisions(),
                articles=form.cleaned_data["articles"],
                elsewhere=form.cleaned_data["elsewhere"],
            ),
            saved=_("已保存处理结果。"),
            then=redirect("staff:comment-detail", pk=comment.pk),
            context={"comment": comment, "decision_form": form},
        )


class CommentEditView(ConsultationAccessRequired, TemplateView):
    """Correct a comment (a clerk: own point, while pending; staff: always)."""

    template_name = "staff/consultation/comment_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated or not self.test_func():
            return self.handle_no_permission()
        self.comment = _comment(request.user, kwargs["pk"])
        if not access.can_edit_comment(request.user, self.comment):
            raise PermissionDenied
        self.articles = list(
            self.comment.consultation.version.articles.order_by("position")
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault(
            "form", CommentEditForm(comment=self.comment, articles=self.articles)
        )
        return super().get_context_data(
            nav="consultation-list",
            comment=self.comment,
            articles=self.articles,
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = CommentEditForm(
            request.POST, comment=self.comment, articles=self.articles
        )
        return save_or_show(
            self,
            form,
            lambda: services.edit_comment(
                comment=self.comment,
                by=request.user,
                expected_revision=form.cleaned_data["revision"],
                reason=form.cleaned_data["reason"],
                **form.changes(),
            ),
            saved=_("已保存。"),
            then=redirect("staff:comment-detail", pk=self.comment.pk),
            context={"form": form},
        )


class FeedbackCreateView(ConsultationAccessRequired, TemplateView):
    """Record feedback given on the comments selected on a list (?comment=…)."""

    template_name = "staff/consultation/feedback_form.html"

    def _selected(self, values: list[str]) -> list[Comment]:
        ids = list(parse_selection(values))[:500]
        if not ids:
            return []
        return list(selectors.comment_list(self.request.user).filter(pk__in=ids))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        if "comments" not in kwargs:
            kwargs["comments"] = self._selected(self.request.GET.getlist("comment"))
        kwargs.setdefault("form", FeedbackForm())
        return super().get_context_data(
            nav="consultation-list",
            next=safe_next(self.request, ""),
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        comments = self._selected(request.POST.getlist("comment"))
        if request.POST.get("step") == "select":
            # Sent from a list's selection (the triage board): show the form.
            return self.render_to_response(self.get_context_data(comments=comments))
        form = FeedbackForm(request.POST)
        if not comments:
            form.add_error(None, _("请先勾选要反馈的意见。"))
        elif form.is_valid():
            try:
                services.record_feedback(
                    by=request.user,
                    comments=[c.pk for c in comments],
                    **form.cleaned_data,
                )
            except NotPermitted as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(
                    request,
                    _("已为%(count)d条意见记录反馈。") % {"count": len(comments)},
                )
                fallback = reverse(
                    "staff:consultation-detail",
                    kwargs={"pk": comments[0].consultation_id},
                )
                return HttpResponseRedirect(safe_next(request, fallback))
        return self.render_to_response(
            self.get_context_data(comments=comments, form=form)
        )
