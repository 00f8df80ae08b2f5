"""
Public pages for following a bill by email: subscribe, confirm, unsubscribe.

Parse, call :mod:`legislation.notifications`, present. The address typed in is
never shown back on a page (another person may be looking at the screen of a
shared computer), and the answer to a subscription is the same whether or not
the address already followed the bill.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from legislation import notifications

from .keeping import published_bill


class FollowForm(forms.Form):
    email = forms.EmailField(
        label=_("电子邮箱"),
        max_length=254,
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "inputmode": "email", "required": True}
        ),
        help_text=_("只用于发送该法规案的进展提醒，不会公开。"),
    )


class FollowBillView(View):
    """GET: the form on a page of its own; POST: subscribe, then say what's next."""

    template_name = "public/follow_bill.html"

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        bill = published_bill(slug)
        return render(request, self.template_name, {"bill": bill, "form": FollowForm()})

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        bill = published_bill(slug)
        form = FollowForm(request.POST)
        if not form.is_valid():
            return render(
                request, self.template_name, {"bill": bill, "form": form}, status=400
            )
        notifications.follow_bill(bill=bill, email=form.cleaned_data["email"])
        return redirect("follow:sent", slug=bill.slug)


class FollowSentView(View):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return render(
            request, "public/follow_sent.html", {"bill": published_bill(slug)}
        )


def _invalid(request: HttpRequest, error: notifications.InvalidToken) -> HttpResponse:
    return render(
        request, "public/follow_invalid.html", {"message": error.message}, status=400
    )


class FollowConfirmView(View):
    """Opening the link in the confirmation mail confirms (idempotent)."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            subscription = notifications.confirm_following(token=token)
        except notifications.InvalidToken as error:
            return _invalid(request, error)
        return render(
            request, "public/follow_confirmed.html", {"bill": subscription.bill}
        )


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(View):
    """
    GET: a page with one button (link scanners in mail systems open links, and
    must not unsubscribe anyone); POST: unsubscribe.

    The POST needs no CSRF token: the signed token is the authority, and mail
    programs send the RFC 8058 one-click POST (``List-Unsubscribe=One-Click``)
    without any cookie.
    """

    template_name = "public/follow_unsubscribe.html"

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            subscription = notifications.subscription_for_unsubscribe(token=token)
        except notifications.InvalidToken as error:
            return _invalid(request, error)
        context: dict[str, Any] = {
            "bill": subscription.bill if subscription else None,
            "done": subscription is None,
        }
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            bill = notifications.stop_following(token=token)
        except notifications.InvalidToken as error:
            return _invalid(request, error)
        return render(request, self.template_name, {"bill": bill, "done": True})
