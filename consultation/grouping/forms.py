"""Forms of the group pages: deciding a group, and moving comments between groups."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from legislation.models import Bill

from ..forms import AdoptionPlaceForm
from ..models import Decision, Reason

GROUP_DECISIONS = [(v, label) for v, label in Decision.choices if v != "duplicate"]


class GroupDecisionForm(AdoptionPlaceForm):
    """One decision for a whole group, as it was shown (its revision)."""

    status = forms.ChoiceField(label=_("处理结果"), choices=GROUP_DECISIONS)
    reason = forms.ChoiceField(
        label=_("理由（未采纳、部分采纳时必选）"),
        choices=[("", _("（无）")), *Reason.choices],
        required=False,
    )
    explanation = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, bill: Bill, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bill = bill


class GroupChangeForm(forms.Form):
    """Take a comment out, move it to another group, or merge this group."""

    ACTIONS = ("remove", "move", "merge")

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    comment = forms.IntegerField(required=False, min_value=1)
    to = forms.IntegerField(label=_("目标组编号"), required=False, min_value=1)

    def clean(self) -> dict:
        cleaned = super().clean()
        action = cleaned.get("action")
        if action in ("remove", "move") and not cleaned.get("comment"):
            raise forms.ValidationError(_("请选择意见。"))
        if action in ("move", "merge") and not cleaned.get("to"):
            raise forms.ValidationError(_("请填写目标组编号。"))
        return cleaned
