"""The triage board by group: a bill's near-duplicate groups, one group, its acts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from ..errors import ConcurrentUpdate, DomainError, NotPermitted
from ..grouping import decisions
from ..grouping import selectors as groups
from ..grouping.forms import GroupChangeForm, GroupDecisionForm
from ..grouping.models import CommentGroup
from ..models import Decision
from .common import DecideRequired, form_error, mark_rows, positive_int
from .triage import _bill

GROUPS_PER_PAGE = 30


class GroupListView(DecideRequired, TemplateView):
    """A bill's comments as groups, largest first: size, text, where they came from."""

    template_name = "staff/consultation/groups.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        bill = _bill(self.request.user, self.kwargs["slug"])
        min_size = positive_int(self.request.GET.get("min_size")) or 1
        page = Paginator(
            groups.bill_groups(bill, min_size=min_size), GROUPS_PER_PAGE
        ).get_page(self.request.GET.get("page"))
        rows = list(page.object_list)
        facets = groups.group_facets(rows)
        suggestions = groups.same_point_suggestions(bill)
        return super().get_context_data(
            nav="consultation-triage",
            bill=bill,
            page=page,
            rows=[
                {
                    "group": g,
                    "facets": facets.get(g.pk, {}),
                    "suggested": len(suggestions.get(g.pk, [])),
                }
                for g in rows
            ],
            figures=groups.group_figures(bill),
            min_size=min_size,
            **kwargs,
        )


class GroupDetailView(DecideRequired, TemplateView):
    """One group: its comments, same-point suggestions, and its acts."""

    template_name = "staff/consultation/group_detail.html"

    def _group(self, bill: Any) -> CommentGroup:
        return get_object_or_404(
            CommentGroup.objects.select_related("representative"),
            bill=bill,
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        bill = kwargs.pop("bill", None) or _bill(user, self.kwargs["slug"])
        group = kwargs.pop("group", None) or self._group(bill)
        members = list(groups.group_members(group)[: groups.MEMBERS_SHOWN])
        suggested = groups.same_point_suggestions(bill).get(group.pk, [])
        others = {
            g.pk: g
            for g in groups.bill_groups(bill).filter(
                pk__in=[pk for pk, _s in suggested]
            )
        }
        kwargs.setdefault(
            "decision_form",
            GroupDecisionForm(initial={"revision": group.revision}, bill=group.bill),
        )
        return super().get_context_data(
            nav="consultation-triage",
            bill=bill,
            group=group,
            facets=groups.group_facets([group]).get(group.pk, {}),
            members=mark_rows(user, members),
            more=group.size - len(members),
            suggestions=[
                (others[pk], score) for pk, score in suggested if pk in others
            ],
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        bill = _bill(request.user, kwargs["slug"])
        group = self._group(bill)
        here = reverse(
            "staff:comment-group", kwargs={"slug": bill.slug, "pk": group.pk}
        )
        if request.POST.get("action") == "decide":
            form: Any = GroupDecisionForm(request.POST, bill=group.bill)
            context_key = "decision_form"
        else:
            form = GroupChangeForm(request.POST)
            context_key = "change_form"
        conflict = False
        if form.is_valid():
            try:
                target = self._act(request, group, form)
            except NotPermitted as exc:
                raise PermissionDenied(exc.message) from exc
            except ConcurrentUpdate as exc:
                form_error(form, exc)
                conflict = True
            except DomainError as exc:
                form_error(form, exc)
            else:
                return HttpResponseRedirect(target or here)
        context = self.get_context_data(bill=bill, group=group, **{context_key: form})
        return self.render_to_response(context, status=409 if conflict else 200)

    def _act(self, request: HttpRequest, group: CommentGroup, form: Any) -> str | None:
        data = form.cleaned_data
        user = request.user
        revision = data["revision"]
        if isinstance(form, GroupDecisionForm):
            decided = decisions.decide_group(
                group=group,
                status=data["status"],
                reason=data["reason"],
                explanation=data["explanation"],
                articles=data["articles"],
                elsewhere=data["elsewhere"],
                by=user,
                expected_revision=revision,
            )
            messages.success(
                request,
                _("已整组处理%(count)d条意见：%(status)s。")
                % {"count": len(decided), "status": Decision(data["status"]).label},
            )
            return None
        url = "staff:comment-group"
        if data["action"] == "remove":
            alone = decisions.remove_from_group(
                group=group,
                comment=data["comment"],
                by=user,
                expected_revision=revision,
            )
            messages.success(request, _("已将意见移出，单独成组。"))
            return reverse(url, kwargs={"slug": group.bill.slug, "pk": alone.pk})
        to = get_object_or_404(CommentGroup, bill_id=group.bill_id, pk=data["to"])
        if data["action"] == "move":
            decisions.move_to_group(
                group=group,
                comment=data["comment"],
                to=to,
                by=user,
                expected_revisions={group.pk: revision},
            )
            messages.success(request, _("已将意见移入第%(to)d组。") % {"to": to.pk})
            if CommentGroup.objects.filter(pk=group.pk).exists():
                return None
            return reverse(url, kwargs={"slug": group.bill.slug, "pk": to.pk})
        decisions.merge_groups(
            group=group, into=to, by=user, expected_revisions={group.pk: revision}
        )
        messages.success(request, _("已并入第%(to)d组。") % {"to": to.pk})
        return reverse(url, kwargs={"slug": group.bill.slug, "pk": to.pk})
