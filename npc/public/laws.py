"""The public pages of regulations in force: the list and one regulation's text."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView

from legislation import akn, search
from legislation.models import DraftVersion, Regulation
from legislation.selectors import regulations as selectors

# As long as the other search boxes take (legislation.filters).
MAX_QUERY_LENGTH = 100

STATUSES = (
    selectors.IN_FORCE,
    selectors.AMENDED,
    selectors.REPEALED,
    selectors.NOT_YET,
)


def reading_day(value: str | None) -> dt.date:
    """The day asked for (``?on=YYYY-MM-DD``), today if none; 404 if malformed."""
    if not value:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise Http404("bad date") from error


class LawListView(TemplateView):
    template_name = "public/law_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        on = reading_day(self.request.GET.get("on"))
        status = self.request.GET.get("status") or None
        if status not in (None, *STATUSES):
            raise Http404("bad status")
        year = self.request.GET.get("year") or None
        if year is not None and not (year.isascii() and year.isdigit()):
            raise Http404("bad year")
        rows = selectors.regulations(
            on=on, year=int(year) if year else None, status=status
        )
        words = self.request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
        if "\x00" in words:  # no database takes it in a string
            raise Http404("bad q")
        if words:
            rows = search.filter_regulations(rows, words, on=on)
        years = sorted({row.year for row in rows}, reverse=True)
        context.update(
            section="law-list",
            on=on,
            rows=rows,
            years=years,
            by_year=[(y, [r for r in rows if r.year == y]) for y in years],
            status=status,
            statuses=STATUSES,
            words=words,
            # The matches link to the text they were found in: the one in
            # force on the day asked.
            day_query="" if on == timezone.localdate() else f"?on={on.isoformat()}",
        )
        return context


class LawDetailView(TemplateView):
    template_name = "public/law_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        regulation = get_object_or_404(Regulation, slug=self.kwargs["slug"])
        on = reading_day(self.request.GET.get("on"))
        text = selectors.text_in_force(regulation, on)
        texts = list(regulation.texts.select_related("bill").order_by("effective_on"))
        if not texts:
            raise Http404("no text")
        context.update(
            section="law-detail",
            regulation=regulation,
            on=on,
            text=text,
            texts=texts,
            status=selectors.regulation_status(regulation, on),
            articles=selectors.text_articles(text) if text else [],
        )
        return context


def _xml(document: bytes, name: str) -> HttpResponse:
    response = HttpResponse(document, content_type="application/akn+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def law_akn(request: HttpRequest, slug: str) -> HttpResponse:
    """The text in force on ``?on=`` (today) as Akoma Ntoso XML."""
    regulation = get_object_or_404(Regulation, slug=slug)
    on = reading_day(request.GET.get("on"))
    text = selectors.text_in_force(regulation, on)
    if text is None:
        raise Http404("no text in force")
    name = f"{regulation.slug}-{text.effective_on.isoformat()}.akn.xml"
    return _xml(akn.text_in_force_document(text), name)


def version_akn(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """A published version of a published bill as Akoma Ntoso XML."""
    version = get_object_or_404(
        DraftVersion.objects.published(), bill__slug=slug, number=number
    )
    return _xml(akn.version_document(version), f"{slug}-{number}.akn.xml")
