"""Draft versions: paste or upload and preview, the text and its alignment, publishing, the comparison table."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from .. import comparison, forms, parsing, selectors, services
from ..errors import ConcurrentUpdate, DomainError
from ..models import DraftVersion
from .base import BillMixin


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
    problem_lines = {problem.line for problem in parsed.problems}
    # Chapter numbers start again in each part (编).
    chapters = {(c.part, c.subpart, c.number): c for c in parsed.chapters}
    sections = {(s.part, s.subpart, s.chapter, s.number): s for s in parsed.sections}
    groups: list[dict[str, Any]] = []
    for article in parsed.articles:
        chapter = chapters.get((article.part, article.subpart, article.chapter))
        section = sections.get(
            (article.part, article.subpart, article.chapter, article.section)
        )
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
                "problem": article.line in problem_lines,
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
            changes=selectors.version_changes(self.version),
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
        messages.error(self.request, _("页面已过期，请重新载入后再提交。"))
        return redirect(
            "staff:version-detail", slug=self.bill.slug, number=self.version.number
        )


class CompareView(BillMixin, TemplateView):
    """The comparison table (修改对照表) of two versions of the bill."""

    template_name = "staff/compare.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET
        try:
            shown = selectors.version_comparison(
                bill=self.bill,
                user=self.request.user,
                old=query.get("from"),
                new=query.get("to"),
            )
        except selectors.NoSuchVersion as missing:
            context["versions"] = missing.versions
            if len(missing.versions) >= 2:
                # The choices as asked for, so that the form says what is wrong.
                context["form"] = forms.CompareForm(query, versions=missing.versions)
            return context
        context["versions"] = shown.versions
        if len(shown.versions) < 2:
            return context
        # The form shows the pair compared, defaults filled in.
        data = {
            "from": shown.old.number,
            "to": shown.new.number,
            "changed": query.get("changed", ""),
        }
        form = forms.CompareForm(data, versions=shown.versions)
        rows = shown.rows
        if form.is_valid() and form.cleaned_data["changed"]:
            rows = [row for row in rows if row.status != comparison.UNCHANGED]
        context.update(
            form=form, old=shown.old, new=shown.new, rows=rows, summary=shown.summary
        )
        return context
