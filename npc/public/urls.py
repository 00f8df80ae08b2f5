"""The public site: pages anyone can read, composed from both apps' selectors."""

from django.urls import path

from . import feeds, laws, views

app_name = "public"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("bills/", views.BillListView.as_view(), name="bill-list"),
    path("bills/<str:slug>/", views.BillDetailView.as_view(), name="bill-detail"),
    path("bills/<str:slug>/compare/", views.CompareView.as_view(), name="bill-compare"),
    path(
        "bills/<str:slug>/comments/",
        views.BillCommentsView.as_view(),
        name="bill-comments",
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
    path("stats/", views.StatsView.as_view(), name="stats"),
    path("receipt/", views.ReceiptView.as_view(), name="receipt"),
    path("feeds/events/", feeds.AllEventsFeed(), name="feed-events"),
]
