"""
The production topology, run for real: the web (gunicorn), worker and beat
commands of docker-compose.yml, on loopback, on PostgreSQL and Redis, driven over
HTTP as staff, a clerk and the public would, then stopped cleanly.

docker-compose.yml itself is checked too: every service, health check and
setting the issue asks for (no Docker engine here, so the file is read, and its
app commands are run as they are written).
"""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import json
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
import yaml

from legislation import services
from legislation.models import Stage
from npc.core import roles
from tests.conftest import DRAFT_TEXT
from tests.factories import (
    BillFactory,
    ConsultationFactory,
    MeetingFactory,
    UserFactory,
)

from . import processes
from .conftest import TOPOLOGY_REDIS_DB
from .processes import ROOT, Process, wait_for

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def _command(service: str) -> list[str]:
    command = SERVICES[service]["command"]
    return command if isinstance(command, list) else ["sh", "-c", command]


def _env_example() -> dict[str, str]:
    pairs = (
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    )
    return dict(pairs)


# --- the file -------------------------------------------------------------------


def test_compose_has_the_five_services_with_health_checks():
    assert set(SERVICES) == {"db", "redis", "web", "worker", "beat"}
    assert SERVICES["db"]["image"] == "postgres:16"
    assert "pg_isready" in " ".join(SERVICES["db"]["healthcheck"]["test"])
    assert SERVICES["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    assert "/healthz" in " ".join(SERVICES["web"]["healthcheck"]["test"])
    for name in ("web", "worker", "beat"):
        assert SERVICES[name]["env_file"] == ".env"
        assert SERVICES[name]["depends_on"]["redis"]["condition"] == "service_healthy"
    for name in ("web", "worker"):
        assert SERVICES[name]["depends_on"]["db"]["condition"] == "service_healthy"


def test_compose_runs_migrations_then_gunicorn_then_celery():
    web = " ".join(_command("web"))
    assert web.index("manage.py migrate") < web.index("gunicorn npc.wsgi")
    assert "-k gthread -w 2 --threads 4" in web
    assert _command("worker")[:4] == ["celery", "-A", "npc", "worker"]
    assert _command("beat")[:4] == ["celery", "-A", "npc", "beat"]


def test_env_example_names_every_setting_production_needs():
    example = _env_example()
    for key in (
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "DATABASE_URL",
        "CELERY_BROKER_URL",
        "SITE_URL",
        "EMAIL_HOST",
        "DEFAULT_FROM_EMAIL",
        "POSTGRES_PASSWORD",
    ):
        assert key in example, key
    assert example["DJANGO_DEBUG"] == "0"
    assert "@db:5432/" in example["DATABASE_URL"]
    assert example["CELERY_BROKER_URL"].startswith("redis://redis:6379/")


# --- the topology, running ------------------------------------------------------------


class Browser:
    """A client with its own cookies, speaking HTTP to the running server."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies)
        )

    def _csrf(self) -> str:
        return next(c.value for c in self.cookies if c.name == "csrftoken")

    def request(
        self, method: str, path: str, body: bytes | None = None, headers=None
    ) -> tuple[int, str]:
        headers = {"Referer": self.base + "/", **(headers or {})}
        if method != "GET":
            headers["X-CSRFToken"] = self._csrf()
        req = urllib.request.Request(
            self.base + path, data=body, method=method, headers=headers
        )
        try:
            with self.opener.open(req, timeout=20) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def login(self, username: str) -> None:
        status, _page = self.request("GET", "/accounts/login/")
        assert status == 200
        form = urllib.parse.urlencode(
            {
                "username": username,
                "password": "demo",
                "csrfmiddlewaretoken": self._csrf(),
            }
        ).encode()
        status, page = self.request(
            "POST",
            "/accounts/login/",
            form,
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert status == 200, page  # followed the redirect to the staff home
        assert any(c.name == "sessionid" for c in self.cookies)

    def post_json(self, path: str, data: dict) -> tuple[int, dict]:
        status, body = self.request(
            "POST",
            path,
            json.dumps(data).encode(),
            {"Content-Type": "application/json"},
        )
        return status, json.loads(body)

    def post_file(
        self, path: str, fields: dict, name: str, content: bytes
    ) -> tuple[int, dict]:
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
            f"{value}\r\n".encode()
            for key, value in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{name}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        status, body = self.request(
            "POST",
            path,
            b"".join(parts),
            {"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        return status, json.loads(body)

    def get_json(self, path: str) -> dict:
        status, body = self.request("GET", path, headers={"Accept": "application/json"})
        assert status == 200, body
        return json.loads(body)


@pytest.fixture
def static_root(tmp_path_factory) -> Path:
    """Static files collected as the image build does (hashed, compressed)."""
    root = tmp_path_factory.mktemp("static")
    env = processes.base_env(
        DJANGO_SETTINGS_MODULE="npc.settings",
        DJANGO_SECRET_KEY="build-only-not-secret",
        DJANGO_STATIC_ROOT=str(root),
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    return root


@pytest.fixture
def seeded(point_a, settings):
    """Staff, a clerk at point A, a bill submitted with its draft, a meeting."""
    # Passwords hashed as production checks them (tests use a faster hasher).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    staff = UserFactory(username="staff", role=roles.LEGISLATIVE_STAFF)
    clerk = UserFactory(username="clerk", role=roles.LIAISON_CLERK)
    point_a.clerks.add(clerk)
    bill = BillFactory(title="长治市测试管理条例", slug="test-regulation")
    draft = services.add_draft_version(
        bill=bill,
        text=DRAFT_TEXT,
        title="长治市测试管理条例（草案）",
        kind="draft",
        on=dt.date(2024, 1, 20),
        by=staff,
        is_published=True,
    )
    services.start_drafting(bill=bill, on=dt.date(2024, 1, 21), by=staff)
    services.submit_bill(bill=bill, on=dt.date(2024, 2, 1), by=staff)
    meeting = MeetingFactory(number=21, date=dt.date(2024, 3, 28))
    consultation = ConsultationFactory(
        bill=bill, version=draft, point=point_a, held_on=dt.date(2024, 4, 10)
    )
    return {"bill": bill, "meeting": meeting, "consultation": consultation}


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_web_worker_and_beat_from_compose_serve_a_full_flow(
    tmp_path, static_root, seeded
):
    broker = processes.redis_url(TOPOLOGY_REDIS_DB)
    processes.flush_redis(broker)
    port = processes.free_port()
    base = f"http://127.0.0.1:{port}"

    def env(service: str) -> dict[str, str]:
        return processes.base_env(
            **{
                **{
                    k: str(v)
                    for k, v in SERVICES[service].get("environment", {}).items()
                },
                "DJANGO_SECRET_KEY": "topology-test-" + uuid.uuid4().hex * 2,
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
                "DJANGO_SECURE_SSL_REDIRECT": "0",
                "DJANGO_SECURE_COOKIES": "0",
                "DJANGO_STATIC_ROOT": str(static_root),
                "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
                "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
                "DATABASE_URL": processes.database_url(),
                "CELERY_BROKER_URL": broker,
                "CELERY_WORKER_CONCURRENCY": "1",
                "CELERY_BEAT_SCHEDULE_FILENAME": str(tmp_path / "beat-schedule"),
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                "SITE_URL": base,
            }
        )

    started: list[Process] = []
    try:
        for service in ("web", "worker", "beat"):
            started.append(
                Process(
                    service,
                    _command(service),
                    env(service),
                    tmp_path / f"{service}.log",
                )
            )
        web, worker, beat = started
        worker.wait_for_output("ready.")
        beat.wait_for_output("beat: Starting")
        web.wait_for_output("Booting worker")

        public = Browser(base)

        def healthy() -> bool:
            try:
                status, body = public.request("GET", "/healthz")
            except OSError:
                return False
            return status == 200 and json.loads(body)["status"] == "ok"

        wait_for(healthy, timeout=30, what="/healthz to answer 200")
        status, body = public.request("GET", "/healthz")
        assert json.loads(body)["checks"]["database"]["vendor"] == "postgresql"
        assert json.loads(body)["checks"]["broker"]["transport"] == "redis"

        # Static files come through whitenoise, hashed.
        status, home = public.request("GET", "/")
        assert status == 200
        assert "/static/css/site." in home

        # Staff log the first reading.
        bill, meeting = seeded["bill"], seeded["meeting"]
        staff = Browser(base)
        staff.login("staff")
        status, event = staff.post_json(
            f"/api/v1/bills/{bill.slug}/transitions/",
            {"to": "first_reading", "meeting": meeting.pk},
        )
        assert status == 201, event
        bill.refresh_from_db()
        assert bill.stage == Stage.FIRST_READING

        # The clerk imports comments; the worker writes them.
        clerk = Browser(base)
        clerk.login("clerk")
        rows = [
            ("建议明确测试单位的培训责任。", "赵测试", "13900000001"),
            ("第四条第二项的定期检查应当规定频次。", "钱测试", "13900000002"),
            ("建议增加对违法行为的举报渠道。", "孙测试", "13900000003"),
        ]
        content = "意见内容,提出人姓名,联系方式\n" + "\n".join(
            ",".join(r) for r in rows
        )
        status, batch = clerk.post_file(
            "/api/v1/imports/",
            {"consultation": seeded["consultation"].pk},
            "意见.csv",
            content.encode(),
        )
        assert status == 202, batch
        wait_for(
            lambda: (
                clerk.get_json(f"/api/v1/imports/{batch['id']}/")["status"] == "done"
            ),
            timeout=30,
            what="the import on the worker",
            every=0.2,
        )

        # The public page shows them, and not who made them.
        status, page = public.request("GET", f"/bills/{bill.slug}/comments/")
        assert status == 200
        for text, name, contact in rows:
            assert text in page
            assert name not in page
            assert contact not in page
        status, page = public.request("GET", f"/bills/{bill.slug}/")
        assert "一审" in page

        # Stop everything the way Docker does (SIGTERM), and see it stop cleanly.
        codes = {process.name: process.stop(timeout=30) for process in started}
        assert codes == {"web": 0, "worker": 0, "beat": 0}, {
            p.name: p.output()[-2000:] for p in started
        }
    finally:
        for process in started:
            process.stop(timeout=5)
        processes.flush_redis(broker)
