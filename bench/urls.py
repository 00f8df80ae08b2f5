"""The project's URLs plus the benchmark's baseline page."""

from django.urls import path

from npc import urls as project

from . import views

# The project's patterns themselves, not include()d: Django refuses language
# prefixes (i18n_patterns, the public site's /en/) in an included URLconf.
urlpatterns = [
    path("bench/fortunes/", views.fortunes, name="bench-fortunes"),
    *project.urlpatterns,
]
