"""The start page, the bill list, a new bill, the workspace and the details form."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from npc.core.roles import is_clerk, is_internal, is_legislative_staff

from .. import forms, selectors, services
from ..acts import ACTS, act_label
from ..errors import ConcurrentUpdate, DomainError
from ..filters import BillFilter
from ..models import FINAL, MAIN_LINE, Bill, EventKind, Stage
from .base import PAGE_SIZE, BillMixin, LegislativeStaffRequired


class StaffHomeView(LoginRequiredMixin, UserPassesTestMixin, TemplateView):
    """
    The start page of everyone with a role. Staff see the bills by stage; clerks
    see their consultation pages (``staff/consultation/home.html``, when the
    consultation pages provide it, extends this page and fills its blocks).
    """

    def test_func(self) -> bool:
        return is_internal(self.request.user)

    def get_template_names(self) -> list[str]:
        return ["staff/consultation/home.html", "staff/home.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            nav="home", is_staff_role=is_legislative_staff(user), is_clerk_role=False
        )
        if not context["is_staff_role"]:
            context["is_clerk_role"] = is_clerk(user)
            return context
        counts = selectors.stage_counts()
        active: dict[str, list[Bill]] = defaultdict(list)
        for bill in selectors.staff_bills().exclude(stage__in=FINAL):
            active[bill.stage].append(bill)
        context["stages"] = [
            {
                "stage": stage,
                "count": counts.get(stage.value, 0),
                "bills": active.get(stage.value, []),
            }
            for stage in Stage
        ]
        context["total"] = sum(counts.values())
        return context


class BillListView(LegislativeStaffRequired, TemplateView):
    template_name = "staff/bill_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        bills = BillFilter(self.request.GET, queryset=selectors.staff_bills())
        page = Paginator(bills.qs, PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filter=bills, page=page, query=query.urlencode())
        return context


class BillCreateView(LegislativeStaffRequired, FormView):
    template_name = "staff/bill_form.html"
    form_class = forms.BillCreateForm

    def form_valid(self, form: forms.BillCreateForm) -> HttpResponse:
        data = dict(form.cleaned_data)
        on, planned = data.pop("on"), data.pop("planned_readings")
        if not data["slug"]:
            del data["slug"]
        try:
            bill = services.create_bill(
                by=self.request.user, on=on, planned_readings=planned, **data
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("已创建法规案“%(title)s”。") % {"title": bill})
        return redirect(bill.get_staff_url())


def _act_links(bill: Bill) -> list[dict[str, Any]]:
    """The buttons of the acts possible now, each to its page (``acts.ACTS``)."""
    links = []
    for name in selectors.next_acts(bill):
        act = ACTS[name]
        kwargs = {"slug": bill.slug, **dict(act.page_kwargs)}
        links.append(
            {
                "act": name,
                "label": act_label(act, bill),
                "url": reverse(f"staff:{act.page}", kwargs=kwargs),
                "ending": act.ending,
            }
        )
    return links


class BillWorkspaceView(BillMixin, TemplateView):
    """Everything about one bill, and only the next steps that are possible."""

    template_name = "staff/bill_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        bill = self.bill
        events = list(selectors.timeline(bill, public=False))
        corrections: dict[int, list] = defaultdict(list)
        for event in events:
            if event.corrects_id:
                corrections[event.corrects_id].append(event)
        for event in events:
            event.correction_list = corrections.get(event.pk, [])
        context.update(
            status=selectors.bill_status(bill, events),
            events=events,
            versions=list(selectors.visible_versions(self.request.user, bill)),
            documents=selectors.bill_documents(bill),
            votes=selectors.bill_votes(bill),
            acts=_act_links(bill),
            off_main_line=bill.stage not in MAIN_LINE,
            readings_held=sum(event.kind == EventKind.READING for event in events),
            changes=selectors.bill_changes(bill),
        )
        return context


class BillEditView(BillMixin, FormView):
    """The bill's details, saved only if nobody changed the bill meanwhile."""

    template_name = "staff/bill_form.html"
    form_class = forms.BillEditForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.bill}

    def form_valid(self, form: forms.BillEditForm) -> HttpResponse:
        try:
            bill = services.update_bill(
                bill=self.bill,
                by=self.request.user,
                expected_version=form.cleaned_data["version"],
                **form.changes(),
            )
        except ConcurrentUpdate as error:
            form.add_error(None, error.message)
            current = Bill.objects.select_related("updated_by").get(pk=self.bill.pk)
            context = self.get_context_data(
                form=form,
                conflict=True,
                current=current,
                differences=_differences(form, current),
            )
            return self.render_to_response(context, status=409)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存基本信息。"))
        return redirect(bill.get_staff_url())


def _display(form: forms.BillEditForm, name: str, value: Any) -> str:
    if isinstance(value, bool):
        return _("是") if value else _("否")
    choices = getattr(form.fields[name], "choices", None)
    if choices:
        return str(dict(choices).get(value, value))
    return str(value)


def _differences(form: forms.BillEditForm, current: Bill) -> list[dict[str, str]]:
    """List the details where the saved bill differs from what was submitted."""
    return [
        {
            "label": form.fields[name].label,
            "current": _display(form, name, getattr(current, name)),
            "yours": _display(form, name, value),
        }
        for name, value in form.changes().items()
        if getattr(current, name) != value
    ]
