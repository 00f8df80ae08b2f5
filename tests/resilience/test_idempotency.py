"""
Retries are safe: the same POST sent again with the same Idempotency-Key (a
client retrying, a double click, a resent form) creates one record.
"""

import pytest
from django.urls import reverse

from consultation.models import Comment
from npc.idempotency.models import IdempotentRequest
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk_api(clerk_a):
    return client_for(clerk_a)


def _payload(consultation, text: str = "建议增设电梯应急联系电话。") -> dict:  # noqa: ANN001
    return {"consultation": consultation.pk, "text": text}


def _post(client, payload: dict, key: str | None):  # noqa: ANN001
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post("/api/v1/comments/", payload, format="json", **headers)


def test_the_same_key_and_body_twice_creates_one_comment(clerk_api, consultation_a):
    first = _post(clerk_api, _payload(consultation_a), "k-1")
    again = _post(clerk_api, _payload(consultation_a), "k-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Comment.objects.count() == 1


def test_the_same_key_with_another_body_is_422(clerk_api, consultation_a):
    assert _post(clerk_api, _payload(consultation_a), "k-2").status_code == 201
    other = _post(clerk_api, _payload(consultation_a, "另一条意见。"), "k-2")
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert Comment.objects.count() == 1


def test_without_a_key_each_post_creates(clerk_api, consultation_a):
    _post(clerk_api, _payload(consultation_a), None)
    _post(clerk_api, _payload(consultation_a), None)
    assert Comment.objects.count() == 2


def test_a_key_is_the_clients_own(clerk_a, staff, consultation_a):
    assert (
        _post(client_for(clerk_a), _payload(consultation_a), "k-3").status_code == 201
    )
    # Another user's identical key is another request.
    assert _post(client_for(staff), _payload(consultation_a), "k-3").status_code == 201
    assert Comment.objects.count() == 2


def test_a_refused_request_does_not_use_up_its_key(clerk_api, consultation_a):
    bad = _post(clerk_api, {"consultation": consultation_a.pk, "text": ""}, "k-4")
    assert bad.status_code == 400
    assert _post(clerk_api, _payload(consultation_a), "k-4").status_code == 201
    assert Comment.objects.count() == 1


def test_the_key_is_kept_in_the_database(clerk_api, consultation_a):
    _post(clerk_api, _payload(consultation_a), "k-5")
    kept = IdempotentRequest.objects.get(key="k-5")
    assert kept.status == 201 and kept.path == "/api/v1/comments/"


def test_a_resent_hand_entry_form_saves_one_comment(client, clerk_a, consultation_a):
    client.force_login(clerk_a)
    url = reverse("staff:comment-entry", args=[consultation_a.pk])
    page = client.get(url)
    key = page.context["idempotency_key"]
    assert f'name="_idempotency_key" value="{key}"' in page.content.decode()
    form = {
        "text": "建议增加夜间巡查。",
        "article": "",
        "contributor_kind": "resident",
        "_idempotency_key": key,
    }
    first = client.post(url, form)
    again = client.post(url, form)  # a double click, or the form sent again
    assert first.status_code == again.status_code == 302
    assert Comment.objects.filter(text="建议增加夜间巡查。").count() == 1
    # The next render carries a new key: the next comment is saved.
    next_key = client.get(url).context["idempotency_key"]
    assert next_key != key
    client.post(url, {**form, "_idempotency_key": next_key})
    assert Comment.objects.filter(text="建议增加夜间巡查。").count() == 2


def test_the_api_description_names_the_header_on_posts(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    post = schema["paths"]["/api/v1/comments/"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in post["parameters"])
    assert {"409", "422"} <= set(post["responses"])
