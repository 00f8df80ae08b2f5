"""
The public comment form of a bill, its receipt, and the author's mail links.

Parse, guard, call :func:`consultation.services.submit_public_comment`, present.
The form works without JavaScript. A double click or a resent form saves one
comment: the form carries an idempotency key (:mod:`npc.idempotency`) and the
answer is a redirect to the receipt, which a replay repeats. The receipt page
is reached by a signed token naming the comment, never by a guessable number.
"""

from __future__ import annotations

import uuid
from typing import Any

from captcha.fields import CaptchaField
from django import forms
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from consultation import guard, mailing, selectors, services
from consultation.errors import CommentingClosed, DomainError
from consultation.models import Comment, Contributor
from consultation.services import MAX_TEXT_LENGTH
from legislation import selectors as bills
from legislation.models import Bill
from legislation.numerals import article_label

DONE_SALT = "public.comment.done"
HONEYPOT = "website"


class PublicCommentForm(forms.Form):
    article = forms.TypedChoiceField(
        label=gettext_lazy("针对条文"),
        coerce=int,
        empty_value=None,
        required=False,
    )
    text = forms.CharField(
        label=gettext_lazy("意见内容"),
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("必填，最多5000字；原文保存，经审核后公开。"),
    )
    contributor_name = forms.CharField(
        label=gettext_lazy("姓名（选填）"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contributor_contact = forms.CharField(
        label=gettext_lazy("联系方式（选填）"),
        max_length=100,
        required=False,
        help_text=gettext_lazy(
            "手机号码或电子邮箱。留下邮箱并确认后，我们会把回执码和处理结果发给您。"
        ),
        widget=forms.TextInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )
    contributor_kind = forms.ChoiceField(
        label=gettext_lazy("身份（选填）"),
        choices=[("", "—"), *Contributor.Kind.choices],
        required=False,
    )
    consent = forms.BooleanField(
        label=gettext_lazy(
            "我同意：姓名和联系方式只用于处理和反馈本条意见，不会公开，"
            "也不会提供给他人。"
        ),
        required=False,
    )
    # A field people never see and robots fill in.
    website = forms.CharField(required=False, label=gettext_lazy("网站"))
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, articles: list, challenge: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["article"].choices = [
            ("", _("不针对具体条文（总体意见）")),
            *[
                (a.number, f"{article_label(a.number)} {a.heading}".strip())
                for a in articles
            ],
        ]
        self.fields["website"].widget.attrs.update(
            {"tabindex": "-1", "autocomplete": "off"}
        )
        if challenge:
            self.fields["captcha"] = CaptchaField(
                label=_("验证码"),
                help_text=_(
                    "您的网络近期提交较多，请计算图中算式并填写结果；看不清可收听语音。"
                ),
            )


def _bill(slug: str) -> Bill:
    return get_object_or_404(bills.public_bill_list(), slug=slug)


def _articles(period: Any) -> list:
    return list(period.version.articles.order_by("position").only("number", "heading"))


@method_decorator(never_cache, name="dispatch")
class PublicCommentView(View):
    """GET: the form (or why commenting is closed); POST: take the comment."""

    template_name = "public/comment_form.html"

    def _render(
        self, request: HttpRequest, context: dict[str, Any], status: int = 200
    ) -> HttpResponse:
        return render(request, self.template_name, context, status=status)

    def _context(self, bill: Bill, period: Any, form: PublicCommentForm) -> dict:
        return {
            "bill": bill,
            "period": period,
            "form": form,
            "honeypot": form[HONEYPOT],
            "idempotency_key": uuid.uuid4().hex,
            "stamp": guard.stamp(),
        }

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        bill = _bill(slug)
        try:
            period = services.open_online_period(bill=bill)
        except CommentingClosed as exc:
            return self._render(request, {"bill": bill, "closed": exc.message})
        articles = _articles(period)
        article = request.GET.get("article", "")
        initial = {"article": int(article)} if article.isdigit() else {}
        challenge = guard.verdict(request, bill.pk) is not guard.Verdict.OK
        form = PublicCommentForm(
            initial=initial, articles=articles, challenge=challenge
        )
        return self._render(request, self._context(bill, period, form))

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        bill = _bill(slug)
        try:
            period = services.open_online_period(bill=bill)
        except CommentingClosed as exc:
            return self._render(request, {"bill": bill, "closed": exc.message}, 409)
        verdict = guard.verdict(request, bill.pk)
        if verdict is guard.Verdict.REFUSE:
            return self._render(request, {"bill": bill, "throttled": True}, 429)
        form = PublicCommentForm(
            request.POST,
            articles=_articles(period),
            challenge=verdict is guard.Verdict.CHALLENGE,
        )
        if not form.is_valid():
            return self._render(request, self._context(bill, period, form), 400)
        data = form.cleaned_data
        if data[HONEYPOT]:
            form.add_error(None, _("提交未成功，请刷新页面后重试。"))
            return self._render(request, self._context(bill, period, form), 400)
        if guard.too_fast(data["started"]):
            form.add_error(
                None, _("提交得太快了：请检查一下您的意见，然后再点一次“提交意见”。")
            )
            return self._render(request, self._context(bill, period, form), 400)
        try:
            comment = services.submit_public_comment(
                bill=bill,
                text=data["text"],
                article_number=data["article"],
                contributor_name=data["contributor_name"],
                contributor_contact=data["contributor_contact"],
                contributor_kind=data["contributor_kind"],
                consent=data["consent"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            return self._render(request, self._context(bill, period, form), 400)
        guard.submitted(request, bill.pk)
        token = signing.dumps(comment.pk, salt=DONE_SALT, compress=False)
        return redirect("public:comment-done", slug=bill.slug, token=token)


@method_decorator(never_cache, name="dispatch")
class PublicCommentDoneView(View):
    """The receipt, at once: the code, large, with a copy button and the lookup link."""

    def get(self, request: HttpRequest, slug: str, token: str) -> HttpResponse:
        try:
            pk = signing.loads(token, salt=DONE_SALT, max_age=7 * 24 * 3600)
        except signing.BadSignature as exc:
            raise Http404 from exc
        comment = (
            Comment.objects.filter(pk=pk, bill__slug=slug, from_public=True)
            .only("receipt_code", "bill_id")
            .first()
        )
        if comment is None:
            raise Http404
        receipt = selectors.receipt_lookup(comment.receipt_code)
        if receipt is None:
            raise Http404
        with_mail = mailing.AuthorMailing.objects.filter(pk=pk).exists()
        return render(
            request,
            "public/comment_done.html",
            {"receipt": receipt, "with_mail": with_mail},
        )


def _invalid(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(
        request, "public/follow_invalid.html", {"message": error.message}, status=400
    )


class CommentMailConfirmView(View):
    """Opening the link in the confirmation mail confirms (idempotent)."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            mailing.confirm(token=token)
        except mailing.InvalidToken as error:
            return _invalid(request, error)
        return render(request, "public/comment_mail.html", {"confirmed": True})


@method_decorator(csrf_exempt, name="dispatch")
class CommentMailUnsubscribeView(View):
    """GET: one button (link scanners must not unsubscribe); POST: unsubscribe."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            found = mailing.for_unsubscribe(token=token)
        except mailing.InvalidToken as error:
            return _invalid(request, error)
        return render(request, "public/comment_mail.html", {"ask": found is not None})

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            mailing.unsubscribe(token=token)
        except mailing.InvalidToken as error:
            return _invalid(request, error)
        return render(request, "public/comment_mail.html", {"stopped": True})
