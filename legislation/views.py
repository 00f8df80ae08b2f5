"""
Staff pages of the legislation side: parse the request, call a service or a
selector, present the result.

Every act on a bill is one form page whose POST calls one service with the bill's
version as the page showed it. A service that refuses (``DomainError``) changes
nothing; the page shows its reason, and a conflict with someone else's change
says so and offers a reload.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import (
    CreateView,
    FormView,
    ListView,
    TemplateView,
    UpdateView,
)

from npc.roles import is_clerk, is_internal, is_legislative_staff

from . import forms, parsing, selectors, services
from .errors import ConcurrentUpdate, DomainError
from .filters import BillFilter
from .models import (
    FINAL,
    MAIN_LINE,
    READINGS,
    Bill,
    DraftVersion,
    EventKind,
    Meeting,
    Stage,
    vote_carries,
)

PAGE_SIZE = 50


# --- access ----------------------------------------------------------------------


class LegislativeStaffRequired(LoginRequiredMixin, UserPassesTestMixin):
    """Legislative staff and administrators; anonymous users are sent to log in."""

    nav = "bills"

    def test_func(self) -> bool:
        return is_legislative_staff(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("nav", self.nav)
        return super().get_context_data(**kwargs)


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


# --- bills -----------------------------------------------------------------------


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


class BillMixin(LegislativeStaffRequired):
    """A page about one bill, named by its slug in the URL."""

    @cached_property
    def bill(self) -> Bill:
        return get_object_or_404(Bill, slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("bill", self.bill)
        return super().get_context_data(**kwargs)


# Each act that can be offered on the workspace: its button and its page.
ACT_LINKS: dict[str, tuple[str, str, dict[str, str]]] = {
    "start_drafting": (gettext_lazy("启动起草"), "bill-advance", {"stage": "drafting"}),
    "submit": (gettext_lazy("提请审议"), "bill-advance", {"stage": "submitted"}),
    "reading": (gettext_lazy("记录审议"), "bill-reading", {}),
    "vote": (gettext_lazy("记录表决"), "bill-vote", {}),
    "request_approval": (gettext_lazy("报请批准"), "bill-approval-request", {}),
    "record_approval": (gettext_lazy("记录批准决定"), "bill-approval-decision", {}),
    "promulgate": (gettext_lazy("公布"), "bill-promulgation", {}),
    "enter_into_force": (gettext_lazy("记录施行"), "bill-in-force", {}),
    "unified_review": (gettext_lazy("记录统一审议"), "bill-unified-review", {}),
    "defer_vote": (gettext_lazy("暂不付表决"), "bill-defer-vote", {}),
    "filing": (gettext_lazy("报送备案"), "bill-filing", {}),
    "planned_readings": (gettext_lazy("调整审议次数"), "bill-planned-readings", {}),
    "withdraw": (gettext_lazy("撤回"), "bill-withdraw", {}),
    "terminate": (gettext_lazy("终止审议"), "bill-terminate", {}),
}
_READING_LABELS = {
    Stage.FIRST_READING: gettext_lazy("记录一审"),
    Stage.SECOND_READING: gettext_lazy("记录二审"),
    Stage.THIRD_READING: gettext_lazy("记录三审"),
}


def _next_reading(bill: Bill) -> Stage | None:
    return next((s for s in READINGS if s in bill.next_stages), None)


def _act_links(bill: Bill) -> list[dict[str, Any]]:
    links = []
    for act in selectors.next_acts(bill):
        label, name, kwargs = ACT_LINKS[act]
        if act == "reading" and (reading := _next_reading(bill)):
            label = _READING_LABELS[reading]
        links.append(
            {
                "act": act,
                "label": label,
                "url": reverse(f"staff:{name}", kwargs={"slug": bill.slug, **kwargs}),
                "ending": act in selectors.ENDING_ACTS,
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


# --- acts on a bill ------------------------------------------------------------


class BillActView(BillMixin, FormView):
    """
    One act on a bill: a form, then one service call. Subclasses say which
    form, which act (to tell whether it is possible now) and ``perform`` it.
    """

    template_name = "staff/bill_act.html"
    act = ""
    title = ""
    intro = ""
    submit_label = gettext_lazy("保存")
    success_message = gettext_lazy("已记入法规案进程。")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "bill": self.bill}

    def get_title(self) -> str:
        return str(self.title)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.get_title(),
            intro=self.intro,
            submit_label=self.submit_label,
            possible=not self.act or self.act in selectors.next_acts(self.bill),
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


ADVANCE_STAGES = {
    Stage.DRAFTING: ("start_drafting", gettext_lazy("启动起草")),
    Stage.SUBMITTED: ("submit", gettext_lazy("提请审议")),
}


class AdvanceView(BillActView):
    """Drafting started; the sponsor submitted the bill."""

    form_class = forms.DatedActForm

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        if kwargs["stage"] not in ADVANCE_STAGES:
            raise Http404
        self.stage = Stage(kwargs["stage"])
        self.act, self.title = ADVANCE_STAGES[self.stage]

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
        reading = _next_reading(self.bill)
        return str(_READING_LABELS[reading] if reading else _("记录审议"))

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


class _DryRun(Exception):
    """Raised to roll back a vote recorded only to preview it."""


def votes_needed(members: int) -> int:
    """Return the fewest yes votes with which a vote of ``members`` passes."""
    return next(
        yes for yes in range(members + 1) if vote_carries(yes=yes, members=members)
    )


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
            # Record the vote and roll it back: the preview refuses exactly what
            # saving would refuse (stage, meeting order, counts).
            with transaction.atomic():
                self.perform(
                    dict(data),
                    by=self.request.user,
                    expected_version=data["version"],
                )
                raise _DryRun
        except _DryRun:
            pass
        except DomainError as error:
            return self.refuse(form, error)
        members = data["meeting"].members
        preview = {
            "carried": vote_carries(yes=data["yes"], members=members),
            "members": members,
            "needed": votes_needed(members),
            "yes": data["yes"],
            "no": data["no"],
            "abstain": data["abstain"],
            "not_voting": members - data["yes"] - data["no"] - data["abstain"],
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
            **kwargs,
        )


# --- draft versions --------------------------------------------------------------


class DraftVersionCreateView(BillMixin, FormView):
    """
    Paste or upload a draft, see how it parsed and what numbering is broken, then
    save it. The text travels in the form across the preview.
    """

    template_name = "staff/version_form.html"
    form_class = forms.DraftVersionForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "bill": self.bill}

    def form_valid(self, form: forms.DraftVersionForm) -> HttpResponse:
        data = form.cleaned_data
        text = data["text"]
        if data["file"]:
            try:
                text = parsing.extract_text(data["file"].name, data["file"].read())
            except parsing.DraftFormatError as error:
                form.add_error("file", str(error))
                return self.form_invalid(form)
        try:
            parsed = services.preview_draft(text=text)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        title = data["title"] or parsed.title
        if "save" in self.request.POST:
            try:
                version = services.add_draft_version(
                    bill=self.bill,
                    text=text,
                    title=title,
                    kind=data["kind"],
                    on=data["on"],
                    by=self.request.user,
                    confirm_numbering=data["confirm_numbering"],
                    is_published=data["is_published"],
                    expected_version=data["version"],
                )
            except DomainError as error:
                form.add_error(None, error.message)
                return self._preview(form, data, text, parsed, error=error)
            messages.success(
                self.request,
                _("已保存第%(number)s稿，共%(count)s条。")
                % {"number": version.number, "count": len(parsed.articles)},
            )
            return redirect(
                "staff:version-detail", slug=self.bill.slug, number=version.number
            )
        return self._preview(form, data, text, parsed)

    def _preview(
        self,
        form: forms.DraftVersionForm,
        data: dict[str, Any],
        text: str,
        parsed: parsing.ParsedDraft,
        error: DomainError | None = None,
    ) -> HttpResponse:
        # A fresh form carrying the text (an uploaded file becomes text) and the
        # bill version of the first page, with the errors of this round.
        initial = {**data, "text": text, "file": None}
        if not initial["title"]:
            initial["title"] = parsed.title
        preview_form = self.form_class(bill=self.bill, initial=initial)
        preview_form._errors = form.errors if error else None
        context = self.get_context_data(
            form=preview_form,
            parsed=parsed,
            outline=_parsed_outline(parsed),
            totals={
                "chapters": len(parsed.chapters),
                "sections": len(parsed.sections),
                "articles": len(parsed.articles),
                "paragraphs": sum(len(a.paragraphs) for a in parsed.articles),
                "items": sum(
                    len(p.items) for a in parsed.articles for p in a.paragraphs
                ),
            },
            conflict=isinstance(error, ConcurrentUpdate),
        )
        return self.render_to_response(context)


def _parsed_outline(parsed: parsing.ParsedDraft) -> list[dict[str, Any]]:
    """Group the parsed articles under their chapter and section, in order."""
    chapters = {c.number: c for c in parsed.chapters}
    sections = {(s.chapter, s.number): s for s in parsed.sections}
    groups: list[dict[str, Any]] = []
    for article in parsed.articles:
        chapter = chapters.get(article.chapter)
        section = sections.get((article.chapter, article.section))
        if not groups or (groups[-1]["chapter"], groups[-1]["section"]) != (
            chapter,
            section,
        ):
            groups.append({"chapter": chapter, "section": section, "articles": []})
        groups[-1]["articles"].append(
            {
                "article": article,
                "paragraphs": len(article.paragraphs),
                "items": sum(len(p.items) for p in article.paragraphs),
            }
        )
    return groups


class VersionMixin(BillMixin):
    @cached_property
    def version(self) -> DraftVersion:
        return get_object_or_404(
            DraftVersion, bill=self.bill, number=self.kwargs["number"]
        )

    @cached_property
    def previous(self) -> DraftVersion | None:
        return (
            self.bill.versions.filter(number__lt=self.version.number)
            .order_by("-number")
            .first()
        )


class VersionDetailView(VersionMixin, TemplateView):
    """A version's text, each article's alignment with the previous version."""

    template_name = "staff/version_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        version = selectors.version_text(self.version)
        alignment = {a.pk: a for a in selectors.version_alignment(version)}
        for article in version.articles.all():
            aligned = alignment[article.pk]
            article.aligned_predecessor = aligned.predecessor
            article.similarity_percent = (
                round(aligned.similarity * 100)
                if aligned.similarity is not None
                else None
            )
        context.update(
            version=version,
            outline=selectors.outline(version),
            previous=self.previous,
            alignment_form=kwargs.get("alignment_form")
            or forms.AlignmentForm(
                draft=self.version,
                previous=self.previous,
                initial={"article": self.request.GET.get("article")},
            ),
            publish_form=forms.BillActForm(bill=self.bill),
        )
        return context


class VersionAlignmentView(VersionMixin, FormView):
    """Correct which article of the previous version an article continues."""

    form_class = forms.AlignmentForm
    http_method_names = ["post"]

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "draft": self.version,
            "previous": self.previous,
        }

    def form_valid(self, form: forms.AlignmentForm) -> HttpResponse:
        article = form.cleaned_data["article"]
        try:
            services.correct_alignment(
                article=article,
                predecessor=form.cleaned_data["predecessor"],
                by=self.request.user,
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form, conflict=isinstance(error, ConcurrentUpdate))
        messages.success(
            self.request,
            _("已校正%(article)s的对应关系。") % {"article": article.label},
        )
        url = reverse(
            "staff:version-detail",
            kwargs={"slug": self.bill.slug, "number": self.version.number},
        )
        return HttpResponseRedirect(f"{url}#{article.anchor}")

    def form_invalid(
        self, form: forms.AlignmentForm, *, conflict: bool = False
    ) -> HttpResponse:
        """Show the version page again, with the form and its errors."""
        page = VersionDetailView()
        page.setup(self.request, **self.kwargs)
        context = page.get_context_data(alignment_form=form, conflict=conflict)
        return self.response_class(
            request=self.request,
            template=[VersionDetailView.template_name],
            context=context,
            status=409 if conflict else 200,
        )


class VersionPublishView(VersionMixin, FormView):
    """Publish or unpublish a version on the public site."""

    form_class = forms.BillActForm
    http_method_names = ["post"]

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "bill": self.bill}

    def form_valid(self, form: forms.BillActForm) -> HttpResponse:
        publish = self.request.POST.get("publish") == "1"
        try:
            services.publish_version(
                version=self.version,
                by=self.request.user,
                publish=publish,
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as error:
            messages.error(self.request, error.message)
        else:
            messages.success(
                self.request,
                _("已公开该文本。") if publish else _("已取消公开该文本。"),
            )
        return redirect(
            "staff:version-detail", slug=self.bill.slug, number=self.version.number
        )

    def form_invalid(self, form: forms.BillActForm) -> HttpResponse:
        raise Http404


class CompareView(BillMixin, TemplateView):
    """The comparison table (修改对照表) of two versions of the bill."""

    template_name = "staff/compare.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        versions = list(self.bill.versions.order_by("number"))
        context["versions"] = versions
        if len(versions) < 2:
            return context
        data = {
            "from": self.request.GET.get("from", versions[-2].number),
            "to": self.request.GET.get("to", versions[-1].number),
        }
        form = forms.CompareForm(data, versions=versions)
        context["form"] = form
        if not form.is_valid():
            return context
        by_number = {v.number: v for v in versions}
        old, new = (
            by_number[form.cleaned_data["from_"]],
            by_number[form.cleaned_data["to"]],
        )
        rows = selectors.compare_versions(old=old, new=new)
        context.update(
            old=old, new=new, rows=rows, summary=selectors.comparison_summary(rows)
        )
        return context


# --- meetings ------------------------------------------------------------------


class MeetingListView(LegislativeStaffRequired, ListView):
    template_name = "staff/meeting_list.html"
    nav = "meetings"
    paginate_by = PAGE_SIZE
    context_object_name = "meetings"

    def get_queryset(self) -> Any:
        return Meeting.objects.order_by("-date", "-number")


class MeetingCreateView(LegislativeStaffRequired, CreateView):
    template_name = "staff/meeting_form.html"
    nav = "meetings"
    model = Meeting
    form_class = forms.MeetingForm

    def get_success_url(self) -> str:
        messages.success(
            self.request, _("已保存%(name)s。") % {"name": self.object.name}
        )
        return reverse("staff:meeting-list")


class MeetingUpdateView(LegislativeStaffRequired, UpdateView):
    template_name = "staff/meeting_form.html"
    nav = "meetings"
    model = Meeting
    form_class = forms.MeetingForm

    def get_success_url(self) -> str:
        messages.success(
            self.request, _("已保存%(name)s。") % {"name": self.object.name}
        )
        return reverse("staff:meeting-list")
