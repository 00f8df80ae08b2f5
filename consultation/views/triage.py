"""The staff triage board of a bill's comments, and its exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from legislation.models import Bill
from legislation.selectors import visible_bills, visible_versions
from npc.core.paging import keyset_page

from .. import exports, selectors, services
from ..errors import ConcurrentUpdate, DomainError, InvalidDecision, NotPermitted
from ..filters import CommentFilter
from ..forms import DecisionForm
from ..models import Channel, Comment, Contributor, Decision, LiaisonPoint
from .common import (
    CSV,
    PAGE_SIZE,
    XLSX,
    DecideRequired,
    attachment,
    form_error,
    mark_rows,
    positive_int,
    query_with,
)


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
            self.request.GET,
            queryset=selectors.comment_list(user, bill=bill),
            request=self.request,
        )
        page = keyset_page(filterset.qs, self.request.GET, size=PAGE_SIZE)
        comments, next_after = page.rows, page.older
        versions = list(visible_versions(user, bill))
        version_id = positive_int(self.request.GET.get("version"))
        shown = next((v for v in versions if v.pk == version_id), None) or (
            versions[-1] if versions else None
        )
        kwargs.setdefault("decision_form", DecisionForm(user=user, bill=bill))
        filter_query = query_with(self.request, after=None)
        counts = selectors.triage_counts(filterset.qs)
        for row in counts["by_status"]:
            row["query"] = query_with(self.request, status=row["status"], after=None)
        for row in counts["by_article"]:
            row["query"] = (
                query_with(
                    self.request, article=row["article_id"], no_article=None, after=None
                )
                if row["article_id"]
                else query_with(
                    self.request, article=None, no_article="true", after=None
                )
            )
        for row in counts["by_point"]:
            row["query"] = query_with(self.request, point=row["point_id"], after=None)
        conflicts = kwargs.get("conflicts") or []
        return super().get_context_data(
            nav="consultation-triage",
            bill=bill,
            filter=filterset,
            comments=mark_rows(user, comments),
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
            next_query=query_with(self.request, after=next_after)
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
                    articles=form.cleaned_data["articles"],
                    elsewhere=form.cleaned_data["elsewhere"],
                )
            except NotPermitted as exc:
                raise PermissionDenied(exc.message) from exc
            except ConcurrentUpdate as exc:
                form_error(form, exc)
                conflicts = self._conflicts(form.expected_revisions())
            except DomainError as exc:
                form_error(form, exc)
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
        # The public export selects by nothing personal either.
        reader = request if personal else None
        filtered = CommentFilter(params, queryset=comments, request=reader).qs
        content = exports.export_comments(
            filtered, fmt=fmt, reader=request.user if personal else None
        )
        suffix = _("（含个人信息）") if personal else _("（公开版）")
        name = f"{bill.title}{_('意见建议')}{suffix}.{fmt}"
        return attachment(content, name, CSV if fmt == "csv" else XLSX)
