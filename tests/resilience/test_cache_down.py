"""
The cache is never a point of failure: with the shared cache (Redis) not
answering, public pages, API reads, hand entry and receipt look-ups still work,
and when it answers again the versions move on, so nothing kept before is served
as current.

The Redis here is this test's own, on its own port; it is frozen with SIGSTOP (a
server that hangs: the worst case, every call waits for its timeout) and thawed
with SIGCONT, keeping its data, as after a network cut.
"""

import os
import signal

import pytest
from django.core.cache import cache
from django.test import TestCase, override_settings

from consultation import counters, services
from consultation.models import Comment
from npc.core import cache as resilient
from tests.api.conftest import client_for
from tests.tasks.processes import RedisServer, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.django_db]


@pytest.fixture
def private_redis(tmp_path, monkeypatch):
    server = RedisServer(tmp_path)
    server.start()
    monkeypatch.setattr(resilient, "RETRY_AFTER_SECONDS", 1.0)
    caches = {
        "default": {
            "BACKEND": "npc.core.cache.ResilientRedisCache",
            "LOCATION": server.url(),
            "OPTIONS": {"socket_timeout": 0.3, "socket_connect_timeout": 0.3},
        }
    }
    try:
        with override_settings(CACHES=caches, NPC_PUBLIC_CACHE_SECONDS=60):
            yield server.popen
    finally:
        os.kill(server.popen.pid, signal.SIGCONT)
        server.stop()


@pytest.fixture
def comment_a(consultation_a, staff):
    return services.enter_comment(
        by=staff, consultation=consultation_a, text="建议明确测试单位的检查频次。"
    )


def _freeze(server) -> None:  # noqa: ANN001
    os.kill(server.pid, signal.SIGSTOP)


def _thaw(server) -> None:  # noqa: ANN001
    os.kill(server.pid, signal.SIGCONT)


def test_pages_reads_entry_decisions_and_logins_work_while_the_cache_hangs(
    private_redis, client, bill, consultation_a, clerk_a, staff, comment_a
):
    _freeze(private_redis)
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json()["checks"]["cache"]["ok"] is False
    assert client.get(f"/bills/{bill.slug}/").status_code == 200
    assert client.get("/api/v1/bills/").status_code == 200
    assert client.get(f"/api/v1/receipts/{comment_a.receipt_code}/").status_code == 200
    before = Comment.objects.count()
    response = client_for(clerk_a).post(
        "/api/v1/comments/",
        {"consultation": consultation_a.pk, "text": "缓存中断时录入的意见。"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Comment.objects.count() == before + 1
    # Staff decide, and people log in, as usual.
    decided = client_for(staff).post(
        f"/api/v1/comments/{comment_a.pk}/decision/",
        {"status": "adopted", "explanation": "已采纳。"},
        format="json",
    )
    assert decided.status_code == 200, decided.content
    comment_a.refresh_from_db()
    assert comment_a.status == "adopted"
    login = client.post("/accounts/login/", {"username": "staff", "password": "demo"})
    assert login.status_code == 302


def test_versions_move_on_when_the_cache_answers_again(
    private_redis, client, clerk_a, consultation_a
):
    key = counters.GLOBAL_VERSION_KEYS[1]
    resilient.move_on(key)
    before = cache.get(key)
    _freeze(private_redis)
    entered = client_for(clerk_a).post(
        "/api/v1/comments/",
        {"consultation": consultation_a.pk, "text": "缓存中断时录入的意见。"},
        format="json",
    )
    assert entered.status_code == 201  # its version bump could not be written
    _thaw(private_redis)
    # The first call that reaches the cache again moves every version on.
    wait_for(lambda: (cache.get(key) or 0) > before, timeout=10, what="versions")


def test_a_comment_numbered_while_the_cache_hangs_is_listed_when_it_answers(
    private_redis, client, bill, consultation_a, staff, comment_a, settings
):
    """
    A comment entered while the cache hangs cannot be numbered for the kept
    newest page of comments (consultation.arrivals); once the cache answers
    again, what was kept before is dropped and the page lists it.
    """
    settings.NPC_PUBLIC_PARTS_SECONDS = 3600
    url = f"/bills/{bill.slug}/comments/"
    assert client.get(url).status_code == 200  # its newest page kept
    cache.set("still-there", 1, None)
    _freeze(private_redis)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.enter_comment(
            by=staff, consultation=consultation_a, text="缓存中断时录入的新意见。"
        )
    _thaw(private_redis)
    # Read through the cache again, not around it as while it hung.
    wait_for(lambda: cache.get("still-there"), timeout=10, what="the cache")
    assert "缓存中断时录入的新意见。" in client.get(url).content.decode()
