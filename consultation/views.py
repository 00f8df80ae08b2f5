"""
Staff and clerk pages of the consultation side: parse, call, present.

Who may see and do what is :mod:`consultation.access`; what a page shows comes
from :mod:`consultation.selectors`; every change goes through
:mod:`consultation.services`, whose :class:`~npc.errors.DomainError` messages
the pages show as they are. A record outside what the user may see does not
exist for them (404); a page or act their role does not allow is 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import (
    content_disposition_header,
    url_has_allowed_host_and_scheme,
)
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from legislation.models import Bill
from legislation.selectors import visible_bills, visible_versions

from . import access, exports, imports, selectors, services
from .errors import ConcurrentUpdate, DomainError, InvalidDecision, NotPermitted
from .filters import CommentFilter, ConsultationFilter
from .forms import (
    CommentEditForm,
    CommentEntryForm,
    ConsultationForm,
    DecisionForm,
    FeedbackForm,
    ImportForm,
    parse_selection,
)
from .models import (
    Channel,
    Comment,
    Consultation,
    Contributor,
    Decision,
    ImportBatch,
    LiaisonPoint,
)

PAGE_SIZE = 50
ENTRY_SESSION_KEEP = 200  # comments of one fast-entry session listed on its page


class ConsultationAccessRequired(LoginRequiredMixin, UserPassesTestMixin):
    """Clerks with a point, legislative staff and administrators."""

    def test_func(self) -> bool:
        return access.has_consultation_access(self.request.user)


class DecideRequired(LoginRequiredMixin, UserPassesTestMixin):
    """Those who decide on comments: legislative staff and administrators."""

    def test_func(self) -> bool:
        return access.can_decide(self.request.user)


def _positive_int(value: str | None) -> int | None:
    if value is None or not value.isdigit() or len(value) > 18:
        return None
    return int(value) or None


def keyset_page(
    queryset: QuerySet, after: str | None, *, size: int = PAGE_SIZE
) -> tuple[list[Any], int | None]:
    """
    Return one page of ``queryset``, newest id first, and the id to continue after.

    ``WHERE id < after ORDER BY id DESC LIMIT size + 1``: the millionth row costs
    what the first does, and no page counts the whole list.
    """
    start = _positive_int(after)
    if start is not None:
        queryset = queryset.filter(pk__lt=start)
    rows = list(queryset.order_by("-pk")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return rows, (rows[-1].pk if more else None)


def _query_with(request: HttpRequest, **changes: Any) -> str:
    """Return the request's query string with ``changes`` applied (None drops)."""
    params = request.GET.copy()
    for name, value in changes.items():
        params.pop(name, None)
        if value is not None:
            params[name] = value
    return params.urlencode()


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


def _with_personal(user: Any, comments: list[Comment]) -> list[Comment]:
    """Mark each comment with whether ``user`` may read who made it, and edit it."""
    for comment in comments:
        comment.show_personal = access.can_see_personal_data(user, comment)
        comment.can_edit = access.can_edit_comment(user, comment)
    return comments


# --- overview and consultations --------------------------------------------------


class PointOverviewView(ConsultationAccessRequired, TemplateView):
    """A clerk's points (staff: all points), their numbers, and recent work."""

    template_name = "staff/consultation/points.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        stats = {row.point.pk: row for row in selectors.point_stats(public=False)}
        points = list(access.points_for(user).order_by("district", "name"))
        rows = [
            (point, stat, stat.comments - stat.decided if stat else 0)
            for point in points
            for stat in [stats.get(point.pk)]
        ]
        recent_imports = (
            ImportBatch.objects.filter(
                consultation__in=access.visible_consultations(user)
            )
            .select_related("consultation")
            .order_by("-created_at", "-pk")[:10]
        )
        return super().get_context_data(
            nav="consultation-points",
            rows=rows,
            consultations=list(selectors.consultation_list(user)[:10]),
            imports=list(recent_imports),
            can_decide=access.can_decide(user),
            **kwargs,
        )


class ConsultationListView(ConsultationAccessRequired, TemplateView):
    """The consultations the user may manage, filtered, a page at a time."""

    template_name = "staff/consultation/consultation_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        filterset = ConsultationFilter(
            self.request.GET, queryset=selectors.consultation_list(user)
        )
        rows, next_after = keyset_page(filterset.qs, self.request.GET.get("after"))
        return super().get_context_data(
            nav="consultation-list",
            filter=filterset,
            consultations=rows,
            next_query=_query_with(self.request, after=next_after)
            if next_after
            else None,
            first_query=_query_with(self.request, after=None)
            if self.request.GET.get("after")
            else None,
            bills=visible_bills(user).order_by("-plan_year", "title"),
            points=access.points_for(user).order_by("district", "name"),
            channels=Channel.choices,
            **kwargs,
        )


def _form_error(form: Any, exc: DomainError) -> None:
    form.add_error(None, exc.message)


class ConsultationCreateView(ConsultationAccessRequired, TemplateView):
    """Record a consultation (a clerk at their own points)."""

    template_name = "staff/consultation/consultation_form.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("form", ConsultationForm(user=self.request.user))
        return super().get_context_data(nav="consultation-list", **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ConsultationForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                consultation = services.record_consultation(
                    by=request.user, **form.service_arguments()
                )
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("已记录征求意见活动。"))
                return redirect("staff:consultation-detail", pk=consultation.pk)
        return self.render_to_response(self.get_context_data(form=form))


def _consultation(user: Any, pk: int) -> Consultation:
    return get_object_or_404(
        access.visible_consultations(user).select_related("bill", "version", "point"),
        pk=pk,
    )


class ConsultationUpdateView(ConsultationAccessRequired, TemplateView):
    """Change a consultation; a stale revision gets a conflict, nothing written."""

    template_name = "staff/consultation/consultation_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated or not self.test_func():
            return self.handle_no_permission()
        self.consultation = _consultation(request.user, kwargs["pk"])
        if not access.can_edit_consultation(request.user, self.consultation):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault(
            "form", ConsultationForm(user=self.request.user, instance=self.consultation)
        )
        return super().get_context_data(
            nav="consultation-list", consultation=self.consultation, **kwargs
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ConsultationForm(
            request.POST, user=request.user, instance=self.consultation
        )
        if form.is_valid():
            try:
                services.update_consultation(
                    consultation=self.consultation,
                    by=request.user,
                    expected_revision=form.cleaned_data["revision"],
                    **form.service_arguments(),
                )
            except DomainError as exc:
                _form_error(form, exc)
                if isinstance(exc, ConcurrentUpdate):
                    return self.render_to_response(
                        self.get_context_data(form=form, conflict=True), status=409
                    )
            else:
                messages.success(request, _("已保存。"))
                return redirect("staff:consultation-detail", pk=self.consultation.pk)
        return self.render_to_response(self.get_context_data(form=form))


class ConsultationDetailView(ConsultationAccessRequired, TemplateView):
    """A consultation and its comments, with who made them to those allowed."""

    template_name = "staff/consultation/consultation_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        consultation = get_object_or_404(
            selectors.consultation_list(user), pk=self.kwargs["pk"]
        )
        comments, next_after = keyset_page(
            selectors.comment_list(user).filter(consultation=consultation),
            self.request.GET.get("after"),
        )
        return super().get_context_data(
            nav="consultation-list",
            consultation=consultation,
            comments=_with_personal(user, comments),
            next_query=_query_with(self.request, after=next_after)
            if next_after
            else None,
            first_query=_query_with(self.request, after=None)
            if self.request.GET.get("after")
            else None,
            imports=list(consultation.imports.order_by("-created_at", "-pk")[:10]),
            can_edit=access.can_edit_consultation(user, consultation),
            can_enter=access.can_enter_comment(user, consultation),
            can_decide=access.can_decide(user),
            **kwargs,
        )


# --- fast entry ------------------------------------------------------------------


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
        self.consultation = _consultation(request.user, kwargs["pk"])
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
        return super().get_context_data(
            nav="consultation-list",
            consultation=self.consultation,
            articles=self.articles,
            entered=_with_personal(user, entered),
            last=last,
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = CommentEntryForm(request.POST, articles=self.articles)
        if form.is_valid():
            try:
                comment = services.enter_comment(
                    by=request.user,
                    consultation=self.consultation,
                    **form.service_arguments(),
                )
            except DomainError as exc:
                _form_error(form, exc)
            else:
                return self._saved(request, form, comment)
        if _wants_json(request):
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
        if not _wants_json(request):
            return redirect("staff:comment-entry", pk=self.consultation.pk)
        comment = selectors.comment_list(request.user).get(pk=comment.pk)
        comment.show_personal = access.can_see_personal_data(request.user, comment)
        return JsonResponse(
            {
                "ok": True,
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


# --- imports ---------------------------------------------------------------------


class ImportCreateView(ConsultationAccessRequired, TemplateView):
    """Upload a CSV or XLSX file of comments for one consultation."""

    template_name = "staff/consultation/import_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated or not self.test_func():
            return self.handle_no_permission()
        self.consultation = _consultation(request.user, kwargs["pk"])
        if not access.can_enter_comment(request.user, self.consultation):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("form", ImportForm())
        return super().get_context_data(
            nav="consultation-list",
            consultation=self.consultation,
            headers=imports.HEADERS,
            required=imports.REQUIRED,
            max_text=imports.MAX_TEXT_LENGTH,
            kinds=Contributor.Kind.labels,
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                batch = services.start_import(
                    by=request.user,
                    consultation=self.consultation,
                    uploaded_file=form.cleaned_data["file"],
                )
            except DomainError as exc:
                form.add_error("file", exc.message)
            else:
                return redirect("staff:import-detail", pk=batch.pk)
        return self.render_to_response(self.get_context_data(form=form))


class ImportTemplateView(ConsultationAccessRequired, View):
    """Download the empty spreadsheet to fill in: CSV or XLSX."""

    def get(self, request: HttpRequest, fmt: str) -> HttpResponse:
        if fmt == "csv":
            return _attachment(imports.template_csv(), _("意见导入模板.csv"), CSV)
        if fmt == "xlsx":
            return _attachment(imports.template_xlsx(), _("意见导入模板.xlsx"), XLSX)
        raise Http404


def _batch(user: Any, pk: int) -> ImportBatch:
    return get_object_or_404(
        ImportBatch.objects.filter(
            consultation__in=access.visible_consultations(user)
        ).select_related("consultation__bill"),
        pk=pk,
    )


def _progress(batch: ImportBatch) -> dict[str, Any]:
    return {
        "status": batch.status,
        "status_label": batch.get_status_display(),
        "progress": batch.progress,
        "processed_rows": batch.processed_rows,
        "total_rows": batch.total_rows,
        "created_count": batch.created_count,
        "error_count": batch.error_count,
        "finished": batch.status
        in (ImportBatch.Status.DONE, ImportBatch.Status.FAILED),
    }


class ImportDetailView(ConsultationAccessRequired, TemplateView):
    """A batch's progress; when it failed, every error by row and column."""

    template_name = "staff/consultation/import_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        batch = _batch(self.request.user, self.kwargs["pk"])
        state = _progress(batch)
        return super().get_context_data(
            nav="consultation-list",
            batch=batch,
            consultation=batch.consultation,
            state=state,
            more_errors=max(0, batch.error_count - len(batch.errors)),
            **kwargs,
        )


class ImportProgressView(ConsultationAccessRequired, View):
    """The batch's progress as JSON, for the page's poll."""

    def get(self, request: HttpRequest, pk: int) -> JsonResponse:
        return JsonResponse(_progress(_batch(request.user, pk)))


# --- comments --------------------------------------------------------------------


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
        if form.is_valid():
            try:
                services.decide_comments(
                    comments=[comment.pk],
                    by=request.user,
                    status=form.cleaned_data["status"],
                    reason=form.cleaned_data["reason"],
                    explanation=form.cleaned_data["explanation"],
                    duplicate_of=form.cleaned_data["duplicate_of"],
                    expected_revisions=form.expected_revisions(),
                )
            except NotPermitted as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                _form_error(form, exc)
                if isinstance(exc, ConcurrentUpdate):
                    return self.render_to_response(
                        self.get_context_data(
                            comment=comment, decision_form=form, conflict=True
                        ),
                        status=409,
                    )
            else:
                messages.success(request, _("已保存处理结果。"))
                return redirect("staff:comment-detail", pk=comment.pk)
        return self.render_to_response(
            self.get_context_data(comment=comment, decision_form=form)
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
        if form.is_valid():
            try:
                services.edit_comment(
                    comment=self.comment,
                    by=request.user,
                    expected_revision=form.cleaned_data["revision"],
                    **form.changes(),
                )
            except NotPermitted as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                _form_error(form, exc)
                if isinstance(exc, ConcurrentUpdate):
                    return self.render_to_response(
                        self.get_context_data(form=form, conflict=True), status=409
                    )
            else:
                messages.success(request, _("已保存。"))
                return redirect("staff:comment-detail", pk=self.comment.pk)
        return self.render_to_response(self.get_context_data(form=form))


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
            next=_safe_next(self.request, ""),
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
                _form_error(form, exc)
            else:
                messages.success(
                    request,
                    _("已为%(count)d条意见记录反馈。") % {"count": len(comments)},
                )
                fallback = reverse(
                    "staff:consultation-detail",
                    kwargs={"pk": comments[0].consultation_id},
                )
                return HttpResponseRedirect(_safe_next(request, fallback))
        return self.render_to_response(
            self.get_context_data(comments=comments, form=form)
        )


# --- staff triage board ----------------------------------------------------------


def _bill(user: Any, slug: str) -> Bill:
    return get_object_or_404(visible_bills(user), slug=slug)


class TriageView(DecideRequired, TemplateView):
    """
    A bill's comments for staff: filter, select many, decide them in one step.

    The list pages by id (``?after=``), so it stays fast at a million comments;
    the counts beside it follow the filter.
    """

    template_name = "staff/consultation/triage.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        bill = kwargs.pop("bill", None) or _bill(user, self.kwargs["slug"])
        filterset = CommentFilter(
            self.request.GET, queryset=selectors.comment_list(user, bill=bill)
        )
        comments, next_after = keyset_page(filterset.qs, self.request.GET.get("after"))
        versions = list(visible_versions(user, bill))
        version_id = _positive_int(self.request.GET.get("version"))
        shown = next((v for v in versions if v.pk == version_id), None) or (
            versions[-1] if versions else None
        )
        kwargs.setdefault("decision_form", DecisionForm(user=user, bill=bill))
        filter_query = _query_with(self.request, after=None)
        counts = selectors.triage_counts(filterset.qs)
        for row in counts["by_status"]:
            row["query"] = _query_with(self.request, status=row["status"], after=None)
        for row in counts["by_article"]:
            row["query"] = (
                _query_with(
                    self.request, article=row["article_id"], no_article=None, after=None
                )
                if row["article_id"]
                else _query_with(
                    self.request, article=None, no_article="true", after=None
                )
            )
        for row in counts["by_point"]:
            row["query"] = _query_with(self.request, point=row["point_id"], after=None)
        conflicts = kwargs.get("conflicts") or []
        return super().get_context_data(
            nav="consultation-triage",
            bill=bill,
            filter=filterset,
            comments=_with_personal(user, comments),
            counts=counts,
            chosen_statuses=self.request.GET.getlist("status"),
            conflict_ids={c.pk for c in conflicts},
            board_url=self.request.get_full_path(),
            versions=versions,
            articles=list(shown.articles.order_by("position")) if shown else [],
            points=LiaisonPoint.objects.order_by("district", "name"),
            channels=Channel.choices,
            statuses=Decision.choices,
            kinds=Contributor.Kind.choices,
            selected=kwargs.pop("selected", {}),
            filter_query=filter_query,
            next_query=_query_with(self.request, after=next_after)
            if next_after
            else None,
            first_query=filter_query if self.request.GET.get("after") else None,
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        bill = _bill(user, kwargs["slug"])
        form = DecisionForm(request.POST, user=user, bill=bill)
        conflicts: list[Comment] = []
        if form.is_valid():
            # Only the bill's comments can be decided from its board.
            ids = list(
                Comment.objects.filter(pk__in=list(form.selection), bill=bill)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            try:
                if not ids:
                    raise InvalidDecision(_("请先勾选要处理的意见。"))
                decided = services.decide_comments(
                    comments=ids,
                    by=user,
                    status=form.cleaned_data["status"],
                    reason=form.cleaned_data["reason"],
                    explanation=form.cleaned_data["explanation"],
                    duplicate_of=form.cleaned_data["duplicate_of"],
                    expected_revisions=form.expected_revisions(),
                )
            except NotPermitted as exc:
                raise PermissionDenied(exc.message) from exc
            except ConcurrentUpdate as exc:
                _form_error(form, exc)
                conflicts = self._conflicts(form.expected_revisions())
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(
                    request,
                    _("已处理%(count)d条意见：%(status)s。")
                    % {
                        "count": len(decided),
                        "status": Decision(form.cleaned_data["status"]).label,
                    },
                )
                url = reverse("staff:bill-comments", kwargs={"slug": bill.slug})
                query = request.GET.urlencode()
                return HttpResponseRedirect(f"{url}?{query}" if query else url)
        context = self.get_context_data(
            bill=bill,
            decision_form=form,
            selected=form.selection,
            conflicts=conflicts,
        )
        return self.render_to_response(context, status=409 if conflicts else 200)

    @staticmethod
    def _conflicts(expected: dict[int, int]) -> list[Comment]:
        """The selected comments changed since the page was read, to name them."""
        return [
            c
            for c in Comment.objects.filter(pk__in=list(expected))
            .select_related("decided_by")
            .order_by("pk")
            if c.revision != expected[c.pk]
        ]


class TriageExportView(DecideRequired, View):
    """
    Export the bill's comments as filtered on the board.

    ``?personal=1``: the staff export, with receipt codes and who made each
    comment; otherwise the public export, of published consultations only and
    with no personal data.
    """

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        bill = _bill(request.user, slug)
        fmt = request.GET.get("fmt", "xlsx")
        if fmt not in ("csv", "xlsx"):
            raise Http404
        personal = request.GET.get("personal") == "1"
        comments = (
            selectors.comment_list(request.user, bill=bill)
            if personal
            else selectors.public_comments(bill=bill)
        )
        params = request.GET.copy()
        for name in ("fmt", "personal", "after"):
            params.pop(name, None)
        filtered = CommentFilter(params, queryset=comments).qs
        content = exports.export_comments(filtered, fmt=fmt, personal=personal)
        suffix = _("（含个人信息）") if personal else _("（公开版）")
        name = f"{bill.title}{_('意见建议')}{suffix}.{fmt}"
        return _attachment(content, name, CSV if fmt == "csv" else XLSX)
