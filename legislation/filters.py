"""
Filters of the bill list, shared by the public list page and the API.

The FilterSet only narrows a queryset it is given; which bills a user may see at
all is ``selectors.visible_bills``'s business.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from . import search
from .models import Bill, Meeting, Stage

# The range of a database integer (ids are 64-bit): beyond it is invalid input,
# not a database error.
MAX_INTEGER = 2**63 - 1


class IntegerFilter(django_filters.NumberFilter):
    """
    A whole number (an id, a year): 2024, not 2024.5, and within the range of
    a database integer; anything else is invalid (400 in the API).
    """

    field_class = forms.IntegerField

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("min_value", -MAX_INTEGER)
        kwargs.setdefault("max_value", MAX_INTEGER)
        super().__init__(*args, **kwargs)


class BillFilter(django_filters.FilterSet):
    """Bills by stage, kind, legislative-plan year, sponsor and words of the text."""

    stage = django_filters.MultipleChoiceFilter(label=_("阶段"), choices=Stage.choices)
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=Bill.Kind.choices)
    year = IntegerFilter(
        label=_("立法计划年度"), field_name="plan_year", min_value=1949, max_value=9999
    )
    sponsor = django_filters.ChoiceFilter(
        label=_("提案人"), choices=Bill.Sponsor.choices
    )
    q = django_filters.CharFilter(label=_("关键词"), method="search", max_length=100)

    class Meta:
        model = Bill
        fields = ["stage", "kind", "year", "sponsor", "q"]

    def search(self, queryset: QuerySet[Bill], name: str, value: str) -> QuerySet[Bill]:
        """
        Keep bills whose title, summary or published articles contain every
        word of ``value`` (see legislation.search).
        """
        return search.filter_bills(queryset, value)


class MeetingFilter(django_filters.FilterSet):
    """Meetings by term, year and date range."""

    term = IntegerFilter(label=_("届次"), min_value=1)
    year = IntegerFilter(
        label=_("年份"), method="in_year", min_value=1949, max_value=9999
    )
    date_after = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("日期起")
    )
    date_before = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=_("日期止")
    )

    class Meta:
        model = Meeting
        fields = ["term", "year", "date_after", "date_before"]

    def in_year(
        self, queryset: QuerySet[Meeting], name: str, value: int
    ) -> QuerySet[Meeting]:
        return queryset.filter(date__year=value)
