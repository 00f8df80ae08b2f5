"""
Filters of the bill list, shared by the public list page and the API.

The FilterSet only narrows a queryset it is given; which bills a user may see at
all is ``selectors.visible_bills``'s business.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Bill, Stage


class YearFilter(django_filters.NumberFilter):
    """A whole year: 2024, not 2024.5."""

    field_class = forms.IntegerField


class BillFilter(django_filters.FilterSet):
    """Bills by stage, kind, legislative-plan year, sponsor and words of the text."""

    stage = django_filters.MultipleChoiceFilter(label=_("阶段"), choices=Stage.choices)
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=Bill.Kind.choices)
    year = YearFilter(
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
        """Keep bills whose title or summary contains every word of ``value``."""
        for word in value.split():
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(summary__icontains=word)
            )
        return queryset
