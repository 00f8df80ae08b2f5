"""
Public pages: anyone may read them, without an account.

Each view parses the request, calls the selectors of both apps and presents what
they return, in a fixed number of queries whatever the number of comments.
Unpublished bills and versions do not exist here (404). No contributor's
personal data is ever read: the public selectors do not load it.

An anonymous reader gets a kept response where one is kept, under versions a
change moves on, and a page is made of parts kept on their own: what each is
kept under is in :mod:`npc.public.keeping`. So that a page is the same for every
reader, public pages carry no CSRF token (the language switch is a pair of
links, the follow form has a page of its own).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from consultation import selectors as consultations
from consultation.models import Channel, District, LiaisonPoint
from legislation import search as article_search
from legislation import selectors as bills
from legislation.filters import BillFilter
from legislation.models import BillEvent, Document, EventKind, Stage
from npc.core import guessing
from npc.core.parts import city_figure, part
from npc.core.responsecache import cache_public

from . import keeping
from .charts import chart, outcome_chart
from .forms import (
    ReceiptForm,
    SingleChoiceForMultiple,
    int_param,
)
from .stats import stats_year

BILLS_PER_PAGE = 20


@method_decorator(cache_public(consultations.stats_page_versions), name="dispatch")
class HomeView(TemplateView):
    template_name = "public/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        year, _years = stats_year(self.request)
        context.update(
            bills=[
                (bill, bills.bill_status(bill, bill.public_events))
                for bill in bills.bills_in_progress()
            ],
            open_periods=list(consultations.open_comment_periods()),
            upcoming_meetings=bills.upcoming_meetings(),
            recent_meetings=bills.recent_meetings(),
            recent_events=list(bills.public_events(limit=6)),
            numbers=keeping.headline(year),
            year=year,
            today=timezone.localdate(),
        )
        return context


@method_decorator(cache_public(consultations.public_versions), name="dispatch")
class BillListView(TemplateView):
    template_name = "public/bill_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        filterset = BillFilter(params or None, queryset=bills.public_bill_list())
        form = filterset.form
        form.fields["stage"].widget = SingleChoiceForMultiple(
            choices=[("", _("全部阶段")), *Stage.choices]
        )
        form.fields["kind"].empty_label = _("全部类别")
        form.fields["sponsor"].empty_label = _("全部提案人")
        if filterset.is_bound and not filterset.is_valid():
            queryset = filterset.queryset.none()
        else:
            queryset = filterset.qs if filterset.is_bound else filterset.queryset
        paginator = Paginator(bills.with_public_timeline(queryset), BILLS_PER_PAGE)
        page = paginator.get_page(params.get("page"))
        query = params.copy()
        query.pop("page", None)
        words = params.get("q", "") if filterset.is_bound else ""
        matches = article_search.matching_articles(
            [bill.pk for bill in page.object_list], words
        )
        for bill in page.object_list:
            bill.search_matches = matches.get(bill.pk, [])
        context.update(
            filter=filterset,
            form=form,
            page_obj=page,
            bills=[
                (bill, bills.bill_status(bill, bill.public_events))
                for bill in page.object_list
            ],
            words=words,
            query=query.urlencode(),
            is_filtered=any(v for k, v in params.items() if k != "page"),
        )
        return context


@method_decorator(cache_public(keeping.bill_page_versions), name="dispatch")
class BillDetailView(keeping.KeptShell, TemplateView):
    """
    A bill: its status, timeline, documents, versions and text, consultations and
    the outcome of its comments and the changes they brought. In 10 queries, or
    the kept page in none; a page made again after a comment arrived reads the
    figures only (its other parts are kept under their own versions: its
    consultations and the changes comments brought under the settled version,
    which arrivals do not move).
    """

    template_name = "public/bill_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        keys = keeping.bill_keys(self.request, self.kwargs["slug"])
        bill, versions = keys.bill, keys.versions
        shown = versions[-1] if versions else None
        asked = int_param(self.request, "version")
        if asked is not None:
            shown = next((v for v in versions if v.number == asked), None)
            if shown is None:
                raise Http404
        text = shown
        settled = keys.of_settled()
        held = part(
            keeping.consultations_part(bill.pk),
            lambda: list(consultations.public_consultations(bill=bill)),
            version=settled,
        )
        open_periods = consultations.open_among(held)
        # What the parts show is read only when a part is made again.
        events = functools.cache(lambda: list(bills.timeline(bill, public=True)))
        documents = functools.cache(lambda: list(bills.public_documents(bill)))
        stats = functools.cache(
            lambda: consultations.comment_figures(
                bill=bill,
                submissions=keeping.submissions(keys),
                statuses=keeping.outcome_statuses(keys),
            )
        )
        context.update(
            bill=bill,
            bill_version=keys.of_bill(),
            counts_version=keys.of_counts(),
            settled_version=settled,
            consultations_version=_shown_of(held),
            status=functools.cache(lambda: bills.bill_status(bill, events())),
            timeline=functools.cache(lambda: _timeline_entries(events(), documents())),
            versions=versions,
            version_rows=list(zip(versions, [None, *versions], strict=False)),
            first_version=versions[0] if versions else None,
            last_version=versions[-1] if versions else None,
            text=text,
            is_current_text=shown is not None and shown == versions[-1],
            outline=functools.cache(lambda: bills.text_outline(text)) if text else [],
            consultations=held,
            open_periods=open_periods,
            # Each article of the text links to the comment form while an online
            # period on that very text is open.
            commentable=text is not None
            and any(
                p.channel == Channel.ONLINE and p.version_id == text.pk
                for p in open_periods
            ),
            stats=stats,
            outcome_chart=functools.cache(
                lambda: outcome_chart(stats()["by_status"], _("意见处理结果"))
            ),
            comment_changes=functools.cache(
                lambda: consultations.changes_from_comments(bill_id=bill.pk)
            ),
            today=timezone.localdate(),
        )
        return context

    def shell(self, context: dict[str, Any], keys: keeping.BillKeys) -> keeping.Shell:
        """
        The page but its figures, under the versions of the rest: comments
        arriving make the figures alone again, not the page around them.
        """
        return keeping.Shell(
            key=keeping.shell_part(keys.bill.pk, int_param(self.request, "version")),
            version=(keys.of_bill(), context["settled_version"]),
            holes={
                "figures": lambda: render_to_string(
                    "public/_bill_figures.html", context
                ),
            },
        )


def _shown_of(held: Iterable[Any]) -> tuple:
    """
    The version of a bill page's table of consultations: what the table shows
    of them, so that it is made again when that changes (a consultation
    recorded, corrected, published or withdrawn, its point renamed) and not
    with every comment.
    """
    return tuple(
        (
            c.pk,
            c.title,
            c.channel,
            c.point_id,
            c.point.name if c.point_id else "",
            c.held_on,
            c.opens_on,
            c.closes_on,
            c.participants,
        )
        for c in held
    )


def _timeline_entries(
    events: list[BillEvent], documents: list[Document]
) -> list[dict[str, Any]]:
    """
    Shape the bill's public events and documents for the timeline.

    A published document goes with the event that announced it (same day and
    title) so that its text can be opened there; a document with no such event
    stands on its own date. Consecutive consultation events (a round of
    meetings at liaison points, say) are grouped into one entry.
    """
    unmatched = list(documents)

    def take(match: Any) -> list[Document]:
        found = [d for d in unmatched if match(d)]
        for document in found:
            unmatched.remove(document)
        return found

    entries: list[dict[str, Any]] = []
    for event in events:
        if event.kind == EventKind.CONSULTATION_OPENED:
            last = entries[-1] if entries else None
            if last and last["consultations"]:
                last["consultations"].append(event)
                last["until"] = event.on
                continue
            entries.append(
                {
                    "on": event.on,
                    "until": event.on,
                    "event": None,
                    "documents": [],
                    "consultations": [event],
                }
            )
            continue
        if event.kind == EventKind.DOCUMENT_PUBLISHED:
            attached = take(lambda d, e=event: d.date == e.on and d.title == e.note)[:1]
        else:
            attached = []
        entries.append(
            {"on": event.on, "event": event, "documents": attached, "consultations": []}
        )
    for document in unmatched:
        entries.append(
            {
                "on": document.date,
                "event": None,
                "documents": [document],
                "consultations": [],
            }
        )
    entries.sort(key=lambda entry: entry["on"])  # stable: events keep their order
    for entry in entries:
        if len(entry["consultations"]) == 1:  # a single one reads as an event
            entry["event"], entry["consultations"] = entry["consultations"][0], []
    return entries


@method_decorator(cache_public(keeping.bill_versions), name="dispatch")
class CompareView(TemplateView):
    """The comparison table (修改对照表) between two published versions."""

    template_name = "public/compare.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        bill = keeping.published_bill(self.kwargs["slug"])
        try:
            shown = bills.version_comparison(
                bill=bill,
                # The public site shows what the public may read, whoever is
                # signed in.
                user=AnonymousUser(),
                old=self.request.GET.get("from"),
                new=self.request.GET.get("to"),
            )
        except bills.NoSuchVersion as missing:
            if len(missing.versions) >= 2:
                raise Http404 from missing
            shown, versions = None, missing.versions
        else:
            versions = shown.versions
        if shown is None or len(versions) < 2:  # nothing to compare yet: say so
            context.update(bill=bill, versions=versions, rows=None)
            return context
        changed_only = self.request.GET.get("changed") == "1"
        # On a small screen unchanged articles are hidden unless asked for.
        show_all = self.request.GET.get("all") == "1"
        rows = shown.rows
        # Mark the rows that adopted comments led to (因意见修改).
        behind = consultations.row_comments(old=shown.old, new=shown.new)
        for row in rows:
            row.comments = behind.get(row.new.key) if row.new else None
        context.update(
            bill=bill,
            versions=versions,
            old=shown.old,
            new=shown.new,
            rows=[r for r in rows if r.status != "unchanged"] if changed_only else rows,
            total_rows=len(rows),
            counts=shown.summary,
            changed_only=changed_only,
            show_all=show_all,
            unchanged=sum(r.status == "unchanged" for r in rows),
        )
        return context


@method_decorator(cache_public(), name="dispatch")  # its statistics are kept anyway
class PointListView(TemplateView):
    template_name = "public/point_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = list(city_figure("points", consultations.point_stats))
        districts = []
        order = {value: index for index, value in enumerate(District.values)}
        rows.sort(key=lambda r: (order.get(r.point.district, 99), r.point.name))
        for district, group in itertools.groupby(rows, key=lambda r: r.point.district):
            points = list(group)
            districts.append(
                {
                    "key": district,
                    "label": District(district).label,
                    "points": points,
                    "consultations": sum(p.consultations for p in points),
                    "comments": sum(p.comments for p in points),
                }
            )
        context.update(
            districts=districts,
            total_points=len(rows),
            total_consultations=sum(r.consultations for r in rows),
            total_comments=sum(r.comments for r in rows),
            district_chart=chart(
                _("各区县基层立法联系点收集的意见"),
                [
                    (d["label"], d["comments"], "", f"#district-{d['key']}")
                    for d in districts
                ],
            ),
        )
        return context


@method_decorator(cache_public(consultations.public_versions), name="dispatch")
class PointDetailView(TemplateView):
    template_name = "public/point_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        point = get_object_or_404(
            LiaisonPoint.objects.filter(is_active=True), pk=self.kwargs["pk"]
        )
        held = list(consultations.point_consultations(point))
        comments = sum(c.comment_count for c in held)
        adopted = sum(c.adopted_count for c in held)
        decided = sum(c.decided_count for c in held)
        context.update(
            point=point,
            consultations=held,
            participants=sum(c.participants for c in held),
            comments=comments,
            adopted=adopted,
            decided=decided,
            adoption_rate=consultations.adoption_rate(adopted, decided),
        )
        return context


class ReceiptView(FormView):
    """
    Look a comment up by its receipt code: its text and outcome, never who made
    it. A client that misses often is slowed (:mod:`npc.core.guessing`): 429
    with ``Retry-After`` until its next turn.
    """

    template_name = "public/receipt.html"
    form_class = ReceiptForm

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wait = guessing.receipts.wait(request)
        if wait:
            context = self.get_context_data(form=self.get_form(), throttled=wait)
            response = self.render_to_response(context, status=429)
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: ReceiptForm) -> HttpResponse:
        receipt = consultations.receipt_lookup(form.cleaned_data["code"])
        if receipt is None:
            guessing.receipts.missed(self.request)
            return self.render_to_response(
                self.get_context_data(form=form, not_found=True)
            )
        return self.render_to_response(
            self.get_context_data(
                form=form, receipt=receipt, **consultations.receipt_extras(receipt)
            )
        )
