"""Staff and clerk pages of the consultation side, mounted in namespace ``staff``."""

from django.urls import path

from . import views_due

staff_patterns: list = [
    path("due/", views_due.DueView.as_view(), name="due"),
]
