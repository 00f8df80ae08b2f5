"""The public site: pages anyone can read, composed from both apps' selectors."""

from django.urls import path

from . import (
    calendar,
    commenting,
    comments,
    feeds,
    laws,
    meetings,
    opendata,
    stats,
    views,
)

app_name = "public"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("bills/", views.BillListView.as_view(), name="bill-list"),
    path("bills/<str:slug>/", views.BillDetailView.as_view(), name="bill-detail"),
    path("bills/<str:slug>/compare/", views.CompareView.as_view(), name="bill-compare"),
    path(
        "bills/<str:slug>/comments/",
        comments.BillCommentsView.as_view(),
        name="bill-comments",
    ),
    path(
        "bills/<str:slug>/comment/",
        commenting.PublicCommentView.as_view(),
        name="bill-comment",
    ),
    path(
        "bills/<str:slug>/comment/done/<str:token>/",
        commenting.PublicCommentDoneView.as_view(),
        name="comment-done",
    ),
    path(
        "comment-mail/confirm/<str:token>/",
        commenting.CommentMailConfirmView.as_view(),
        name="comment-mail-confirm",
    ),
    path(
        "comment-mail/unsubscribe/<str:token>/",
        commenting.CommentMailUnsubscribeView.as_view(),
        name="comment-mail-unsubscribe",
    ),
    path("bills/<str:slug>/feed/", feeds.BillEventsFeed(), name="bill-feed"),
    path("laws/", laws.LawListView.as_view(), name="law-list"),
    path("laws/<str:slug>/", laws.LawDetailView.as_view(), name="law-detail"),
    path("laws/<str:slug>/akn.xml", laws.law_akn, name="law-akn"),
    path(
        "bills/<str:slug>/versions/<int:number>/akn.xml",
        laws.version_akn,
        name="version-akn",
    ),
    path("liaison-points/", views.PointListView.as_view(), name="point-list"),
    path(
        "liaison-points/<int:pk>/", views.PointDetailView.as_view(), name="point-detail"
    ),
    path("meetings/", meetings.MeetingListView.as_view(), name="meeting-list"),
    path(
        "meetings/<int:pk>/",
        meetings.MeetingDetailView.as_view(),
        name="meeting-detail",
    ),
    path("calendar.ics", calendar.CalendarView.as_view(), name="calendar"),
    path("stats/", stats.StatsView.as_view(), name="stats"),
    path("receipt/", views.ReceiptView.as_view(), name="receipt"),
    path("feeds/events/", feeds.AllEventsFeed(), name="feed-events"),
    path("open-data/", opendata.OpenDataView.as_view(), name="open-data"),
    path(
        "open-data/<str:name>",
        opendata.open_data_file,
        name="open-data-file",
    ),
]
