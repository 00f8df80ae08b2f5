from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("bills/<str:slug>/", views.BillDetailView.as_view(), name="bill-detail"),
    path(
        "liaison-points/<int:pk>/", views.PointDetailView.as_view(), name="point-detail"
    ),
]
