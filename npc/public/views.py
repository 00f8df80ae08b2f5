"""Public pages. Each one reads through selectors in a fixed number of queries."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, TemplateView

from consultation.models import LiaisonPoint
from legislation.models import Bill


class HomeView(TemplateView):
    template_name = "public/home.html"

    def get_context_data(self, **kwargs):  # noqa: ANN003, ANN201
        context = super().get_context_data(**kwargs)
        context["bills"] = Bill.objects.published().order_by("-plan_year", "title")
        return context


class BillDetailView(DetailView):
    template_name = "public/bill_detail.html"
    context_object_name = "bill"

    def get_object(self, queryset=None):  # noqa: ANN001, ANN201
        return get_object_or_404(Bill.objects.published(), slug=self.kwargs["slug"])


class PointDetailView(DetailView):
    template_name = "public/point_detail.html"
    context_object_name = "point"

    def get_object(self, queryset=None):  # noqa: ANN001, ANN201
        point = get_object_or_404(LiaisonPoint, pk=self.kwargs["pk"])
        if not point.is_active:
            raise Http404
        return point
