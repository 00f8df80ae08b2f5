"""
A bill's comments page: every public comment on the bill and the decision on
it, newest first, filtered by outcome, article, where comments were taken up
or words, with the outcome figures beside the list.

Kept for anonymous readers as the bill's other pages are (:mod:`npc.public.keeping`):
the page as a shell with its list, its outcome counts and its figures drawn at
each request, each comment's item of the list kept on its own.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from consultation import arrivals
from consultation import search as comment_search
from consultation import selectors as consultations
from consultation.filters import PublicCommentFilter
from consultation.models import Decision
from npc.core.paging import dated_keyset_page
from npc.core.responsecache import cache_public

from . import keeping
from .charts import outcome_chart
from .forms import QuickSelect, SingleChoiceForMultiple, comment_filters, comment_params

COMMENTS_PER_PAGE = 20


@method_decorator(cache_public(keeping.bill_comments_versions), name="dispatch")
class BillCommentsView(keeping.KeptShell, TemplateView):
    """
    A bill's comments and their outcomes, by the date they were made (newest
    first), a keyset page at a time; duplicates folded under what they repeat.
    """

    template_name = "public/bill_comments.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        keys = keeping.bill_keys(self.request, self.kwargs["slug"])
        bill, published = keys.bill, keys.versions
        params = comment_params(self.request)
        stats = consultations.comment_outcomes(
            bill=bill,
            submissions=keeping.submissions(keys),
            statuses=keeping.outcome_statuses(keys),
        )
        shown = {v.pk for v in published}
        articles = [
            row
            for row in stats["by_article"]
            if row["key"] is not None and row["version_id"] in shown
        ]
        words = params.get("q", "")
        # A search draws its rows whole; else the page lists keys (run()).
        listed = (
            consultations.public_comments
            if words
            else consultations.public_comment_keys
        )
        # Its form and what was asked for; the filter set, and the comments
        # it filters, are made only if they are listed (comments()).
        form = PublicCommentFilter.form_for(params)
        statuses = {row["key"]: row["count"] for row in stats["by_status"]}
        form.fields["status"].widget = SingleChoiceForMultiple(
            choices=[("", _("全部"))]
            + [
                (value, _counted(label, statuses.get(value, 0)))
                for value, label in Decision.choices
                if statuses.get(value)
            ]
        )
        # A choice for each article, a hundred on a busy bill: spelt only when
        # the form is drawn, which the kept shell spares most requests.
        form.fields["article"].widget = QuickSelect(
            choices=lambda: _article_choices(published, articles)
        )
        too_long = False
        # Duplicates are shown under the comment they repeat; a reader who
        # picks outcomes or searches gets those comments only, listed as they are.
        fold = not any(params.getlist("status")) and not words

        def comments() -> QuerySet:
            # Not built for the newest page when it is kept with the comments
            # arriving taken in (keeping.newest_comments): it is not listed.
            filterset = PublicCommentFilter(params)
            found = listed(bill=bill)
            if filterset.is_valid():
                found = filterset.filter_queryset(found)
            else:  # a filter the form refuses lists nothing
                found = found.none()
            return consultations.without_folded_duplicates(found) if fold else found

        filters = comment_filters(params)
        # The newest page, unfiltered, is kept with the comments arriving
        # taken in (keeping.newest_comments), not listed after each.
        newest = (
            (
                lambda fetch: keeping.newest_comments(
                    keys, fetch, limit=COMMENTS_PER_PAGE + 1
                )
            )
            if fold and not filters
            else None
        )

        def run(comments=comments):
            # A search marks its words in each comment: its rows are drawn
            # whole. Else the page lists its comments' keys and takes their
            # items from what is kept (keeping.comment_items).
            if words:
                return dated_keyset_page(
                    comments,
                    params,
                    size=COMMENTS_PER_PAGE,
                    field=arrivals.LISTED_BY,
                    load=consultations.public_comments_by_id,
                )
            return dated_keyset_page(
                comments,
                params,
                size=COMMENTS_PER_PAGE,
                field=arrivals.LISTED_BY,
                columns=keeping.ITEM_COLUMNS,
                newest=newest,
            )

        try:
            # A keyword search's time is bounded (consultation.search); without
            # one the page costs no more queries than before.
            page = comment_search.bounded(run) if words else run()
        except comment_search.SearchTooLong:
            too_long = True
            page = run(lambda: comments().none())
        if words:
            consultations.give_places(page.rows, public=True)
        else:
            keeping.comment_items(keys, page.rows, fold=fold)
        context.update(
            bill=bill,
            form=form,
            page=page,
            fold=fold,
            # What the choice of articles shows: its counts are made again at
            # most once a counts period, not with every comment.
            articles_shown=tuple((row["key"], row["count"]) for row in articles),
            stats=stats,
            outcome_chart=outcome_chart(stats["by_status"], _("意见处理结果")),
            filters=filters.urlencode(),
            is_filtered=bool(filters),
            words=words,
            search_too_long=too_long,
        )
        return context

    def shell(
        self, context: dict[str, Any], keys: keeping.BillKeys
    ) -> keeping.Shell | None:
        """
        The page but what comments arriving change (the counts of the outcomes
        to choose from, the list, the figures beside it), under the versions
        of the rest (the bill, its settled version, the counts of the articles
        to choose from), for each choice of filters. A search, bounded in time
        and rarer, is rendered whole.
        """
        if context["words"]:
            return None
        return keeping.Shell(
            key=keeping.comments_shell_part(keys.bill.pk, context["filters"]),
            version=(keys.of_bill(), keys.of_settled(), context["articles_shown"]),
            holes={
                "status": lambda: str(context["form"]["status"]),
                "list": lambda: render_to_string("public/_comment_list.html", context),
                "aside": lambda: render_to_string(
                    "public/_comments_aside.html", context
                ),
            },
        )


def _article_choices(
    published: list[Any], articles: list[dict[str, Any]]
) -> list[tuple[Any, str]]:
    """The choice of articles: each with its version's kind and its comments."""
    # A version's kind spelt once, not once for each of its articles.
    kinds = {v.pk: v.get_kind_display() for v in published}
    return [("", _("全部条文"))] + [
        (
            row["key"],
            _counted(f"{kinds[row['version_id']]} {row['label']}", row["count"]),
        )
        for row in articles
    ]


def _counted(label: str, count: int) -> str:
    """A choice of the comments' filters and how many comments it holds."""
    return _("%(label)s（%(count)s）") % {"label": label, "count": count}
