"""The API's filter backend: a query parameter is what the description says."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError


class FilterBackend(DjangoFilterBackend):
    """
    django-filter's backend, refusing (400) what the description does not allow.

    The FilterSets are shared with the HTML pages, whose forms send a field left
    blank as ``?year=`` and where that means "any". In the API a number, a date,
    a choice or a boolean given blank is invalid, and a boolean is ``true`` or
    ``false`` (django-filter reads anything else as "no filter").
    """

    def get_filterset(self, request, queryset, view):  # noqa: ANN001, ANN201
        filterset = super().get_filterset(request, queryset, view)
        if filterset is None:
            return None
        errors = {}
        for name, filter_ in filterset.filters.items():
            values = request.query_params.getlist(name)
            if isinstance(filter_, django_filters.BooleanFilter):
                if any(value not in ("true", "false") for value in values):
                    errors[name] = [_("应为 true 或 false。")]
            elif not _is_free_text(filter_) and "" in values:
                errors[name] = [_("该值不能为空。")]
        if errors:
            raise ValidationError(errors)
        return filterset


def _is_free_text(filter_: django_filters.Filter) -> bool:
    """Whether any string, the empty one too, is a valid value."""
    return isinstance(filter_, django_filters.CharFilter) and not isinstance(
        filter_, django_filters.ChoiceFilter | django_filters.MultipleChoiceFilter
    )
