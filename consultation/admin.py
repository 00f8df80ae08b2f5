"""
Admin for the consultation side.

Liaison points are plain records (administrators manage them and their clerks).
Consultations and comments change through ``services``, as on the staff pages:
decisions are read-only here and made with the "decide" action, which calls
``decide_comments``; imports, feedback and decision history are for reading.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from npc.core.errors import DomainError
from npc.core.historyadmin import HistoryAdmin

from . import services
from .models import (
    Comment,
    CommentRevision,
    Consultation,
    Contributor,
    Decision,
    DecisionRecord,
    Feedback,
    ImportBatch,
    LiaisonPoint,
    Reason,
    normalise_receipt_code,
)


class DomainErrorsAsMessages:
    """Show a refused change as an error message instead of a server error."""

    def changeform_view(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:  # noqa: ANN002, ANN003
        try:
            return super().changeform_view(request, *args, **kwargs)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(LiaisonPoint)
class LiaisonPointAdmin(HistoryAdmin):
    list_display = ("name", "district", "host_kind", "contact_name", "is_active")
    list_filter = ("district", "host_kind", "is_active")
    search_fields = ("name", "address")
    filter_horizontal = ("clerks",)


@admin.register(Consultation)
class ConsultationAdmin(DomainErrorsAsMessages, HistoryAdmin):
    list_display = (
        "title",
        "bill",
        "channel",
        "point",
        "held_on",
        "opens_on",
        "closes_on",
        "participants",
        "is_published",
    )
    list_filter = ("channel", "is_published", "bill", "point__district")
    list_select_related = ("bill", "point")
    search_fields = ("title", "place")
    date_hierarchy = "created_at"
    raw_id_fields = ("version",)
    readonly_fields = ("revision", "created_by", "created_at", "updated_at")

    def save_model(self, request, obj, form, change) -> None:  # noqa: ANN001
        fields = [f for f in services.CONSULTATION_FIELDS if f in form.cleaned_data]
        if change:
            changes = {
                f: form.cleaned_data[f] for f in fields if f in form.changed_data
            }
            saved = services.update_consultation(
                consultation=obj,
                by=request.user,
                expected_revision=None,
                **changes,
            )
        else:
            saved = services.record_consultation(
                by=request.user, **{f: form.cleaned_data[f] for f in fields}
            )
        obj.pk = saved.pk
        obj.revision = saved.revision


class ContributorInline(admin.StackedInline):
    """Who made the comment: personal data, shown to staff only (admin users)."""

    model = Contributor
    can_delete = False
    fields = ("name", "contact", "kind", "affiliation")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False


class DecisionRecordInline(ReadOnlyInline):
    model = DecisionRecord
    fk_name = "comment"
    fields = (
        "decided_at",
        "status",
        "reason",
        "explanation",
        "duplicate_of",
        "decided_by",
    )
    readonly_fields = fields
    ordering = ("decided_at", "pk")


class DecideForm(ActionForm):
    """The decision the "decide" action gives every selected comment."""

    status = forms.ChoiceField(
        label=_("处理结果"), choices=Decision.choices, required=False
    )
    reason = forms.ChoiceField(
        label=_("理由"), choices=[("", "—")] + Reason.choices, required=False
    )
    explanation = forms.CharField(label=_("说明"), required=False)
    duplicate_of = forms.CharField(
        label=_("重复于（回执码）"), required=False, max_length=20
    )


class CommentAdminForm(forms.ModelForm):
    correction_reason = forms.CharField(
        label=_("更正理由"),
        required=False,
        max_length=1000,
        help_text=_("修改意见原文时必填；原文会保留。"),
    )

    class Meta:
        model = Comment
        fields = ("text", "summary")


class CommentRevisionInline(ReadOnlyInline):
    """The text as first recorded and each correction, with its reason."""

    model = CommentRevision
    fields = ("number", "text", "reason", "recorded_by", "recorded_at")
    readonly_fields = fields


@admin.register(Comment)
class CommentAdmin(DomainErrorsAsMessages, HistoryAdmin):
    list_display = (
        "receipt",
        "bill",
        "point",
        "article",
        "status",
        "reason",
        "submitted_on",
        "decided_at",
    )
    list_filter = (
        "status",
        "reason",
        "consultation__channel",
        "bill",
        "point__district",
    )
    list_select_related = ("bill", "point", "article")
    search_fields = ("=receipt_code", "text")
    date_hierarchy = "submitted_on"
    fields = (
        "receipt_code",
        "consultation",
        "bill",
        "point",
        "article",
        "text",
        "correction_reason",
        "summary",
        "submitted_on",
        "status",
        "reason",
        "explanation",
        "duplicate_of",
        "decided_by",
        "decided_at",
        "revision",
        "import_batch",
        "import_row",
        "created_by",
        "created_at",
    )
    readonly_fields = tuple(
        f for f in fields if f not in ("text", "correction_reason", "summary")
    )
    form = CommentAdminForm
    inlines = [ContributorInline, CommentRevisionInline, DecisionRecordInline]
    actions = ["decide"]
    action_form = DecideForm

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # comments are entered on the staff pages or imported

    def save_model(self, request, obj, form, change) -> None:  # noqa: ANN001
        changes = {
            f: form.cleaned_data[f]
            for f in ("text", "summary")
            if f in form.changed_data
        }
        if changes:
            services.edit_comment(
                comment=obj,
                by=request.user,
                expected_revision=None,
                reason=form.cleaned_data.get("correction_reason", ""),
                **changes,
            )

    @admin.action(description=_("处理所选意见"), permissions=["decide"])
    def decide(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        data = request.POST
        status = data.get("status", "")
        duplicate_of = None
        code = normalise_receipt_code(data.get("duplicate_of", ""))
        if code:
            duplicate_of = Comment.objects.filter(receipt_code=code).first()
            if duplicate_of is None:
                self.message_user(
                    request, _("没有回执码为该值的意见。"), messages.ERROR
                )
                return
        try:
            decided = services.decide_comments(
                comments=list(queryset.values_list("pk", flat=True)),
                status=status,
                by=request.user,
                reason=data.get("reason", ""),
                explanation=data.get("explanation", ""),
                duplicate_of=duplicate_of,
            )
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        self.message_user(
            request,
            _("已处理%(count)d条意见。") % {"count": len(decided)},
            messages.SUCCESS,
        )

    def has_decide_permission(self, request: HttpRequest) -> bool:
        from . import access

        return access.can_decide(request.user)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ("given_on", "channel", "point", "recorded_by")
    list_filter = ("channel", "point__district")
    list_select_related = ("point", "recorded_by")
    date_hierarchy = "given_on"
    raw_id_fields = ("comments",)


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = (
        "original_name",
        "consultation",
        "status",
        "total_rows",
        "created_count",
        "error_count",
        "created_by",
        "created_at",
    )
    list_filter = ("status",)
    list_select_related = ("consultation", "created_by")
