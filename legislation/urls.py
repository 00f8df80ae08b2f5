"""Staff pages of the legislation side, mounted under /staff/ in namespace ``staff``."""

from django.urls import path

from . import views

staff_patterns = [
    path("", views.StaffHomeView.as_view(), name="home"),
    path("bills/<str:slug>/", views.BillWorkspaceView.as_view(), name="bill-detail"),
]
