"""
Admin for the legislation side. Every model is here; what carries a rule goes
through ``services`` as on the staff pages: a bill's details are saved with
``update_bill`` (with the version the form was loaded at, so a stale form is
refused), a new bill with ``create_bill``, a document with ``add_document`` and
``update_document``, publishing a version with ``publish_version``. The stage,
the timeline, votes, article structure and the mail log are read-only here.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from npc.core.historyadmin import HistoryAdmin
from npc.core.roles import is_admin

from . import services
from .errors import DomainError
from .models import (
    BILL_EDITABLE_FIELDS,
    Article,
    ArticleLineage,
    Attendance,
    Bill,
    BillEvent,
    Chapter,
    CommitteeMember,
    DailyDigest,
    Document,
    DraftVersion,
    Item,
    KeptComparison,
    LawArticle,
    Meeting,
    MeetingCorrection,
    Notification,
    Paragraph,
    Part,
    Regulation,
    RegulationChange,
    RegulationText,
    Section,
    Subscription,
    TextArticle,
    Vote,
)


class ServiceAdmin(HistoryAdmin):
    """
    Show a service's refusal as a message and change nothing; the record's
    history (who, when, through which surface) is under "History".
    """

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ReadOnlyAdmin(admin.ModelAdmin):
    """History and derived rows: to be looked at, never edited here."""

    def has_add_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False


# --- bills ---------------------------------------------------------------------


class BillEventInline(ReadOnlyInline):
    model = BillEvent
    fk_name = "bill"
    fields = ("on", "kind", "from_stage", "to_stage", "meeting", "note", "recorded_by")


class DraftVersionInline(ReadOnlyInline):
    model = DraftVersion
    fields = ("number", "kind", "title", "date", "is_published")


class BillAdminForm(forms.ModelForm):
    # The version the form was loaded at: update_bill refuses if it moved on.
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    planned_readings = forms.TypedChoiceField(
        label=_("计划审议次数"),
        choices=[(1, 1), (2, 2), (3, 3)],
        coerce=int,
        initial=2,
        required=False,
    )

    class Meta:
        model = Bill
        fields = list(BILL_EDITABLE_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "slug" in self.fields and not self.instance.pk:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _("不填则由标题生成。")
        if self.instance.pk and not self.is_bound:
            self.fields["expected_version"].initial = self.instance.version


@admin.register(Bill)
class BillAdmin(ServiceAdmin):
    form = BillAdminForm
    list_display = ("title", "kind", "stage", "plan_year", "is_published", "updated_at")
    list_filter = ("stage", "kind", "plan_year", "is_published")
    search_fields = ("title", "slug", "drafting_body")
    readonly_fields = (
        "stage",
        "announcement_number",
        "effective_on",
        "version",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
    )
    inlines = [DraftVersionInline, BillEventInline]

    def get_fields(self, request: HttpRequest, obj: Bill | None = None) -> list[str]:
        fields = [*BILL_EDITABLE_FIELDS, "expected_version"]
        if obj is None:
            return [*fields, "planned_readings"]
        # The number of readings changes on the staff pages, with its own rule.
        return [*fields, "planned_readings_display", *self.readonly_fields]

    def get_readonly_fields(
        self, request: HttpRequest, obj: Bill | None = None
    ) -> tuple[str, ...]:
        if obj is None:
            return ()
        return ("planned_readings_display", *self.readonly_fields)

    @admin.display(description=_("计划审议次数"))
    def planned_readings_display(self, obj: Bill) -> int:
        return obj.planned_readings

    def save_model(
        self, request: HttpRequest, obj: Bill, form: BillAdminForm, change: bool
    ) -> None:
        data = {
            name: form.cleaned_data[name]
            for name in BILL_EDITABLE_FIELDS
            if name in form.cleaned_data
        }
        if change:
            saved = services.update_bill(
                bill=obj,
                by=request.user,
                expected_version=form.cleaned_data.get("expected_version"),
                **data,
            )
        else:
            if not data.get("slug"):
                data.pop("slug", None)
            saved = services.create_bill(
                by=request.user,
                planned_readings=form.cleaned_data.get("planned_readings") or 2,
                **data,
            )
        obj.pk = saved.pk
        obj.refresh_from_db()

    def has_delete_permission(
        self, request: HttpRequest, obj: Bill | None = None
    ) -> bool:
        # A bill's history is a public record: withdraw or terminate it instead.
        return False


class MeetingAdminForm(forms.ModelForm):
    # The version the form was loaded at: update_meeting refuses if it moved on.
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Meeting
        fields = list(services.MEETING_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["expected_version"].initial = self.instance.version


class AttendanceInline(ReadOnlyInline):
    model = Attendance
    fields = ("member", "status")
    show_change_link = False


class MeetingCorrectionInline(ReadOnlyInline):
    model = MeetingCorrection
    fields = (
        "old_date",
        "new_date",
        "old_number",
        "new_number",
        "reason",
        "corrected_by",
        "corrected_at",
    )
    readonly_fields = fields
    show_change_link = False


@admin.register(Meeting)
class MeetingAdmin(ServiceAdmin):
    """
    Meetings are saved through ``create_meeting`` and ``update_meeting``: a
    meeting on record keeps its term, number and date (a correction is made on
    the staff pages, with its reason) and its members never drop below a tally.
    """

    form = MeetingAdminForm
    list_display = ("name", "date", "members", "place")
    list_filter = ("term",)
    ordering = ("-date",)
    fields = (*services.MEETING_FIELDS, "expected_version")
    inlines = [AttendanceInline, MeetingCorrectionInline]

    def save_model(
        self, request: HttpRequest, obj: Meeting, form: MeetingAdminForm, change: bool
    ) -> None:
        data = {name: form.cleaned_data[name] for name in services.MEETING_FIELDS}
        if change:
            saved = services.update_meeting(
                meeting=obj,
                by=request.user,
                expected_version=form.cleaned_data.get("expected_version"),
                **data,
            )
        else:
            saved = services.create_meeting(by=request.user, **data)
        obj.pk = saved.pk
        obj.refresh_from_db()


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    """Recorded on the staff pages (``record_attendance``), which check the roster."""

    list_display = ("meeting", "member", "status")
    list_filter = ("status", "meeting__term")
    list_select_related = ("meeting", "member")


@admin.register(MeetingCorrection)
class MeetingCorrectionAdmin(ReadOnlyAdmin):
    list_display = ("meeting", "old_date", "new_date", "reason", "corrected_at")
    list_select_related = ("meeting",)


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(admin.ModelAdmin):
    """The roster of each term: plain records (attendance refers to them)."""

    list_display = ("name", "term", "position", "order", "note")
    list_filter = ("term", "position")
    search_fields = ("name",)
    ordering = ("term", "order", "pk")


@admin.register(BillEvent)
class BillEventAdmin(ReadOnlyAdmin):
    list_display = ("bill", "on", "kind", "from_stage", "to_stage", "recorded_by")
    list_filter = ("kind",)
    search_fields = ("bill__title", "note")
    list_select_related = ("bill", "recorded_by")


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ("bill", "meeting", "members", "yes", "no", "abstain")
    search_fields = ("bill__title",)
    list_select_related = ("bill", "meeting")


# --- draft versions and their structure ----------------------------------------


class ArticleInline(ReadOnlyInline):
    model = Article
    fields = ("number", "heading", "chapter", "text", "predecessor", "aligned_by_hand")
    fk_name = "version"


@admin.register(DraftVersion)
class DraftVersionAdmin(HistoryAdmin, ReadOnlyAdmin):
    """Versions are added and aligned on the staff pages; publishing is an action."""

    list_display = ("title", "bill", "number", "kind", "date", "is_published")
    list_filter = ("kind", "is_published")
    search_fields = ("title", "bill__title")
    list_select_related = ("bill",)
    inlines = [ArticleInline]
    actions = ["publish", "unpublish"]

    @admin.action(description=_("公开所选文本"))
    def publish(self, request: HttpRequest, queryset: QuerySet[DraftVersion]) -> None:
        self._publish(request, queryset, True)

    @admin.action(description=_("取消公开所选文本"))
    def unpublish(self, request: HttpRequest, queryset: QuerySet[DraftVersion]) -> None:
        self._publish(request, queryset, False)

    def _publish(
        self, request: HttpRequest, queryset: QuerySet[DraftVersion], publish: bool
    ) -> None:
        for version in queryset.select_related("bill"):
            services.publish_version(version=version, by=request.user, publish=publish)
        self.message_user(
            request,
            _("已更新%(count)s个文本。") % {"count": queryset.count()},
            messages.SUCCESS,
        )


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "version", "heading", "aligned_by_hand")
    search_fields = ("text",)
    list_select_related = ("version",)


admin.site.register(Part, ReadOnlyAdmin)
admin.site.register(Regulation, ReadOnlyAdmin)
admin.site.register(RegulationChange, ReadOnlyAdmin)
admin.site.register(RegulationText, ReadOnlyAdmin)
admin.site.register(LawArticle, ReadOnlyAdmin)
admin.site.register(TextArticle, ReadOnlyAdmin)
admin.site.register(Chapter, ReadOnlyAdmin)
admin.site.register(Section, ReadOnlyAdmin)
admin.site.register(Paragraph, ReadOnlyAdmin)
admin.site.register(Item, ReadOnlyAdmin)
admin.site.register(ArticleLineage, ReadOnlyAdmin)


@admin.register(KeptComparison)
class KeptComparisonAdmin(ReadOnlyAdmin):
    """Comparison tables kept once computed: derived, so deleting one only
    has it computed again on the next request."""

    list_display = ("__str__", "old", "new", "computed_at")
    list_select_related = ("old", "new")
    exclude = ("rows",)

    def has_delete_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return request.user.has_perm("legislation.delete_keptcomparison")


# --- documents -----------------------------------------------------------------


@admin.register(Document)
class DocumentAdmin(ServiceAdmin):
    """
    New documents go on the timeline through ``add_document``, changes through
    ``update_document`` (which notes them and tells the public pages).
    """

    list_display = ("title", "bill", "kind", "date", "is_published")
    list_filter = ("kind", "is_published")
    search_fields = ("title", "bill__title")
    list_select_related = ("bill",)
    fields = (
        "bill",
        "kind",
        "title",
        "date",
        "text",
        "file",
        "meeting",
        "version",
        "is_published",
    )

    def get_readonly_fields(
        self, request: HttpRequest, obj: Document | None = None
    ) -> tuple[str, ...]:
        # Once attached, a document stays with its bill, kind and stage; its
        # wording may still be put right.
        return ("bill", "kind", "stage", "created_by") if obj else ()

    def save_model(
        self, request: HttpRequest, obj: Document, form: forms.ModelForm, change: bool
    ) -> None:
        data = form.cleaned_data
        if change:
            changes = {
                name: data[name]
                for name in services.DOCUMENT_FIELDS
                if name in form.changed_data
            }
            if changes.get("file") is False:  # "clear" ticked
                changes["file"] = ""
            services.update_document(document=obj, by=request.user, **changes)
            obj.refresh_from_db()
            return
        saved = services.add_document(
            bill=data["bill"],
            kind=data["kind"],
            title=data["title"],
            on=data["date"],
            text=data["text"],
            file=data["file"] or None,
            meeting=data["meeting"],
            version=data["version"],
            is_published=data["is_published"],
            by=request.user,
        )
        obj.pk = saved.pk
        obj.refresh_from_db()


# --- following bills (personal data: administrators only) ----------------------


class AdministratorsOnly:
    """Followers' addresses are personal data: administrators only."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_admin(request.user)

    def has_view_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return is_admin(request.user)

    def has_change_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        # Unsubscribing deletes the row; an administrator may do it for someone.
        return is_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # People follow a bill themselves, by confirming their address.
        return False


@admin.register(Subscription)
class SubscriptionAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ("__str__", "bill", "confirmed_at", "created_at")
    list_filter = ("confirmed_at",)
    list_select_related = ("bill",)


@admin.register(Notification)
class NotificationAdmin(AdministratorsOnly, admin.ModelAdmin):
    """The log of mails sent, which keeps the notification task idempotent."""

    list_display = ("event", "subscription", "sent_at")
    list_select_related = ("event", "subscription")

    def has_delete_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False


@admin.register(DailyDigest)
class DailyDigestAdmin(ReadOnlyAdmin):
    list_display = ("day", "recipients", "sent_at")
