"""
/healthz: the database and the broker, 200 when both answer, 503 otherwise, and
pages keep being served while the broker (Redis) is down.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time

import pytest
from django.core import mail
from django.db import OperationalError, connection
from django.urls import reverse

from legislation.models import Subscription

from .processes import app_on_broker, free_port, wait_for


def _health(client) -> tuple[int, dict]:  # noqa: ANN001
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    return response.status_code, json.loads(response.content)


def test_healthz_answers_200_when_database_and_broker_answer(client, db):
    status, body = _health(client)

    assert status == 200
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True


def test_healthz_answers_probes_on_any_host_and_over_plain_http(client, db, settings):
    settings.ALLOWED_HOSTS = ["laws.example.org"]
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/healthz", headers={"host": "10.0.0.7:8000"})

    assert response.status_code == 200
    assert client.get("/", headers={"host": "10.0.0.7:8000"}).status_code == 400


def test_healthz_only_reads(client, db):
    assert client.post("/healthz").status_code == 405


def test_healthz_answers_503_when_the_database_does_not(client, db, monkeypatch):
    def broken() -> None:
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", broken)
        status, body = _health(client)

    assert status == 503
    assert body["status"] == "unavailable"
    assert body["detail"] == "not answering: database"
    assert body["checks"]["database"]["ok"] is False


def _assert_broker_down_but_pages_served(client, bill, caplog) -> None:  # noqa: ANN001
    started = time.monotonic()
    status, body = _health(client)
    assert time.monotonic() - started < 5  # a probe must not hang

    assert status == 503
    assert body["status"] == "unavailable"
    assert body["detail"] == "not answering: broker"
    assert body["checks"]["database"]["ok"] is True
    broker = body["checks"]["broker"]
    assert broker["ok"] is False
    assert "broker did not answer" in broker["error"]
    assert "redis://" not in json.dumps(body)  # no URL (it may hold a password)

    # Pages are served…
    assert client.get(reverse("public:home")).status_code == 200
    assert client.get(bill.get_absolute_url()).status_code == 200
    # …and a write whose mail cannot be queued still stands (the failure is logged).
    response = client.post(
        reverse("follow:bill", args=[bill.slug]), {"email": "reader@example.com"}
    )
    assert response.status_code == 302
    assert Subscription.objects.filter(bill=bill).exists()
    assert "send_confirmation.delay_on_commit" in caplog.text
    assert "reader@example.com" not in caplog.text
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_healthz_answers_503_with_the_broker_on_a_closed_port(client, bill, caplog):
    with app_on_broker(f"redis://127.0.0.1:{free_port()}/0"):
        _assert_broker_down_but_pages_served(client, bill, caplog)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_healthz_follows_a_redis_server_that_stops_and_comes_back(
    client, bill, caplog, tmp_path
):
    port = free_port()
    argv = [
        shutil.which("redis-server") or "redis-server",
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(tmp_path),
    ]

    def start() -> subprocess.Popen:
        server = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
        wait_for(lambda: _health(client)[0] == 200, timeout=10, what="redis")
        return server

    server = None
    with app_on_broker(f"redis://127.0.0.1:{port}/0"):
        try:
            server = start()
            server.terminate()  # this test's own server, not the shared one
            server.wait(timeout=10)

            _assert_broker_down_but_pages_served(client, bill, caplog)

            server = start()  # back: 200 again
            assert _health(client)[1]["status"] == "ok"
        finally:
            if server is not None and server.poll() is None:
                server.terminate()
                server.wait(timeout=10)
