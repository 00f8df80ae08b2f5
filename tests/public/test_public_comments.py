"""
Comments from the public: the form and the API during an open online period,
the receipt at once, the guards against abuse, and one comment per retry.
"""

import datetime as dt
import re

import pytest
from captcha.models import CaptchaStore
from django.utils import timezone

from consultation import guard
from consultation.models import Comment, Consultation, Contributor, Moderation

API = "/api/v1/bills/test-regulation/public-comments/"
FORM = "/bills/test-regulation/comment/"


@pytest.fixture(autouse=True)
def _no_time_trap(settings):
    settings.NPC_PUBLIC_COMMENT_MIN_SECONDS = 0


def _form_data(client, **changes) -> dict:
    page = client.get(FORM)
    html = page.content.decode()
    stamp = re.search(r'name="started" value="([^"]+)"', html).group(1)
    key = re.search(r'name="_idempotency_key" value="([^"]+)"', html).group(1)
    data = {
        "text": "建议第三条明确测试经费的来源。",
        "article": "3",
        "contributor_name": "",
        "contributor_contact": "",
        "contributor_kind": "",
        "website": "",
        "started": stamp,
        "_idempotency_key": key,
    }
    data.update(changes)
    return data


def _api(client, data: dict, **extra):
    return client.post(API, data, content_type="application/json", **extra)


def _close_online(site) -> None:
    today = timezone.localdate()
    Consultation.objects.filter(pk=site["online"].pk).update(
        opens_on=today - dt.timedelta(days=40), closes_on=today - dt.timedelta(days=2)
    )


# --- the form ---------------------------------------------------------------------


def test_each_article_of_the_open_draft_links_to_the_form(client, site):
    page = client.get("/bills/test-regulation/").content.decode()
    assert f'href="{FORM}?article=3"' in page
    assert "对本条提出意见" in page


def test_the_form_preselects_the_article(client, site):
    page = client.get(FORM + "?article=3").content.decode()
    assert re.search(r'<option value="3" selected>', page)


def test_a_comment_on_the_form_gets_its_receipt_at_once(client, site):
    response = client.post(FORM, _form_data(client))
    assert response.status_code == 302
    comment = Comment.objects.get(from_public=True)
    assert comment.moderation == Moderation.PENDING
    assert comment.point_id is None
    assert comment.article.number == 3
    assert comment.consultation_id == site["online"].pk
    done = client.get(response["Location"]).content.decode()
    assert comment.receipt in done
    assert "复制回执码" in done
    assert "/receipt/" in done


def test_personal_data_goes_to_the_contributor_with_consent_only(client, site):
    data = _form_data(
        client, contributor_name="王小明", contributor_contact="13912345678"
    )
    response = client.post(FORM, data)
    assert response.status_code == 400
    assert "同意" in response.content.decode()
    assert not Comment.objects.filter(from_public=True).exists()
    data = _form_data(
        client,
        contributor_name="王小明",
        contributor_contact="13912345678",
        consent="on",
    )
    assert client.post(FORM, data).status_code == 302
    person = Contributor.objects.get(comment__from_public=True)
    assert (person.name, person.contact) == ("王小明", "13912345678")


def test_a_contact_is_a_mobile_number_or_an_address(client, site):
    data = _form_data(client, contributor_contact="somewhere", consent="on")
    response = client.post(FORM, data)
    assert response.status_code == 400
    assert "手机号码或电子邮箱" in response.content.decode()


def test_a_closed_period_says_so_plainly_and_takes_nothing(client, site):
    data = _form_data(client)
    _close_online(site)
    page = client.get(FORM).content.decode()
    assert "现在不能在线提出意见" in page
    assert "已于" in page and "截止" in page
    response = client.post(FORM, data)
    assert response.status_code == 409
    assert not Comment.objects.filter(from_public=True).exists()


def test_the_text_keeps_the_limits_of_hand_entry_and_few_links(client, site):
    response = client.post(FORM, _form_data(client, text="   "))
    assert response.status_code == 400
    links = " ".join(f"https://example.com/{n}" for n in range(3))
    response = client.post(FORM, _form_data(client, text=f"请看 {links}"))
    assert response.status_code == 400
    assert "网址" in response.content.decode()
    assert not Comment.objects.filter(from_public=True).exists()


def test_what_the_submitter_typed_is_never_rendered_unescaped(client, site):
    script = "<script>alert(1)</script>建议"
    response = client.post(FORM, _form_data(client, text=script))
    done = client.get(response["Location"]).content.decode()
    assert "<script>alert(1)" not in done
    assert "&lt;script&gt;" in done
    response = client.post(FORM, _form_data(client, text=script, website="x"))
    assert "<script>alert(1)" not in response.content.decode()


# --- abuse resistance ---------------------------------------------------------------


def test_the_honeypot_refuses_and_saves_nothing(client, site):
    response = client.post(FORM, _form_data(client, website="http://spam.example"))
    assert response.status_code == 400
    assert not Comment.objects.filter(from_public=True).exists()


def test_a_form_sent_back_too_fast_is_refused_and_may_be_sent_again(
    client, site, settings
):
    settings.NPC_PUBLIC_COMMENT_MIN_SECONDS = 3
    response = client.post(FORM, _form_data(client))
    assert response.status_code == 400
    assert "太快" in response.content.decode()
    assert not Comment.objects.filter(from_public=True).exists()
    stale = guard.stamp()
    settings.NPC_PUBLIC_COMMENT_MIN_SECONDS = 0
    assert client.post(FORM, _form_data(client, started=stale)).status_code == 302


def test_a_form_without_a_valid_stamp_is_refused(client, site):
    response = client.post(FORM, _form_data(client, started="forged"))
    assert response.status_code == 400


def test_the_api_answers_429_past_the_limit_and_another_address_is_unaffected(
    client, site, settings
):
    settings.NPC_PUBLIC_COMMENT_SOFT_LIMIT = 2
    for n in range(2):
        assert _api(client, {"text": f"意见{n}"}).status_code == 201
    response = _api(client, {"text": "意见3"})
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    other = _api(client, {"text": "意见4"}, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 201
    assert Comment.objects.filter(from_public=True).count() == 3


def test_the_form_asks_for_a_captcha_past_the_soft_limit(client, site, settings):
    settings.NPC_PUBLIC_COMMENT_SOFT_LIMIT = 1
    settings.NPC_PUBLIC_COMMENT_HARD_LIMIT = 3
    assert client.post(FORM, _form_data(client)).status_code == 302
    page = client.get(FORM).content.decode()
    assert "验证码" in page
    assert 'src="/captcha/image/' in page
    assert "收听语音验证码" in page
    response = client.post(FORM, _form_data(client, text="第二条意见"))
    assert response.status_code == 400
    assert Comment.objects.filter(from_public=True).count() == 1
    data = _form_data(client, text="第二条意见")
    page = client.get(FORM).content.decode()
    key = re.search(r'name="captcha_0" value="([^"]+)"', page).group(1)
    wrong = {**data, "captcha_0": key, "captcha_1": "-1"}
    assert client.post(FORM, wrong).status_code == 400
    page = client.get(FORM).content.decode()
    key = re.search(r'name="captcha_0" value="([^"]+)"', page).group(1)
    answer = CaptchaStore.objects.get(hashkey=key).response
    data.update(captcha_0=key, captcha_1=answer)
    assert client.post(FORM, data).status_code == 302
    assert Comment.objects.filter(from_public=True).count() == 2


def test_the_form_refuses_past_the_hard_limit(client, site, settings):
    settings.NPC_PUBLIC_COMMENT_SOFT_LIMIT = 5
    settings.NPC_PUBLIC_COMMENT_HARD_LIMIT = 1
    assert client.post(FORM, _form_data(client)).status_code == 302
    response = client.post(FORM, _form_data(client, text="又一条"))
    assert response.status_code == 429
    assert "提交次数过多" in response.content.decode()


def test_a_bill_takes_a_limited_number_an_hour_from_all_addresses(
    client, site, settings
):
    settings.NPC_PUBLIC_COMMENT_BILL_LIMIT = 2
    for n in range(2):
        address = f"10.0.0.{n + 1}"
        assert _api(client, {"text": "意见"}, REMOTE_ADDR=address).status_code == 201
    assert _api(client, {"text": "意见"}, REMOTE_ADDR="10.0.0.9").status_code == 429


def test_the_limits_count_the_address_behind_a_trusted_proxy(client, site, settings):
    settings.NPC_PUBLIC_COMMENT_SOFT_LIMIT = 1
    settings.NPC_TRUSTED_PROXIES = ["127.0.0.1"]
    first = _api(client, {"text": "意见"}, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert first.status_code == 201
    again = _api(client, {"text": "意见"}, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert again.status_code == 429
    other = _api(client, {"text": "意见"}, HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert other.status_code == 201


# --- the API ------------------------------------------------------------------------


def test_the_api_takes_an_anonymous_comment_with_201_and_the_receipt(client, site):
    response = client.post(
        API,
        {"text": "建议增加一条。", "article": 2, "contact": "a@example.com"},
        content_type="application/json",
    )
    assert response.status_code == 400  # a contact without consent
    response = client.post(
        API,
        {
            "text": "建议增加一条。",
            "article": 2,
            "contact": "a@example.com",
            "consent": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    comment = Comment.objects.get(from_public=True)
    assert body["receipt_code"] == comment.receipt
    assert body["moderation"] == "pending"
    assert body["article"] == 2
    assert "a@example.com" not in response.content.decode()


def test_the_api_answers_409_when_no_period_is_open(client, site):
    _close_online(site)
    response = _api(client, {"text": "意见"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "commenting_closed"
    assert "截止" in body["detail"]
    today = timezone.localdate()
    Consultation.objects.filter(pk=site["online"].pk).update(
        opens_on=today + dt.timedelta(days=3), closes_on=today + dt.timedelta(days=40)
    )
    body = _api(client, {"text": "意见"}).json()
    assert (today + dt.timedelta(days=3)).isoformat() in body["detail"]


def test_the_api_refuses_an_article_not_in_the_draft(client, site):
    response = _api(client, {"text": "意见", "article": 99})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_comment"


def test_an_unpublished_bill_takes_no_comment(client, site):
    assert (
        client.post("/api/v1/bills/hidden-bill/public-comments/", {}).status_code == 404
    )
    assert client.get("/bills/hidden-bill/comment/").status_code == 404


def test_the_endpoint_is_in_the_openapi_description(client, site):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/bills/{slug}/public-comments/"]["post"]
    assert set(operation["responses"]) >= {"201", "400", "409", "429"}


# --- one comment per retry ------------------------------------------------------------


def test_a_client_retry_with_the_same_key_creates_one_comment(client, site):
    headers = {"HTTP_IDEMPOTENCY_KEY": "retry-1"}
    first = _api(client, {"text": "意见"}, **headers)
    again = _api(client, {"text": "意见"}, **headers)
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert first.json() == again.json()
    assert Comment.objects.filter(from_public=True).count() == 1


def test_a_double_click_or_a_resent_form_creates_one_comment(client, site):
    data = _form_data(client)
    first = client.post(FORM, data)
    again = client.post(FORM, data)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Comment.objects.filter(from_public=True).count() == 1


def test_the_captcha_is_drawn_here_with_a_spoken_alternative(client, db, settings):
    key = CaptchaStore.generate_key()
    image = client.get(f"/captcha/image/{key}/")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert settings.CAPTCHA_FLITE_PATH, "the audio captcha needs flite (apt-get)"
    audio = client.get(f"/captcha/audio/{key}.wav")
    assert audio.status_code == 200
    assert b"".join(audio.streaming_content).startswith(b"RIFF")


def test_expired_captchas_are_removed_by_the_hourly_task(db, settings):
    from django.utils import timezone as tz

    from consultation.tasks import remove_expired_captchas

    fresh = CaptchaStore.generate_key()
    stale = CaptchaStore.generate_key()
    CaptchaStore.objects.filter(hashkey=stale).update(
        expiration=tz.now() - dt.timedelta(minutes=1)
    )
    remove_expired_captchas.delay()
    assert list(CaptchaStore.objects.values_list("hashkey", flat=True)) == [fresh]
    assert "remove-expired-captchas" in settings.CELERY_BEAT_SCHEDULE
