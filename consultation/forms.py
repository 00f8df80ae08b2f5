"""
Forms of the staff and clerk pages: they check the shape of the input only.

What may be chosen (points, versions, comments) comes from
:mod:`consultation.access` and the selectors; whether the act is allowed and
fits the rules is for :mod:`consultation.services` to say.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from legislation.models import BEFORE_VOTE, Article, Bill, DraftVersion
from legislation.selectors import visible_bills, visible_versions

from . import access, imports
from .models import (
    Channel,
    Comment,
    Consultation,
    Contributor,
    Decision,
    Feedback,
    Reason,
    normalise_receipt_code,
)

User = Model | AnonymousUser


# --- consultations -------------------------------------------------------------


def _date_input() -> forms.DateInput:
    # A date picker wants ISO dates whatever the language of the page.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _version_choices(
    user: User, current: DraftVersion | None
) -> tuple[list[tuple[str, list[tuple[int, str]]]], dict[int, DraftVersion]]:
    """
    Group the versions ``user`` may consult on by bill: bills not yet put to the
    vote, and the bill of ``current`` (the version a consultation already has).
    """
    bills = visible_bills(user).in_stage(*BEFORE_VOTE)
    if current is not None:
        bills = bills | visible_bills(user).filter(pk=current.bill_id)
    groups: list[tuple[str, list[tuple[int, str]]]] = []
    versions: dict[int, DraftVersion] = {}
    for bill in bills.distinct().order_by("-plan_year", "title"):
        options = []
        for version in visible_versions(user, bill):
            version.bill = bill
            versions[version.pk] = version
            options.append((version.pk, f"{version.title}（{version.date:%Y-%m-%d}）"))
        if options:
            groups.append((bill.title, options))
    return groups, versions


class ConsultationForm(forms.Form):
    """Record a consultation, or change one (then with the revision it was read at)."""

    version = forms.TypedChoiceField(label=_("法规案及草案文本"), coerce=int)
    channel = forms.ChoiceField(label=_("渠道"), choices=Channel.choices)
    point = forms.ModelChoiceField(
        label=_("基层立法联系点"),
        queryset=None,
        required=False,
        empty_label=_("（不经联系点）"),
    )
    title = forms.CharField(label=_("名称"), max_length=300)
    held_on = forms.DateField(
        label=_("举行日期"),
        required=False,
        widget=_date_input(),
        help_text=_("座谈会、论证会等当天举行的活动填写。"),
    )
    opens_on = forms.DateField(
        label=_("开始日期"),
        required=False,
        widget=_date_input(),
        help_text=_("公开征求意见等持续一段时间的活动填写开始和截止日期。"),
    )
    closes_on = forms.DateField(
        label=_("截止日期"),
        required=False,
        widget=_date_input(),
    )
    place = forms.CharField(label=_("地点"), max_length=300, required=False)
    participants = forms.IntegerField(label=_("参加人数"), min_value=0, initial=0)
    summary = forms.CharField(
        label=_("情况摘要"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    is_published = forms.BooleanField(
        label=_("在公开网站上公布本次活动"), required=False, initial=True
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        user: User,
        instance: Consultation | None = None,
        **kwargs: Any,
    ) -> None:
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "version": instance.version_id,
                    "channel": instance.channel,
                    "point": instance.point_id,
                    "title": instance.title,
                    "held_on": instance.held_on,
                    "opens_on": instance.opens_on,
                    "closes_on": instance.closes_on,
                    "place": instance.place,
                    "participants": instance.participants,
                    "summary": instance.summary,
                    "is_published": instance.is_published,
                    "revision": instance.revision,
                },
            )
        super().__init__(*args, **kwargs)
        self.instance = instance
        groups, self._versions = _version_choices(
            user, instance.version if instance is not None else None
        )
        self.fields["version"].choices = [("", "---------"), *groups]
        self.fields["point"].queryset = access.points_for(user).order_by(
            "district", "name"
        )
        if instance is None:
            del self.fields["revision"]
            points = list(self.fields["point"].queryset[:2])
            if len(points) == 1 and not self.is_bound:
                # A clerk of one point records at that point.
                self.initial.setdefault("point", points[0].pk)
                self.initial.setdefault("channel", Channel.LIAISON_POINT)

    def clean_version(self) -> DraftVersion:
        return self._versions[self.cleaned_data["version"]]

    def service_arguments(self) -> dict[str, Any]:
        """Return the cleaned data as the services take it."""
        data = dict(self.cleaned_data)
        data.pop("revision", None)
        data["bill"] = data["version"].bill
        data["title"] = data["title"] or ""
        return data


# --- comments ------------------------------------------------------------------


class ArticleField(forms.CharField):
    """
    An article of one draft version, typed as 第十二条, 十二 or 12.

    Rendered as a text box with the version's articles offered as a list, so a
    clerk can type the number they hear or pick from the list.
    """

    def __init__(self, *, articles: Iterable[Article] = (), **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.by_number: dict[int, Article] = {a.number: a for a in articles}

    def clean(self, value: Any) -> Article | None:
        value = super().clean(value)
        if not value:
            return None
        number = imports.parse_article_number(value)
        if number is None:
            raise forms.ValidationError(
                _("无法识别条文“%(value)s”，请填写如“第十二条”或“12”。"),
                code="unreadable",
                params={"value": value},
            )
        if number not in self.by_number:
            raise forms.ValidationError(
                _("本次征求意见的草案文本中没有“%(value)s”。"),
                code="unknown",
                params={"value": value},
            )
        return self.by_number[number]

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Article):
            return value.label
        return value


def _article_field() -> ArticleField:
    return ArticleField(
        label=_("针对条文"),
        help_text=_("如“12”或“第十二条”，可留空。"),
        widget=forms.TextInput(
            attrs={"list": "article-options", "autocomplete": "off"}
        ),
    )


class CommentFieldsForm(forms.Form):
    """The fields of a comment and its contributor, shared by entry and edit."""

    text = forms.CharField(
        label=_("意见内容"),
        max_length=imports.MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    article = _article_field()
    contributor_name = forms.CharField(
        label=_("提出人姓名"),
        required=False,
        max_length=Contributor._meta.get_field("name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    contributor_contact = forms.CharField(
        label=_("联系方式"),
        required=False,
        max_length=Contributor._meta.get_field("contact").max_length,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    contributor_kind = forms.ChoiceField(
        label=_("身份"),
        choices=Contributor.Kind.choices,
        initial=Contributor.Kind.RESIDENT,
    )
    contributor_affiliation = forms.CharField(
        label=_("工作单位"),
        required=False,
        max_length=Contributor._meta.get_field("affiliation").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(
        self, *args: Any, articles: Iterable[Article] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["article"].by_number = {a.number: a for a in articles}


class CommentEntryForm(CommentFieldsForm):
    """One comment as said at a meeting: what, on which article, by whom."""

    same_as_last = forms.BooleanField(
        label=_("下一条沿用本条的条文和身份"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs["autofocus"] = True

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("same_as_last", None)
        return data


class CommentEditForm(CommentFieldsForm):
    """Correct a comment: its text, article, date and who made it."""

    summary = forms.CharField(
        label=_("意见摘要"),
        required=False,
        max_length=imports.MAX_SUMMARY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    submitted_on = forms.DateField(label=_("提出日期"), widget=_date_input())
    reason = forms.CharField(
        label=_("更正理由"),
        required=False,
        max_length=1000,
        help_text=_(
            "修改意见原文时必填。原文和每次更正都会保留，公众看到的意见标注“已更正”。"
        ),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)

    field_order = ["text", "reason", "summary", "article", "submitted_on"]

    def __init__(self, *args: Any, comment: Comment, **kwargs: Any) -> None:
        person = getattr(comment, "contributor", None)
        kwargs.setdefault(
            "initial",
            {
                "text": comment.text,
                "summary": comment.summary,
                "article": comment.article.label if comment.article else "",
                "submitted_on": comment.submitted_on,
                "contributor_name": person.name if person else "",
                "contributor_contact": person.contact if person else "",
                "contributor_kind": person.kind
                if person
                else Contributor.Kind.RESIDENT,
                "contributor_affiliation": person.affiliation if person else "",
                "revision": comment.revision,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs["rows"] = 6

    def changes(self) -> dict[str, Any]:
        """Return the fields whose value differs from what the form was read with."""
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name not in ("revision", "reason")
        }


class ImportForm(forms.Form):
    """A spreadsheet of comments to import; the services check its content."""

    file = forms.FileField(
        label=_("意见文件（CSV 或 XLSX）"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    different_comments = forms.BooleanField(
        label=_("这是另一批意见"),
        required=False,
        help_text=_(
            "内容与已导入的文件完全相同的文件会被拒绝，以免意见重复。"
            "仅当确认是另一批意见时勾选。"
        ),
    )


# --- selection of many comments -----------------------------------------------


def parse_selection(values: Iterable[str]) -> dict[int, int | None]:
    """
    Read the selected comments of a list: ``id`` or ``id:revision`` each.

    Returns ``{id: revision or None}``; values that are not of that shape are
    ignored (a hand-made query string selects nothing it should not).
    """
    selected: dict[int, int | None] = {}
    for value in values:
        head, _sep, tail = str(value).partition(":")
        if not head.isdigit() or len(head) > 18:
            continue
        selected[int(head)] = int(tail) if tail.isdigit() and len(tail) < 10 else None
    return selected


class FeedbackForm(forms.Form):
    """How and when the contributors of the selected comments were told."""

    channel = forms.ChoiceField(label=_("反馈方式"), choices=Feedback.Channel.choices)
    given_on = forms.DateField(label=_("反馈日期"), widget=_date_input())
    text = forms.CharField(
        label=_("反馈内容"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["given_on"].initial = timezone.localdate


class AdoptionPlaceForm(forms.Form):
    """
    Where an adopted comment was taken up: article numbers of the bill's latest
    version, or what was done instead. Needs ``self.bill``.
    """

    bill: Bill

    articles = forms.CharField(
        label=_("写入条文"),
        required=False,
        max_length=200,
        help_text=_("采纳、部分采纳时填写最新文本中的条号，如 8 或 8、28。"),
    )
    elsewhere = forms.CharField(
        label=_("未写入条文的，采取了什么措施"),
        required=False,
        max_length=2000,
        help_text=_("如：在实施细则中予以吸收。"),
    )

    def clean_articles(self) -> list[Article] | None:
        """The articles named by number in the bill's latest version, or None."""
        raw = self.cleaned_data["articles"].strip()
        if not raw:
            return None
        parts = [p for p in re.split(r"[,，、;；\s]+", raw) if p]
        if not all(p.isascii() and p.isdigit() and len(p) < 6 for p in parts):
            raise forms.ValidationError(
                _("请填写条号（数字），多个条号以顿号或逗号分开。"), code="invalid"
            )
        numbers = {int(p) for p in parts}
        latest = self.bill.versions.order_by("-number").first()
        found = (
            list(latest.articles.filter(number__in=numbers).order_by("position"))
            if latest
            else []
        )
        if len(found) != len(numbers):
            raise forms.ValidationError(_("最新文本中没有所填的条号。"), code="unknown")
        return found


class DecisionForm(AdoptionPlaceForm):
    """One decision for the selected comments: result, reason, explanation."""

    status = forms.ChoiceField(label=_("处理结果"), choices=Decision.choices)
    reason = forms.ChoiceField(
        label=_("理由（未采纳、部分采纳时必选）"),
        choices=[("", _("（无）")), *Reason.choices],
        required=False,
    )
    duplicate_of = forms.CharField(
        label=_("重复于（保留的意见）"),
        required=False,
        max_length=40,
        widget=forms.TextInput(
            attrs={"placeholder": _("回执码或编号"), "autocomplete": "off"}
        ),
        help_text=_("标为“重复意见”时填写，如 ABCD-EFGH-JKMN 或 1234。"),
    )
    explanation = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: User, bill: Bill, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.bill = bill
        self.selection: dict[int, int | None] = {}
        if self.is_bound:
            self.selection = parse_selection(self.data.getlist("comment"))

    def clean_duplicate_of(self) -> Comment | None:
        raw = self.cleaned_data["duplicate_of"].strip()
        if not raw:
            return None
        comments = access.visible_comments(self.user).filter(bill=self.bill)
        if raw.isdigit() and len(raw) < 18:
            kept = comments.filter(pk=int(raw)).first()
        else:
            kept = comments.filter(receipt_code=normalise_receipt_code(raw)).first()
        if kept is None:
            raise forms.ValidationError(
                _("本法规案中找不到意见“%(value)s”。"),
                code="unknown",
                params={"value": raw},
            )
        return kept

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.selection:
            raise forms.ValidationError(_("请先勾选要处理的意见。"), code="empty")
        return cleaned

    def expected_revisions(self) -> dict[int, int]:
        return {pk: rev for pk, rev in self.selection.items() if rev is not None}


class ReopenForm(forms.Form):
    """Open a closed consultation to comments again, until a day, saying why."""

    until = forms.DateField(
        label=_("开放至"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("含当日。到期后活动再次关闭。"),
    )
    reason = forms.CharField(
        label=_("重新开放的理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例如：联系点座谈会的书面意见延迟送达，需要补录。理由将留存备查。"),
    )
