"""Staff and clerk pages of the consultation side, mounted in namespace ``staff``."""

from django.urls import path

from . import views

staff_patterns: list = [
    # Clerks and staff: points, consultations, comments, imports, feedback.
    path(
        "consultations/points/",
        views.PointOverviewView.as_view(),
        name="consultation-points",
    ),
    path(
        "consultations/points/<int:pk>/changes/",
        views.PointChangesView.as_view(),
        name="point-changes",
    ),
    path(
        "consultations/",
        views.ConsultationListView.as_view(),
        name="consultation-list",
    ),
    path(
        "consultations/new/",
        views.ConsultationCreateView.as_view(),
        name="consultation-create",
    ),
    path(
        "consultations/<int:pk>/",
        views.ConsultationDetailView.as_view(),
        name="consultation-detail",
    ),
    path(
        "consultations/<int:pk>/edit/",
        views.ConsultationUpdateView.as_view(),
        name="consultation-edit",
    ),
    path(
        "consultations/<int:pk>/reopen/",
        views.ConsultationReopenView.as_view(),
        name="consultation-reopen",
    ),
    path(
        "consultations/<int:pk>/entry/",
        views.CommentEntryView.as_view(),
        name="comment-entry",
    ),
    path(
        "consultations/<int:pk>/import/",
        views.ImportCreateView.as_view(),
        name="import-create",
    ),
    path(
        "imports/template.<str:fmt>",
        views.ImportTemplateView.as_view(),
        name="import-template",
    ),
    path("imports/<int:pk>/", views.ImportDetailView.as_view(), name="import-detail"),
    path(
        "imports/<int:pk>/progress/",
        views.ImportProgressView.as_view(),
        name="import-progress",
    ),
    path(
        "comments/<int:pk>/", views.CommentDetailView.as_view(), name="comment-detail"
    ),
    path(
        "comments/<int:pk>/edit/", views.CommentEditView.as_view(), name="comment-edit"
    ),
    path(
        "comments/feedback/",
        views.FeedbackCreateView.as_view(),
        name="feedback-create",
    ),
    # Legislative staff: comments from the public, before they are shown.
    path(
        "comments/moderation/",
        views.ModerationQueueView.as_view(),
        name="moderation-queue",
    ),
    # Legislative staff: a bill's triage board and its exports.
    path(
        "bills/<str:slug>/articles/<int:article>/comments/",
        views.ArticleCommentLinksView.as_view(),
        name="article-comment-links",
    ),
    path(
        "bills/<str:slug>/comments/", views.TriageView.as_view(), name="bill-comments"
    ),
    path(
        "bills/<str:slug>/comments/groups/",
        views.GroupListView.as_view(),
        name="comment-groups",
    ),
    path(
        "bills/<str:slug>/comments/groups/<int:pk>/",
        views.GroupDetailView.as_view(),
        name="comment-group",
    ),
    path(
        "bills/<str:slug>/comments/export/",
        views.TriageExportView.as_view(),
        name="bill-comments-export",
    ),
]
