"""The project's URLs plus the benchmark's baseline page."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("bench/fortunes/", views.fortunes, name="bench-fortunes"),
    path("", include("npc.urls")),
]
