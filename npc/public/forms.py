"""Forms of the public site: they check the shape of what a visitor typed."""

from django import forms
from django.forms.utils import flatatt
from django.http import HttpRequest, QueryDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from consultation.filters import PublicCommentFilter


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("回执码"),
        max_length=30,
        help_text=_("提交意见时得到的12位回执码，例如 ABCD-EFGH-JKMN，不区分大小写。"),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "inputmode": "latin",
            }
        ),
    )


class QuickSelect(forms.Select):
    """
    A drop-down drawn in Python rather than through a template per option: a
    filter of a hundred articles took 9 ms to draw, on a page drawn again
    whenever comments arrive. Plain choices only (no groups), as the public
    filters use.
    """

    def render(self, name, value, attrs=None, renderer=None):  # noqa: ANN001, ANN201
        chosen = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) in chosen else "", label)  # noqa: S308
                for key, label in self.choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            options,
        )


class SingleChoiceForMultiple(QuickSelect):
    """
    A plain drop-down for a filter that accepts several values (one is enough on
    the public list): it reads every value of the parameter, as the filter wants.
    """

    def value_from_datadict(self, data, files, name):  # noqa: ANN001, ANN201
        getter = getattr(data, "getlist", None)
        values = getter(name) if getter else data.get(name)
        return [v for v in values if v] if isinstance(values, list) else values


def int_param(request: HttpRequest, name: str) -> int | None:
    """A query parameter that must be a small whole number, or None."""
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


# What a bill's comments page reads of its query string: the filters of its
# form and the place in the list (a keyset page's bound, npc.core.paging).
COMMENT_FILTERS = tuple(PublicCommentFilter.base_filters)
COMMENT_PLACE = ("after", "before")


def comment_params(request: HttpRequest) -> QueryDict:
    """The query string of a bill's comments page, but what it does not read."""
    params = request.GET.copy()
    for name in list(params):
        if name not in COMMENT_FILTERS + COMMENT_PLACE:
            del params[name]
    return params


def comment_filters(params: QueryDict) -> QueryDict:
    """The filters of :func:`comment_params`, without the place in the list."""
    filters = params.copy()
    for name in COMMENT_PLACE:
        filters.pop(name, None)
    return filters
