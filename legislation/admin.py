"""
Admin for the legislation side. Stage, timeline and votes are read-only here: every
write goes through ``services``, as on the staff pages.
"""

from django.contrib import admin
from django.http import HttpRequest

from . import services
from .models import (
    Article,
    Bill,
    BillEvent,
    Chapter,
    Document,
    DraftVersion,
    Meeting,
    Paragraph,
    Vote,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False


class BillEventInline(ReadOnlyInline):
    model = BillEvent
    fk_name = "bill"
    fields = ("on", "kind", "from_stage", "to_stage", "meeting", "note", "recorded_by")


class DraftVersionInline(ReadOnlyInline):
    model = DraftVersion
    fields = ("number", "kind", "title", "date", "is_published")


@admin.register(Bill)
class BillAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "stage", "plan_year", "is_published", "updated_at")
    list_filter = ("stage", "kind", "plan_year", "is_published")
    search_fields = ("title", "slug", "drafting_body")
    readonly_fields = (
        "stage",
        "planned_readings",
        "announcement_number",
        "effective_on",
        "version",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
    )
    inlines = [DraftVersionInline, BillEventInline]

    def get_readonly_fields(self, request: HttpRequest, obj=None):  # noqa: ANN001, ANN201
        if obj is None:
            return tuple(f for f in self.readonly_fields if f != "planned_readings")
        return self.readonly_fields

    def save_model(self, request, obj, form, change):  # noqa: ANN001, ANN201
        data = {
            name: form.cleaned_data[name]
            for name in services.EDITABLE_FIELDS
            if name in form.cleaned_data
        }
        if change:
            services.update_bill(
                bill=obj, by=request.user, expected_version=obj.version, **data
            )
        else:
            created = services.create_bill(
                by=request.user,
                planned_readings=form.cleaned_data.get("planned_readings") or 2,
                **data,
            )
            obj.pk = created.pk

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        # A bill's history is a public record: withdraw or terminate it instead.
        return False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("short_name", "date", "members", "place")
    list_filter = ("term",)
    ordering = ("-date",)


@admin.register(BillEvent)
class BillEventAdmin(admin.ModelAdmin):
    list_display = ("bill", "on", "kind", "from_stage", "to_stage", "recorded_by")
    list_filter = ("kind",)
    search_fields = ("bill__title", "note")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(Vote)
class VoteAdmin(BillEventAdmin):
    list_display = ("bill", "meeting", "members", "yes", "no", "abstain")
    list_filter = ()
    search_fields = ("bill__title",)


class ArticleInline(ReadOnlyInline):
    model = Article
    fields = ("number", "heading", "chapter", "text", "predecessor", "aligned_by_hand")
    fk_name = "version"


@admin.register(DraftVersion)
class DraftVersionAdmin(admin.ModelAdmin):
    list_display = ("title", "bill", "number", "kind", "date", "is_published")
    list_filter = ("kind", "is_published")
    search_fields = ("title", "bill__title")
    readonly_fields = (
        "bill",
        "number",
        "source_text",
        "numbering_confirmed",
        "created_by",
    )
    inlines = [ArticleInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # New versions are parsed and aligned on the staff page.
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "version", "heading")
    search_fields = ("text",)
    readonly_fields = ("version", "lineage", "predecessor", "similarity")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


admin.site.register(Chapter)
admin.site.register(Paragraph)


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "bill", "kind", "date", "is_published")
    list_filter = ("kind", "is_published")
    search_fields = ("title", "bill__title")
