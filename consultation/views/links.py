"""关联意见: from a row of the comparison table, the comments behind a change."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from legislation.models import Article

from .. import services
from ..forms import parse_selection
from ..models import AdoptionLink, Comment
from .common import DecideRequired, safe_next, save_or_show

# How many candidate comments the page lists, most recent first.
LISTED = 300


class LinkCommentsForm(forms.Form):
    """The comments (``comment`` = id:revision, repeated) an article took up."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.selection = (
            parse_selection(self.data.getlist("comment")) if self.is_bound else {}
        )

    def clean(self) -> dict[str, Any]:
        if not self.selection:
            raise forms.ValidationError(
                gettext_lazy("请先勾选要关联的意见。"), code="empty"
            )
        return super().clean()


class ArticleCommentLinksView(DecideRequired, TemplateView):
    """
    Pick the adopted comments behind a changed or added article (关联意见):
    the bill's adopted and partially adopted comments made on an earlier
    version and not after this one's date.
    """

    template_name = "staff/consultation/article_links.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.article = get_object_or_404(
            Article.objects.select_related("version__bill"),
            pk=kwargs["article"],
            version__bill__slug=kwargs["slug"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        for name in ("slug", "article"):  # the URL's, read in dispatch
            kwargs.pop(name, None)
        version = self.article.version
        candidates = list(
            Comment.objects.filter(
                bill=version.bill,
                status__in=services.ADOPTING,
                consultation__version__number__lt=version.number,
                submitted_on__lte=version.date,
            )
            .select_related("article", "consultation__version")
            .order_by("-pk")[:LISTED]
        )
        linked = set(
            AdoptionLink.objects.filter(article=self.article).values_list(
                "comment_id", flat=True
            )
        )
        kwargs.setdefault("form", LinkCommentsForm())
        return super().get_context_data(
            nav="consultation-list",
            article=self.article,
            bill=version.bill,
            candidates=candidates,
            linked=linked,
            listed=LISTED,
            back=safe_next(self.request, version.bill.get_absolute_url()),
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = LinkCommentsForm(request.POST)
        expected = {k: v for k, v in form.selection.items() if v is not None}
        return save_or_show(
            self,
            form,
            lambda: services.link_comments(
                article=self.article,
                comments=list(form.selection),
                by=request.user,
                expected_revisions=expected,
            ),
            saved=_("已关联意见。"),
            then=redirect(request.get_full_path()),
            context={"form": form},
        )
