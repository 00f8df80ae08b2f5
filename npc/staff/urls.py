"""Staff and clerk pages under /staff/, in namespace ``staff``: both apps' and the due page."""

from django.urls import path

from consultation.urls import staff_patterns as consultation_staff
from legislation.urls import staff_patterns as legislation_staff

from . import due

app_name = "staff"

urlpatterns = [
    path("due/", due.DueView.as_view(), name="due"),
    *legislation_staff,
    *consultation_staff,
]
