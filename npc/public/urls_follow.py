"""Public pages for following a bill by email, mounted in namespace ``follow``."""

from django.urls import path

from . import follow as views_follow

app_name = "follow"

urlpatterns = [
    path(
        "bills/<str:slug>/follow/", views_follow.FollowBillView.as_view(), name="bill"
    ),
    path(
        "bills/<str:slug>/follow/sent/",
        views_follow.FollowSentView.as_view(),
        name="sent",
    ),
    path(
        "follow/confirm/<str:token>/",
        views_follow.FollowConfirmView.as_view(),
        name="confirm",
    ),
    path(
        "follow/unsubscribe/<str:token>/",
        views_follow.UnsubscribeView.as_view(),
        name="unsubscribe",
    ),
]
