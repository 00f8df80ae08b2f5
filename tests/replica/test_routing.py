"""
Reads from a real streaming replica: anonymous public reads go there, staff,
writes and the writer's next reads go to the primary, and a replica behind or
down sends public reads to the primary with the right data and no error.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import close_old_connections
from django.test import Client

from legislation.models import Bill
from legislation.services import update_bill
from npc.core.replica import PRIMARY_COOKIE, reads_from_primary
from tests.factories import UserFactory

from .conftest import counted

pytestmark = pytest.mark.replica

BILL_PAGE = "/bills/test-regulation/"
PUBLIC_COMMENTS = "/api/v1/bills/test-regulation/public-comments/"
User = get_user_model()


def _rename(title: str) -> None:
    """Change the bill's title on the primary (no request: the primary)."""
    Bill.objects.filter(slug="test-regulation").update(title=title)


@pytest.fixture
def renamed(app, cluster):
    """Give the bill its title back after a test that renames it."""
    yield
    _rename("长治市测试管理条例")
    cluster.wait_for_replay()


@pytest.mark.parametrize(
    "url",
    [
        "/",
        BILL_PAGE,
        "/bills/test-regulation/comments/",
        "/api/v1/bills/",
        "/api/v1/bills/test-regulation/",
        "/stats/",
        "/api/v1/comments/?q=测试资金",
        "/bills/test-regulation/comments/?q=测试资金",
    ],
)
def test_anonymous_public_reads_come_from_the_replica(app, client, url):
    client.get("/")  # the replica's health is checked here
    with counted() as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert queries["replica"] > 0
    assert queries["default"] == 0


def test_the_replica_serves_what_the_primary_wrote(app, client, cluster, renamed):
    _rename("长治市测试管理条例（复制到备库）")
    cluster.wait_for_replay()
    page = client.get(BILL_PAGE).content.decode()
    assert "长治市测试管理条例（复制到备库）" in page


def test_staff_pages_and_signed_in_readers_read_from_the_primary(app, client):
    client.get("/")
    client.force_login(UserFactory(username="staff"))
    for url in ("/staff/", BILL_PAGE):
        with counted() as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert queries["replica"] == 0
        assert queries["default"] > 0


def test_a_token_holder_reads_from_the_primary(app, client):
    client.get("/")
    with counted() as queries:
        client.get("/api/v1/bills/", HTTP_AUTHORIZATION="Token not-a-real-one")
    assert queries["replica"] == 0


def test_reads_outside_a_request_come_from_the_primary(app):
    with counted() as queries:
        assert Bill.objects.filter(slug="test-regulation").exists()
    assert queries == {"default": 1, "replica": 0}


def test_the_writer_reads_their_comment_from_the_primary_others_from_the_replica(
    app, client, cluster, settings
):
    settings.NPC_REPLICA_MAX_LAG_SECONDS = 3600  # a replica behind is still used
    client.get("/")
    cluster.pause_replay()
    try:
        with counted() as queries:
            response = client.post(
                PUBLIC_COMMENTS,
                {"text": "建议公布测试结果的查询方式。", "article": 2},
                content_type="application/json",
            )
        assert response.status_code == 201
        assert queries["replica"] == 0
        assert PRIMARY_COOKIE in response.cookies
        receipt = f"/api/v1/receipts/{response.json()['receipt_code']}/"

        with counted() as queries:
            mine = client.get(receipt)
        assert mine.status_code == 200
        assert mine.json()["text"] == "建议公布测试结果的查询方式。"
        assert queries["replica"] == 0
        assert "private" in mine["Cache-Control"]
        assert reads_from_primary(mine.wsgi_request)

        # Everyone else reads the replica, which has not replayed it yet.
        with counted() as queries:
            theirs = Client().get(receipt)
        assert theirs.status_code == 404
        assert queries["replica"] > 0
        assert queries["default"] == 0
        assert not reads_from_primary(theirs.wsgi_request)
    finally:
        cluster.resume_replay()
    cluster.wait_for_replay()
    assert Client().get(receipt).status_code == 200


def test_a_replica_behind_the_primary_sends_public_reads_to_the_primary(
    app, client, cluster, settings, renamed
):
    settings.NPC_REPLICA_MAX_LAG_SECONDS = 0
    cluster.pause_replay()
    try:
        _rename("长治市测试管理条例（备库暂停后）")
        client.get("/")  # the replica's health is checked here
        with counted() as queries:
            response = client.get(BILL_PAGE)
        assert response.status_code == 200
        assert "长治市测试管理条例（备库暂停后）" in response.content.decode()
        assert queries["replica"] == 0
    finally:
        cluster.resume_replay()
    cluster.wait_for_replay()
    settings.NPC_REPLICA_CHECK_SECONDS = 0
    client.get("/")  # checked again: level with the primary
    settings.NPC_REPLICA_CHECK_SECONDS = 3600
    with counted() as queries:
        response = client.get(BILL_PAGE)
    assert "长治市测试管理条例（备库暂停后）" in response.content.decode()
    assert queries["replica"] > 0
    assert queries["default"] == 0


def test_a_replica_level_with_an_idle_primary_is_used_however_old_its_last_replay(
    app, client, settings
):
    # Nothing has been written since the standby replayed the primary's last
    # write; the allowed lag is nil.
    settings.NPC_REPLICA_MAX_LAG_SECONDS = 0
    client.get("/")  # the replica's health is checked here
    with counted() as queries:
        assert client.get(BILL_PAGE).status_code == 200
    assert queries["replica"] > 0
    assert queries["default"] == 0


@pytest.mark.parametrize("url", [BILL_PAGE, "/api/v1/bills/test-regulation/"])
@pytest.mark.parametrize(
    "found_down",
    [
        "by the health check",
        "when the request connects",
        "mid-request, on a kept connection",
    ],
)
def test_a_stopped_replica_sends_public_reads_to_the_primary(
    app, client, cluster, settings, renamed, found_down, url
):
    client.get(url)  # checked and connected while the replica was up
    if found_down == "by the health check":
        settings.NPC_REPLICA_CHECK_SECONDS = 0
    _rename("长治市测试管理条例（备库停机时）")
    cluster.wait_for_replay()
    cluster.stop_standby()
    try:
        if found_down == "when the request connects":
            close_old_connections()  # as between two requests
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200
            assert "长治市测试管理条例（备库停机时）" in response.content.decode()
    finally:
        cluster.start_standby()


# --- what the public response cache keeps -----------------------------------------


def _retitle(title: str) -> None:
    """Rename the bill as staff do (its version, and the bills' version, move on)."""
    update_bill(
        bill=Bill.objects.get(slug="test-regulation"),
        by=User.objects.get(username="staff"),
        expected_version=None,
        title=title,
    )


def test_a_page_kept_from_the_lagging_replica_is_not_served_to_the_writer(
    app, client, cluster, settings, renamed
):
    settings.NPC_PUBLIC_CACHE_SECONDS = 60
    settings.NPC_REPLICA_MAX_LAG_SECONDS = 3600
    client.get("/")
    response = client.post(
        PUBLIC_COMMENTS,
        {"text": "建议明确测试结果的公开期限。", "article": 2},
        content_type="application/json",
    )
    assert response.status_code == 201
    cluster.pause_replay()
    try:
        _retitle("长治市测试管理条例（改名后）")
        # Rendered from the replica, which has not replayed the change, and kept
        # under the bills' new version.
        assert "（改名后）" not in Client().get(BILL_PAGE).content.decode()
        assert "（改名后）" in client.get(BILL_PAGE).content.decode()
    finally:
        cluster.resume_replay()


def test_a_page_kept_from_the_lagging_replica_is_left_behind_once_replayed(
    app, cluster, settings, renamed
):
    settings.NPC_PUBLIC_CACHE_SECONDS = 600
    settings.NPC_REPLICA_CHECK_SECONDS = 0
    settings.NPC_REPLICA_MAX_LAG_SECONDS = 1
    reader = Client()
    cluster.pause_replay()
    try:
        _retitle("长治市测试管理条例（再改名）")
        # A larger lag allowed from now on: the replica behind is read.
        settings.NPC_REPLICA_MAX_LAG_SECONDS = 3600
        assert "（再改名）" not in reader.get(BILL_PAGE).content.decode()
    finally:
        cluster.resume_replay()
    cluster.wait_for_replay()
    cluster.wait(
        lambda: "（再改名）" in reader.get(BILL_PAGE).content.decode(),
        "the copy kept from the replica to be left behind",
        seconds=30,
    )
