"""
One page per act on a bill. Each POST calls one service with the bill's version
as the page showed it; a refusal (``DomainError``) changes nothing and the page
shows its reason, a conflict with someone else's change says so and offers a
reload.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from .. import forms, services
from ..acts import ACT_FOR_STAGE, ACTS, act_label, may, may_record
from ..errors import ConcurrentUpdate, DomainError
from ..models import Stage
from .base import BillMixin


class BillActView(BillMixin, FormView):
    """
    One act on a bill: a form, then one service call. Subclasses say which
    form, which act (to tell whether it is possible now) and ``perform`` it.
    """

    template_name = "staff/bill_act.html"
    act = ""  # its name in ``acts.ACTS``; none for a document or a correction
    title = ""
    intro = ""
    submit_label = gettext_lazy("保存")
    success_message = gettext_lazy("已记入法规案进程。")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "bill": self.bill}

    def test_func(self) -> bool:
        return may_record(self.request.user)

    def get_title(self) -> str:
        return str(self.title or ACTS[self.act].label)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.get_title(),
            intro=self.intro,
            submit_label=self.submit_label,
            possible=not self.act or may(self.act, self.request.user, self.bill),
        )
        return context

    def form_valid(self, form: forms.BillActForm) -> HttpResponse:
        try:
            self.perform(
                dict(form.cleaned_data),
                by=self.request.user,
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as error:
            return self.refuse(form, error)
        messages.success(self.request, str(self.success_message))
        return redirect(self.get_success_url())

    def get_success_url(self) -> str:
        return self.bill.get_staff_url()

    def perform(self, data: dict[str, Any], *, by: Any, expected_version: int) -> None:
        raise NotImplementedError

    def refuse(self, form: forms.BillActForm, error: DomainError) -> HttpResponse:
        """Show why the service refused; it changed nothing."""
        form.add_error(None, error.message)
        for detail in error.details or []:
            form.add_error(None, str(detail))
        conflict = isinstance(error, ConcurrentUpdate)
        if conflict:
            self.bill.refresh_from_db()
        context = self.get_context_data(form=form, conflict=conflict)
        return self.render_to_response(context, status=409 if conflict else 200)


class AdvanceView(BillActView):
    """
    A move with nothing but a date and a note (drafting started, the bill
    submitted): the acts whose page is this one, by the stage in the URL.
    """

    form_class = forms.DatedActForm

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        act = ACT_FOR_STAGE.get(kwargs["stage"])
        if act is None or act.page != "bill-advance":
            raise Http404
        self.stage = Stage(kwargs["stage"])
        self.act = act.name

    def perform(self, data: dict[str, Any], **kwargs: Any) -> None:
        services.advance_bill(
            bill=self.bill, to=self.stage, on=data["on"], note=data["note"], **kwargs
        )


class ReadingView(BillActView):
    form_class = forms.ReadingForm
    act = "reading"
    intro = gettext_lazy(
        "审议在常委会会议上进行，须晚于上一次审议的会议。选择本次审议的草案文本。"
    )

    def get_title(self) -> str:
        return str(act_label(ACTS[self.act], self.bill))

    def perform(self, data: dict[str, Any], **kwargs: Any) -> None:
        services.record_reading(
            bill=self.bill,
            meeting=data["meeting"],
            version=data["draft"],
            note=data["note"],
            **kwargs,
        )


class UnifiedReviewView(BillActView):
    form_class = forms.UnifiedReviewForm
    act = "unified_review"
    title = gettext_lazy("记录法制委员会统一审议")

    def perform(self, data: dict[str, Any], **kwargs: Any) -> None:
        services.record_unified_review(
            bill=self.bill,
            on=data["on"],
            version=data["draft"],
            note=data["note"],
            **kwargs,
        )


class DeferVoteView(BillActView):
    form_class = forms.DeferVoteForm
    act = "defer_vote"
    title = gettext_lazy("暂不付表决")

    def perform(self, data: dict[str, Any], **kwargs: Any) -> None:
        services.defer_vote(
            bill=self.bill, meeting=data["meeting"], note=data["note"], **kwargs
        )


class ApprovalRequestView(BillActView):
    form_class = forms.DatedActForm
    act = "request_approval"
    title = gettext_lazy("报请省人大常委会批准")
    intro = gettext_lazy("省人大常委会应在四个月内审查批准（立法法第八十一条）。")

    def perform(self, data: dict[str, Any], **kwargs: Any) -> None:
        services.request_approval(
            bill=self.bill, on=data["on"], note=data["note"], **kwargs
        )


class ApprovalDecisionView(BillActView):
    form_class = forms.ApprovalDecisionForm
    act = "record_approval"
    title = gettext_lazy("记录省人大常委会的批准决定")

    def perform(self, data: dict[str, Any], **kwargs: Any) -> None:
        services.record_approval(
            bill=self.bill,
            approved=data["approved"],
            on=data["on"],
            note=data["note"],
            **kwargs,
        )


class PromulgationView(BillActView):
    form_class = forms.PromulgationForm
    act = "promulgate"
    title = gettext_lazy("公布")
    intro = gettext_lazy(
        "由市人大常委会发布公告予以公布；公布后三十日内报送备案（立法法第一百零九条）。"
    )

    def perform(self, data: dict[str, Any], **kwargs: Any) -> None:
        services.promulgate(
            bill=self.bill,
            on=data["on"],
            announcement_number=data["announcement_number"],
            effective_on=data["effective_on"],
            note=data["note"],
            **kwargs,
        )


class InForceView(BillActView):
    form_class = forms.InForceForm
    act = "enter_into_force"
    title = gettext_lazy("记录施行")

    def perform(self, data: dict[str, Any], **kwargs: Any) -> None:
        services.enter_into_force(bill=self.bill, on=data["on"], **kwargs)


class WithdrawView(BillActView):
    form_class = forms.ReasonForm
    act = "withdraw"
    title = gettext_lazy("撤回")
    intro = gettext_lazy("提案人撤回法规案；表决前均可撤回。")

    def perform(self, data: dict[str, Any], **kwargs: Any) -> None:
        services.withdraw_bill(
            bill=self.bill, on=data["on"], reason=data["reason"], **kwargs
        )


class TerminateView(BillActView):
    form_class = forms.ReasonForm
    act = "terminate"
    title = gettext_lazy("终止审议")
    intro = gettext_lazy(
        "例如：搁置审议满两年，或者因暂不付表决经过两年没有再次列入会议议程审议的（立法法第四十五条）。"
    )

    def perform(self, data: dict[str, Any], **kwargs: Any) -> None:
        services.terminate_bill(
            bill=self.bill, on=data["on"], reason=data["reason"], **kwargs
        )


class FilingView(BillActView):
    form_class = forms.DatedActForm
    act = "filing"
    title = gettext_lazy("报送备案")
    intro = gettext_lazy("公布后三十日内报送备案（立法法第一百零九条）。")

    def perform(self, data: dict[str, Any], **kwargs: Any) -> None:
        services.record_filing(
            bill=self.bill, on=data["on"], note=data["note"], **kwargs
        )


class PlannedReadingsView(BillActView):
    form_class = forms.PlannedReadingsForm
    act = "planned_readings"
    title = gettext_lazy("调整计划审议次数")

    def perform(self, data: dict[str, Any], **kwargs: Any) -> None:
        services.change_planned_readings(
            bill=self.bill,
            planned_readings=data["planned_readings"],
            note=data["note"],
            **kwargs,
        )


class DocumentView(BillActView):
    form_class = forms.DocumentForm
    title = gettext_lazy("添加文件")
    success_message = gettext_lazy("已添加文件。")

    def perform(self, data: dict[str, Any], **kwargs: Any) -> None:
        services.add_document(
            bill=self.bill,
            kind=data["kind"],
            title=data["title"],
            on=data["on"],
            text=data["text"],
            file=data["file"] or None,
            meeting=data["meeting"],
            version=data["draft"],
            is_published=data["is_published"],
            **kwargs,
        )


class CorrectionView(BillActView):
    form_class = forms.CorrectionForm
    title = gettext_lazy("更正进程记录")
    intro = gettext_lazy("进程记录不可修改或删除；更正作为新的事项附在原记录旁。")
    success_message = gettext_lazy("已记录更正。")

    def get_initial(self) -> dict[str, Any]:
        return {"event": self.request.GET.get("event")}

    def perform(self, data: dict[str, Any], **kwargs: Any) -> None:
        services.correct_event(event=data["event"], note=data["note"], **kwargs)


class VoteView(BillActView):
    """
    The vote: "preview" shows the result the tally gives against the meeting's
    members; "confirm" records it.
    """

    template_name = "staff/bill_vote.html"
    form_class = forms.VoteForm
    act = "vote"
    title = gettext_lazy("记录表决")
    success_message = gettext_lazy("已记录表决结果。")

    def form_valid(self, form: forms.VoteForm) -> HttpResponse:
        if "confirm" in self.request.POST:
            return super().form_valid(form)
        data = form.cleaned_data
        try:
            # A pure check: it refuses exactly what saving would refuse (who, the
            # bill's version and stage, meeting order, counts) and writes nothing.
            result = services.preview_vote(
                bill=self.bill,
                meeting=data["meeting"],
                yes=data["yes"],
                no=data["no"],
                abstain=data["abstain"],
                by=self.request.user,
                expected_version=data["version"],
            )
        except DomainError as error:
            return self.refuse(form, error)
        preview = {
            "carried": result.carried,
            "members": result.members,
            "needed": result.needed,
            "yes": result.yes,
            "no": result.no,
            "abstain": result.abstain,
            "not_voting": result.not_voting,
            "undecided": result.undecided,
        }
        return self.render_to_response(
            self.get_context_data(form=form, preview=preview)
        )

    def perform(self, data: dict[str, Any], **kwargs: Any) -> None:
        services.record_vote(
            bill=self.bill,
            meeting=data["meeting"],
            yes=data["yes"],
            no=data["no"],
            abstain=data["abstain"],
            version=data["draft"],
            note=data["note"],
            undecided_reason=data["undecided_reason"],
            **kwargs,
        )
