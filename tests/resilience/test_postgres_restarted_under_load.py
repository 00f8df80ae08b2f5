"""
PostgreSQL restarted under load, with the real processes: a PostgreSQL cluster of
this test's own (initdb into a temporary folder, on a free port), migrated and
seeded, and the web command of docker-compose.yml (gunicorn, gthread,
gunicorn.conf.py) on it with persistent connections (DATABASE_CONN_MAX_AGE=60),
its cache on a Redis of the test's own.

1. Under a read load (public pages, public and signed-in API reads) the cluster
   restarts (``pg_ctl restart -m fast``): requests fail only within the restart
   window, API failures are JSON 503 ``service_unavailable``, public pages answer
   200 from their kept copies, and every request started after the cluster
   answered again succeeds.
2. Quiet, every web thread holding a connection, the cluster restarts: the
   first requests after it all succeed (kept connections are checked before
   reuse, CONN_HEALTH_CHECKS).
3. After a comment moved the versions on, the cluster stops: a public page kept
   before is served marked ``X-Served-Stale``, the API answers JSON 503 and
   /healthz names the database; once it starts again, the page is current.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import IN_CI
from tests.tasks import processes
from tests.tasks.processes import PostgresCluster, RedisServer, free_port, wait_for

from .load import Answer, Load, health, request, start_web, wait_for_requests

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

DBNAME = "npc_restart"

SEED = """
import datetime as dt, json
from consultation import services as consultation_services
from consultation.models import Channel
from legislation import services
from npc.accounts.services import issue_token
from npc.core import roles
from tests.conftest import DRAFT_TEXT
from tests.factories import BillFactory, LiaisonPointFactory, UserFactory

staff = UserFactory(username="staff", role=roles.LEGISLATIVE_STAFF)
point = LiaisonPointFactory(name="潞州区延安南路街道淮海社区基层立法联系点")
bill = BillFactory(title="长治市测试管理条例", slug="test-regulation")
draft = services.add_draft_version(
    bill=bill, text=DRAFT_TEXT, title="长治市测试管理条例（草案）", kind="draft",
    on=dt.date(2024, 1, 20), by=staff, is_published=True,
)
consultation = consultation_services.record_consultation(
    by=staff, bill=bill, version=draft, channel=Channel.LIAISON_POINT, point=point,
    title="立法意见征询座谈会", held_on=dt.date(2024, 9, 10), participants=12,
)
receipt = ""
for n in range(30):
    receipt = consultation_services.enter_comment(
        by=staff, consultation=consultation, text=f"建议明确测试单位的检查频次（{n}）。"
    ).receipt_code
_, token = issue_token(user=staff)
print("SEED " + json.dumps({
    "slug": bill.slug, "consultation": consultation.pk, "token": token,
    "receipt": receipt,
}))
"""


@pytest.fixture
def cluster():
    bindir = processes.postgres_bin()
    if bindir is None:
        reason = "needs PostgreSQL's server binaries (/usr/lib/postgresql/*/bin)"
        if IN_CI:
            pytest.fail(f"{reason}: required in CI", pytrace=False)
        pytest.skip(reason)
    cluster = PostgresCluster(bindir)
    try:
        cluster.init()
        cluster.start()
        cluster.create_database(DBNAME)
        yield cluster
    finally:
        cluster.remove()
    assert not cluster.root.exists()


@pytest.fixture
def redis_server(tmp_path: Path):
    directory = tmp_path / "redis"
    directory.mkdir()
    server = RedisServer(directory)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _manage(env: dict[str, str], *argv: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *argv],
        cwd=processes.ROOT,
        env=processes.base_env(
            DJANGO_SETTINGS_MODULE="tests.resilience.web_settings",
            # The web's secret key (start_web), under which the token holds.
            DJANGO_SECRET_KEY=settings.SECRET_KEY,
            **env,
        ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _at_once(port: int, path: str, headers: dict, count: int) -> list[Answer]:
    """``count`` requests sent together, so that every web thread gets some."""
    answers: list[Answer] = []
    lock = threading.Lock()

    def send() -> None:
        answer = request(port, "GET", path, kind="api", headers=headers)
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=send) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=15)
    assert len(answers) == count
    return answers


def _is_json_503(answer: Answer) -> bool:
    return (
        answer.status == 503
        and answer.headers.get("content-type", "").startswith("application/json")
        and answer.json().get("code") == "service_unavailable"
        and answer.headers.get("retry-after") == "5"
    )


def test_postgres_restarted_under_load(tmp_path, cluster, redis_server):
    env = {
        "DATABASE_URL": cluster.url(DBNAME),
        "CACHE_URL": redis_server.url(1, scheme="rediscache"),
        "CELERY_BROKER_URL": redis_server.url(0),
    }
    started = time.monotonic()
    _manage(env, "migrate", "--noinput", "-v0")
    seed = next(
        json.loads(line[5:])
        for line in _manage(env, "shell", "-c", SEED).splitlines()
        if line.startswith("SEED ")
    )
    prepared = time.monotonic() - started
    auth = {"Authorization": f"Token {seed['token']}"}
    slug = seed["slug"]

    port = free_port()
    web = start_web(tmp_path, port, DATABASE_CONN_MAX_AGE="60", **env)
    try:
        wait_for(
            lambda: health(port).status == 200,
            timeout=20,
            what="/healthz to answer 200",
            every=0.1,
        )
        pages = ["/", "/bills/", f"/bills/{slug}/", f"/bills/{slug}/compare/"]
        public_api = ["/api/v1/bills/", "/api/v1/comments/"]
        kept_aside = f"/bills/{slug}/comments/"  # not read by the load
        for path in [*pages, *public_api, kept_aside]:
            answer = request(port, "GET", path)
            assert answer.status == 200, answer

        def reader(paths: list[str], kind: str, headers: dict | None = None):  # noqa: ANN202
            return lambda n: request(
                port, "GET", paths[n % len(paths)], kind=kind, headers=headers
            )

        load = Load(
            {
                "public": reader(pages, "page"),
                "public-api": reader(
                    [*public_api, f"/api/v1/receipts/{seed['receipt']}/"], "api"
                ),
                "staff-api": reader(
                    ["/api/v1/comments/", f"/api/v1/bills/{slug}/"], "api", auth
                ),
            },
            seconds=30,
            pause=0.01,
        )

        # 1. A restart under load.
        with load.running():
            wait_for_requests(load, 60, timeout=15)
            restart_at = time.monotonic()
            cluster.restart(mode="fast")
            answered_at = wait_for(
                lambda: cluster.answers(DBNAME) and time.monotonic(),
                timeout=15,
                what="the cluster to answer again",
                every=0.02,
            )
            wait_for_requests(load, 90, timeout=15)
        answers = load.snapshot()
        window = answered_at - restart_at

        failed = [a for a in answers if a.status != 200]
        for answer in failed:
            # Only within the restart window…
            assert answer.ended >= restart_at and answer.started <= answered_at, (
                answer,
                restart_at,
                answered_at,
            )
            # …and as JSON from the API.
            assert answer.kind == "api" and _is_json_503(answer), answer
        late = [a for a in answers if a.started > answered_at]
        assert len(late) >= 60
        assert all(a.status == 200 for a in late)
        assert all(a.status == 200 for a in answers if a.kind == "page")
        in_window = [
            a for a in answers if a.ended >= restart_at and a.started <= answered_at
        ]

        # 2. Quiet: every thread keeps a connection; the cluster restarts.
        assert all(
            a.status == 200 for a in _at_once(port, "/api/v1/comments/", auth, 8)
        )
        cluster.restart(mode="fast")
        wait_for(lambda: cluster.answers(DBNAME), timeout=15, what="the cluster")
        first = _at_once(port, "/api/v1/comments/", auth, 8)
        assert all(a.status == 200 for a in first), [str(a) for a in first]

        # 3. A comment moves the versions on; then the cluster stops.
        entered = request(
            port,
            "POST",
            "/api/v1/comments/",
            data={
                "consultation": seed["consultation"],
                "text": "数据库重启前录入的意见。",
            },
            headers=auth,
        )
        assert entered.status == 201, entered
        cluster.stop(mode="fast")
        stopped_at = time.monotonic()
        try:
            stale = request(port, "GET", kept_aside)
            api = request(port, "GET", "/api/v1/comments/", headers=auth)
            down = health(port)
        finally:
            cluster.start()
        down_for = time.monotonic() - stopped_at
        assert stale.status == 200, stale
        assert stale.headers.get("x-served-stale") == "database-unavailable"
        assert "数据库重启前录入的意见" not in stale.text()  # the copy kept before
        assert _is_json_503(api), api
        assert down.status == 503 and not down.json()["checks"]["database"]["ok"]

        wait_for(lambda: cluster.answers(DBNAME), timeout=15, what="the cluster")
        again = _at_once(port, "/api/v1/comments/", auth, 8)
        assert all(a.status == 200 for a in again), [str(a) for a in again]
        current = request(port, "GET", kept_aside)
        assert current.status == 200 and "x-served-stale" not in current.headers
        assert "数据库重启前录入的意见" in current.text()
        assert health(port).status == 200
    finally:
        web.stop(timeout=20)

    kinds = {kind: sum(1 for a in failed if a.kind == kind) for kind in ("page", "api")}
    print(
        f"\nPostgreSQL restarted under load (prepared in {prepared:.1f} s): "
        f"{len(answers)} requests, {len(in_window)} in the {window:.2f} s restart "
        f"window, {len(failed)} failed (API JSON 503: {kinds['api']}, pages: "
        f"{kinds['page']}), all {len(late)} started after it succeeded; quiet "
        f"restart: {len(first)} first requests all 200; stopped {down_for:.2f} s: "
        f"kept page served stale, API JSON 503"
    )
