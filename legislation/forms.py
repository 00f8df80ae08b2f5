"""
Forms of the staff pages. They check the shape of the input only: whether an act
is allowed, and what it changes, is for ``services`` to decide.

Every form that acts on a bill carries the bill's ``version`` as it was when the
page was loaded, so that a second person's stale form is refused by the service
instead of overwriting the first person's change.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    BILL_EDITABLE_FIELDS,
    Article,
    Attendance,
    Bill,
    BillEvent,
    Document,
    DraftVersion,
    Meeting,
)

# --- fields shared by the act forms ----------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Meeting) -> str:
        return f"{obj.short_name}（{obj.date:%Y-%m-%d}，{obj.members}人）"


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: DraftVersion) -> str:
        return f"第{obj.number}稿 {obj.title}（{obj.get_kind_display()}，{obj.date:%Y-%m-%d}）"


def _meetings() -> Any:
    return Meeting.objects.order_by("-date", "-number")


def _today() -> Any:
    return timezone.localdate()


class BillActForm(forms.Form):
    """The base of every act on a bill: the version the page was loaded at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, bill: Bill, **kwargs: Any) -> None:
        self.bill = bill
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = bill.version


class DatedActForm(BillActForm):
    on = forms.DateField(label=_("日期"), widget=DateInput, initial=_today)
    note = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ReasonForm(BillActForm):
    """Withdrawal and termination: a date and a reason, which is required."""

    on = forms.DateField(label=_("日期"), widget=DateInput, initial=_today)
    reason = forms.CharField(
        label=_("理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("理由将记入法规案进程。"),
    )


class ReadingForm(BillActForm):
    meeting = MeetingChoiceField(label=_("常委会会议"), queryset=Meeting.objects.none())
    draft = VersionChoiceField(
        label=_("审议的草案文本"),
        queryset=DraftVersion.objects.none(),
        required=False,
    )
    note = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, bill: Bill, **kwargs: Any) -> None:
        super().__init__(*args, bill=bill, **kwargs)
        self.fields["meeting"].queryset = _meetings()
        self.fields["draft"].queryset = bill.versions.order_by("-number")
        latest = bill.versions.order_by("-number").first()
        if latest is not None:
            self.fields["draft"].initial = latest.pk


class UnifiedReviewForm(DatedActForm):
    draft = VersionChoiceField(
        label=_("统一审议后的草案文本"),
        queryset=DraftVersion.objects.none(),
        required=False,
        help_text=_("法制委员会统一审议形成的草案修改稿（如已添加）。"),
    )

    def __init__(self, *args: Any, bill: Bill, **kwargs: Any) -> None:
        super().__init__(*args, bill=bill, **kwargs)
        self.fields["draft"].queryset = bill.versions.order_by("-number")


class DeferVoteForm(BillActForm):
    meeting = MeetingChoiceField(label=_("常委会会议"), queryset=Meeting.objects.none())
    note = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, bill: Bill, **kwargs: Any) -> None:
        super().__init__(*args, bill=bill, **kwargs)
        self.fields["meeting"].queryset = _meetings()


class VoteForm(ReadingForm):
    yes = forms.IntegerField(label=_("赞成"), min_value=0)
    no = forms.IntegerField(label=_("反对"), min_value=0)
    abstain = forms.IntegerField(label=_("弃权"), min_value=0)
    undecided_reason = forms.CharField(
        label=_("表决前未逐条研究的理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "法规案尚有未研究处理的意见时必填：公众将在这些意见下看到这一理由。"
        ),
    )

    field_order = [
        "meeting",
        "yes",
        "no",
        "abstain",
        "draft",
        "note",
        "undecided_reason",
    ]

    def __init__(self, *args: Any, bill: Bill, **kwargs: Any) -> None:
        super().__init__(*args, bill=bill, **kwargs)
        self.fields["draft"].label = _("表决的草案文本")


class ApprovalDecisionForm(DatedActForm):
    approved = forms.TypedChoiceField(
        label=_("省人大常委会的决定"),
        choices=[("1", _("批准")), ("0", _("不予批准"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )

    field_order = ["approved", "on", "note"]


class PromulgationForm(DatedActForm):
    announcement_number = forms.CharField(
        label=_("公告编号"),
        max_length=50,
        help_text=_("例如：长治市人民代表大会常务委员会公告〔十五届〕第十九号"),
    )
    effective_on = forms.DateField(label=_("施行日期"), widget=DateInput)

    field_order = ["on", "announcement_number", "effective_on", "note"]


class InForceForm(BillActForm):
    on = forms.DateField(label=_("施行日期"), widget=DateInput)

    def __init__(self, *args: Any, bill: Bill, **kwargs: Any) -> None:
        super().__init__(*args, bill=bill, **kwargs)
        self.fields["on"].initial = bill.effective_on or _today()


class PlannedReadingsForm(BillActForm):
    planned_readings = forms.TypedChoiceField(
        label=_("计划审议次数"),
        choices=[(1, _("一次")), (2, _("两次")), (3, _("三次"))],
        coerce=int,
    )
    note = forms.CharField(
        label=_("说明"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("例如：因意见分歧较大，经主任会议决定进行第三次审议。"),
    )

    def __init__(self, *args: Any, bill: Bill, **kwargs: Any) -> None:
        super().__init__(*args, bill=bill, **kwargs)
        self.fields["planned_readings"].initial = bill.planned_readings


class DocumentForm(BillActForm):
    kind = forms.ChoiceField(label=_("类别"), choices=Document.Kind.choices)
    title = forms.CharField(label=_("标题"), max_length=300)
    on = forms.DateField(label=_("日期"), widget=DateInput, initial=_today)
    text = forms.CharField(
        label=_("正文"), widget=forms.Textarea(attrs={"rows": 12}), required=False
    )
    file = forms.FileField(label=_("附件"), required=False)
    meeting = MeetingChoiceField(
        label=_("相关会议"), queryset=Meeting.objects.none(), required=False
    )
    draft = VersionChoiceField(
        label=_("相关草案文本"), queryset=DraftVersion.objects.none(), required=False
    )
    is_published = forms.BooleanField(
        label=_("公开发布"),
        required=False,
        initial=True,
        help_text=_("公开的文件显示在公众网站，并记入法规案进程。"),
    )

    def __init__(self, *args: Any, bill: Bill, **kwargs: Any) -> None:
        super().__init__(*args, bill=bill, **kwargs)
        self.fields["meeting"].queryset = _meetings()
        self.fields["draft"].queryset = bill.versions.order_by("-number")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("text", "").strip() and not data.get("file"):
            raise forms.ValidationError(_("请填写正文或上传附件。"))
        return data


class CorrectionForm(BillActForm):
    event = forms.ModelChoiceField(
        label=_("要更正的事项"), queryset=BillEvent.objects.none()
    )
    note = forms.CharField(
        label=_("更正内容"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("原记录保留不变；更正作为新的事项记入进程。"),
    )

    def __init__(self, *args: Any, bill: Bill, **kwargs: Any) -> None:
        super().__init__(*args, bill=bill, **kwargs)
        field = self.fields["event"]
        field.queryset = bill.events.select_related("meeting").order_by("-on", "-pk")
        field.label_from_instance = lambda event: (
            f"{event.on:%Y-%m-%d} {event.get_kind_display()}"
            + (f"（{event.meeting.short_name}）" if event.meeting else "")
            + (f"：{event.note[:30]}" if event.note else "")
        )


# --- bills ---------------------------------------------------------------------


class BillCreateForm(forms.ModelForm):
    planned_readings = forms.TypedChoiceField(
        label=_("计划审议次数"),
        choices=[(1, _("一次")), (2, _("两次")), (3, _("三次"))],
        coerce=int,
        initial=2,
        help_text=_("市地方性法规一般审议两次；重大或意见分歧较大的审议三次。"),
    )
    on = forms.DateField(
        label=_("列入立法计划日期"),
        widget=DateInput,
        required=False,
        help_text=_("不填则记为立法计划年度的1月1日。"),
    )

    class Meta:
        model = Bill
        fields = list(BILL_EDITABLE_FIELDS)
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "slug": _("用于网址，只用字母、数字和连字符；不填则由标题生成。"),
            "is_published": _("公开后，公众网站可以看到该法规案及其公开的文本。"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["plan_year"].initial = timezone.localdate().year


class BillEditForm(forms.ModelForm):
    """The bill's details; ``version`` is the one the page was loaded at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Bill
        fields = BillCreateForm.Meta.fields
        widgets = BillCreateForm.Meta.widgets
        help_texts = BillCreateForm.Meta.help_texts

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["version"].initial = self.instance.version

    def changes(self) -> dict[str, Any]:
        """Return the submitted details, for ``services.update_bill``."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}


# --- draft versions --------------------------------------------------------------


class DraftVersionForm(BillActForm):
    """A new draft version: pasted text or an uploaded file, previewed first."""

    title = forms.CharField(
        label=_("标题"),
        max_length=300,
        required=False,
        help_text=_("不填则使用文本第一行的标题。"),
    )
    kind = forms.ChoiceField(
        label=_("文本类型"),
        choices=DraftVersion.Kind.choices,
        initial=DraftVersion.Kind.DRAFT,
    )
    on = forms.DateField(label=_("日期"), widget=DateInput, initial=_today)
    file = forms.FileField(
        label=_("上传文件"),
        required=False,
        help_text=_("Word（.docx）、纯文本（.txt）或Markdown（.md）文件。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.txt,.md,.markdown"}),
    )
    text = forms.CharField(
        label=_("或粘贴全文"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 20, "class": "source"}),
    )
    is_published = forms.BooleanField(
        label=_("公开此文本"), required=False, initial=False
    )
    confirm_numbering = forms.BooleanField(
        label=_("确认编号无误，仍然保存"), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("file") and not data.get("text", "").strip():
            raise forms.ValidationError(_("请粘贴草案全文或上传文件。"))
        return data


class AlignmentForm(forms.Form):
    """Say which article of the previous version an article continues."""

    article = forms.ModelChoiceField(
        label=_("本文本中的条文"), queryset=Article.objects.none()
    )
    predecessor = forms.ModelChoiceField(
        label=_("上一文本中的对应条文"),
        queryset=Article.objects.none(),
        required=False,
        empty_label=_("（无对应条文：新增条文）"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(
        self,
        *args: Any,
        draft: DraftVersion,
        previous: DraftVersion | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = draft.bill.version
        self.fields["article"].queryset = draft.articles.order_by("position")
        self.fields["article"].label_from_instance = _article_label
        if previous is not None:
            self.fields["predecessor"].queryset = previous.articles.order_by("position")
        self.fields["predecessor"].label_from_instance = _article_label


def _article_label(article: Article) -> str:
    heading = f"【{article.heading}】" if article.heading else ""
    excerpt = article.text.replace("\n", " ")[:24]
    return f"{article.label}{heading} {excerpt}"


class CompareForm(forms.Form):
    """The two versions of the comparison table."""

    from_ = forms.TypedChoiceField(label=_("原文本"), coerce=int)
    to = forms.TypedChoiceField(label=_("新文本"), coerce=int)
    changed = forms.BooleanField(label=_("只显示有修改的条文"), required=False)

    def __init__(self, *args: Any, versions: list[DraftVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(v.number, f"第{v.number}稿 {v.title}") for v in versions]
        self.fields["from_"].choices = choices
        self.fields["to"].choices = choices

    def add_prefix(self, field_name: str) -> str:
        # The query string says ?from=…&to=…; "from" is a Python keyword.
        return "from" if field_name == "from_" else super().add_prefix(field_name)


# --- meetings --------------------------------------------------------------------


class MeetingForm(forms.ModelForm):
    """A meeting's details; the services say what may change (a meeting on record)."""

    # The version the page was loaded at: a stale form is refused.
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Meeting
        fields = ["term", "number", "date", "members", "place"]
        widgets = {"date": DateInput}
        help_texts = {
            "members": _("常委会组成人员总数；表决须赞成票超过其半数。"),
        }

    def __init__(self, *args: Any, on_record: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["expected_version"].initial = self.instance.version
        if on_record:
            for name in ("term", "number", "date"):
                self.fields[name].help_text = _(
                    "本次会议已有审议或表决记录，不能直接修改；确有错误的，请使用“更正会议”。"
                )


class CorrectMeetingForm(forms.Form):
    """Correct the date or number of a meeting on record, with the reason."""

    date = forms.DateField(label=_("更正后日期"), widget=DateInput)
    number = forms.IntegerField(label=_("更正后会次"), min_value=1, max_value=1000)
    reason = forms.CharField(
        label=_("更正理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("理由记入会议的更正记录和相关法规案的进程。"),
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = meeting.date
        self.fields["number"].initial = meeting.number
        self.fields["expected_version"].initial = meeting.version


class AttendanceForm(forms.Form):
    """Who of the term's roster attended the meeting, one choice per member."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        meeting: Meeting,
        roster: Any,
        recorded: dict[int, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = meeting.version
        choices = [("", _("未记录")), *Attendance.Status.choices]
        for member in roster:
            self.fields[f"member_{member.pk}"] = forms.ChoiceField(
                label=f"{member.name}（{member.get_position_display()}）",
                choices=choices,
                required=False,
                initial=recorded.get(member.pk, ""),
            )

    def statuses(self) -> dict[int, str]:
        """The recorded status of each member, by id; unrecorded ones left out."""
        return {
            int(name.removeprefix("member_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("member_") and value
        }
