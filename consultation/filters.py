"""
Filters over comments and consultations, shared by the pages and the API.

They narrow a queryset the caller already scoped to what the user may see
(:mod:`consultation.access`, :mod:`consultation.selectors`); they grant nothing.
Ids are plain numbers, so a filter never loads a table of choices.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from legislation.filters import IntegerFilter
from legislation.models import Article, Bill

from . import access, search
from .models import (
    AdoptionLink,
    Channel,
    Comment,
    Consultation,
    Contributor,
    Decision,
    ImportBatch,
)


class CommentFilter(django_filters.FilterSet):
    """Filter comments by bill, version, article, decision, channel, point and more."""

    # The slug is resolved to the bill's id first (one indexed query): filtering
    # on the comment's own bill_id lets PostgreSQL walk the (bill, status, id)
    # index instead of joining bills and walking every comment newest first.
    bill = django_filters.CharFilter(method="filter_bill", label=_("法规案"))
    version = IntegerFilter(field_name="consultation__version", label=_("草案文本"))
    article = IntegerFilter(field_name="article", label=_("针对条文"))
    no_article = django_filters.BooleanFilter(
        field_name="article", lookup_expr="isnull", label=_("未针对具体条文")
    )
    # One column of the comment itself: no join that could repeat rows, so no
    # DISTINCT (which would sort a million comments before taking a page).
    status = django_filters.MultipleChoiceFilter(
        choices=Decision.choices, label=_("处理结果"), distinct=False
    )
    channel = django_filters.ChoiceFilter(
        field_name="consultation__channel", choices=Channel.choices, label=_("渠道")
    )
    consultation = IntegerFilter(field_name="consultation", label=_("征求意见活动"))
    point = IntegerFilter(field_name="point", label=_("联系点"))
    # The contributor's kind is personal data: it filters only the comments
    # whose makers the reader may know (a clerk: their own points'), and is
    # ignored for the public.
    kind = django_filters.ChoiceFilter(
        method="filter_kind",
        choices=Contributor.Kind.choices,
        label=_("提出人身份"),
    )
    # "Created" is the day the comment was made (its 提出日期).
    created_after = django_filters.DateFilter(
        field_name="submitted_on", lookup_expr="gte", label=_("提出日期起")
    )
    created_before = django_filters.DateFilter(
        field_name="submitted_on", lookup_expr="lte", label=_("提出日期止")
    )
    decided_after = django_filters.DateFilter(
        field_name="decided_at", lookup_expr="date__gte", label=_("处理日期起")
    )
    decided_before = django_filters.DateFilter(
        field_name="decided_at", lookup_expr="date__lte", label=_("处理日期止")
    )
    q = django_filters.CharFilter(method="filter_text", label=_("关键词"))
    adopted_into = IntegerFilter(
        method="filter_adopted_into",
        label=_("因意见修改的条文"),
        help_text=_("条文编号（id）：采纳后写入该条文（或其沿革中较早文本）的意见。"),
    )

    class Meta:
        model = Comment
        fields: list[str] = []

    def filter_adopted_into(
        self, queryset: QuerySet, name: str, value: int
    ) -> QuerySet:
        """Comments taken up in this article or its lineage's earlier versions."""
        article = (
            Article.objects.filter(pk=value)
            .values("lineage_id", "version__number")
            .first()
        )
        if article is None:
            return queryset.none()
        return queryset.filter(
            pk__in=AdoptionLink.objects.filter(
                article__lineage_id=article["lineage_id"],
                article__version__number__lte=article["version__number"],
            ).values("comment_id")
        )

    def filter_bill(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        bill_id = Bill.objects.filter(slug=value).values_list("pk", flat=True).first()
        return queryset.none() if bill_id is None else queryset.filter(bill=bill_id)

    def filter_kind(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        user = getattr(self.request, "user", None)  # no request: a public reader
        visible = access.with_personal_data(user, queryset) if user else None
        if visible is None:
            return queryset
        return visible.filter(contributor__kind=value)

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Keep comments whose text or summary contains every word of ``value``."""
        return search.filter_comments(queryset, value)


class PublicCommentFilter(CommentFilter):
    """
    The filters of a bill's public comments page (its form): CommentFilter's,
    but only those the page offers. A filter set copies each of its filters
    and their form fields for every request, and the page is drawn again
    whenever comments arrive: its form class is made once, and the page
    makes its form alone (:meth:`form_for`) unless it filters.
    """

    def get_form_class(self) -> type[forms.Form]:
        # The filters' fields depend on nothing of a request; each form copies
        # them (base_fields) as any Django form does.
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    @classmethod
    def form_for(cls, data: QueryDict) -> forms.Form:
        """The filters' form bound to ``data``, without a filter set."""
        form_class = cls.__dict__.get("_form_class") or cls().get_form_class()
        return form_class(data)


PublicCommentFilter.base_filters = {
    name: CommentFilter.base_filters[name]
    for name in ("status", "article", "adopted_into", "q")
}


class ConsultationFilter(django_filters.FilterSet):
    """Filter consultations by bill, point, channel and date."""

    bill = django_filters.CharFilter(field_name="bill__slug", label=_("法规案"))
    version = IntegerFilter(field_name="version", label=_("草案文本"))
    point = IntegerFilter(field_name="point", label=_("联系点"))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("渠道"))
    # A meeting's day, or a period overlapping the range.
    date_after = django_filters.DateFilter(method="filter_after", label=_("日期起"))
    date_before = django_filters.DateFilter(method="filter_before", label=_("日期止"))

    class Meta:
        model = Consultation
        fields: list[str] = []

    def filter_after(self, queryset: QuerySet, name: str, value) -> QuerySet:  # noqa: ANN001
        return queryset.filter(Q(held_on__gte=value) | Q(closes_on__gte=value))

    def filter_before(self, queryset: QuerySet, name: str, value) -> QuerySet:  # noqa: ANN001
        return queryset.filter(Q(held_on__lte=value) | Q(opens_on__lte=value))


class ImportFilter(django_filters.FilterSet):
    """Filter import batches by consultation and status."""

    # An id like the other filters' (an unknown one finds nothing), not a
    # choice among the consultations (an unknown one was a 400).
    consultation = IntegerFilter(field_name="consultation", label=_("征求意见活动"))
    status = django_filters.ChoiceFilter(
        choices=ImportBatch.Status.choices, label=_("状态")
    )

    class Meta:
        model = ImportBatch
        fields: list[str] = []
