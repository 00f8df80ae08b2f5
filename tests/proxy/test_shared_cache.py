"""
The public site behind a real caching proxy (nginx, tests.proxy.nginx) in front
of the app under gunicorn: repeat reads are served by the proxy, a change shows
within the shared lifetime, a signed-in page is never kept, and with the app
stopped the proxy still serves the last copy it kept.
"""

from __future__ import annotations

import contextlib
import http.client
import itertools
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from consultation import services as consultation_services
from legislation import services
from legislation.models import Meeting
from tests.tasks import processes

from .nginx import CachingProxy

# The app's own response cache is off: each process of it would keep its own
# copies, which the versions this test process moves could not reach.
SHARED_SECONDS = 2

pytestmark = [
    pytest.mark.proxy,
    # The app runs in another process, on the test database: PostgreSQL.
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str

    @property
    def cache(self) -> str:
        return self.headers.get("X-Cache-Status", "")

    @property
    def directives(self) -> set[str]:
        value = self.headers.get("Cache-Control", "")
        return {d.strip() for d in value.split(",") if d.strip()}


def get(port: int, path: str, **headers: str) -> Answer:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", **headers})
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read().decode())
    finally:
        connection.close()


_marks = itertools.count()


@dataclass
class Stack:
    app: processes.Process
    app_port: int
    proxy: CachingProxy
    access_log: Path

    def via_proxy(self, path: str, **headers: str) -> Answer:
        return get(self.proxy.port, path, **headers)

    def direct(self, path: str, **headers: str) -> Answer:
        return get(self.app_port, path, **headers)

    def app_saw(self, path: str) -> int:
        """
        How many requests for ``path`` reached the app (gunicorn's log).

        Gunicorn logs a request after answering it; so a request of its own
        is sent straight to the app, and its line awaited, before counting:
        every request answered before it is in the log by then.
        """
        marker = f"/healthz?mark={next(_marks)}"
        self.direct(marker)
        processes.wait_for(
            lambda: marker in self._log(), timeout=10, what="the access log"
        )
        return sum(f'"GET {path} HTTP' in line for line in self._log().splitlines())

    def _log(self) -> str:
        return self.access_log.read_text() if self.access_log.exists() else ""


@contextlib.contextmanager
def app_server(tmp_path: Path) -> Iterator[tuple[processes.Process, int, Path]]:
    port = processes.free_port()
    access_log = tmp_path / "access.log"
    app = processes.Process(
        "web",
        [
            sys.executable, "-m", "gunicorn", "npc.wsgi:application",
            "-k", "gthread", "-w", "1", "--threads", "4",
            "-b", f"127.0.0.1:{port}", "--access-logfile", str(access_log),
        ],
        processes.base_env(
            DJANGO_SETTINGS_MODULE="tests.resilience.web_settings",
            DATABASE_URL=processes.database_url(),
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            # Sessions made here (a signed-in reader) are signed with this key.
            DJANGO_SECRET_KEY=django_settings.SECRET_KEY,
            # The app's own kept pages and parts live in its own process's
            # memory, which this test's writes cannot move on: only the proxy
            # keeps anything here.
            NPC_PUBLIC_CACHE_SECONDS="0",
            NPC_PUBLIC_PARTS_SECONDS="0",
            NPC_COUNTS_CACHE_SECONDS="0",
            NPC_PUBLIC_STATS_SECONDS="0",
            NPC_SHARED_CACHE_SECONDS=str(SHARED_SECONDS),
        ),
        tmp_path / "web.log",
    )  # fmt: skip
    try:
        processes.wait_for(
            lambda: _answers(port), timeout=60, what="gunicorn to answer /healthz"
        )
        yield app, port, access_log
    finally:
        app.stop()


def _answers(port: int) -> bool:
    try:
        return get(port, "/healthz").status == 200
    except OSError:
        return False


@pytest.fixture
def stack(tmp_path, site) -> Iterator[Stack]:  # noqa: F811 - the site fixture
    with app_server(tmp_path) as (app, port, access_log):
        proxy = CachingProxy(tmp_path / "nginx", port).start()
        try:
            yield Stack(app, port, proxy, access_log)
        finally:
            proxy.stop()


def test_a_repeat_read_is_served_by_the_proxy_without_the_app(stack, site):
    for path in (
        f"/bills/{site['bill'].slug}/",
        f"/en/bills/{site['bill'].slug}/",
        "/api/v1/bills/",
    ):
        first = stack.via_proxy(path)
        assert first.status == 200 and first.cache == "MISS", path
        again = stack.via_proxy(path)
        assert again.status == 200 and again.cache == "HIT", path
        assert again.body == first.body, path
        assert stack.app_saw(path) == 1, path
    english = stack.via_proxy(f"/en/bills/{site['bill'].slug}/").body
    assert '<html lang="en">' in english


def test_a_stage_change_and_a_comment_show_within_the_shared_lifetime(
    stack, site, staff
):
    bill = site["bill"]
    page, comments = f"/bills/{bill.slug}/", f"/bills/{bill.slug}/comments/"
    for path in (page, comments):
        stack.via_proxy(path)
        assert stack.via_proxy(path).cache == "HIT", path
    assert "2024年10月30日" not in stack.via_proxy(page).body
    services.change_planned_readings(
        bill=bill, planned_readings=3, by=staff, expected_version=None
    )
    services.record_reading(bill=bill, meeting=Meeting.objects.get(number=22), by=staff)
    text = "建议规定测试设备年检的具体周期。"
    comment = consultation_services.submit_public_comment(bill=bill, text=text)
    consultation_services.moderate_comments(by=staff, comments=[comment], publish=True)
    # Within the lifetime plus one background refetch (and this machine's lag).
    processes.wait_for(
        lambda: "2024年10月30日" in stack.via_proxy(page).body,
        timeout=SHARED_SECONDS + 15,
        what="the reading to show through the proxy",
        every=0.2,
    )
    processes.wait_for(
        lambda: text in stack.via_proxy(comments).body,
        timeout=SHARED_SECONDS + 15,
        what="the comment to show through the proxy",
        every=0.2,
    )


def _session_cookie(user) -> str:  # noqa: ANN001
    client = Client()
    client.force_login(user)
    value = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return f"{django_settings.SESSION_COOKIE_NAME}={value}"


def test_a_signed_in_page_is_never_kept(stack, site, staff):
    cookie = _session_cookie(staff)
    path = f"/bills/{site['bill'].slug}/"
    stack.via_proxy(path)  # the public copy, kept
    for _ in range(2):
        signed_in = stack.via_proxy(path, Cookie=cookie)
        assert signed_in.status == 200 and "工作台" in signed_in.body
        assert signed_in.cache == "BYPASS"
        assert {"private", "no-store"} <= signed_in.directives
    public = stack.via_proxy(path)
    assert public.cache == "HIT" and "工作台" not in public.body
    # A proxy without the cookie rule keeps only what the headers allow: the
    # signed-in page first, then an anonymous reader gets a page of their own.
    port = stack.proxy.headers_port
    first = get(port, "/stats/", Cookie=cookie)
    assert "工作台" in first.body and first.cache == "MISS"
    anonymous = get(port, "/stats/")
    assert anonymous.cache == "MISS" and "工作台" not in anonymous.body
    assert get(port, "/stats/").cache == "HIT"


def test_an_unchanged_copy_is_answered_304_by_the_proxy_and_by_the_app(stack, site):
    path = "/liaison-points/"
    tag = stack.via_proxy(path).headers["ETag"]
    cached = stack.via_proxy(path, **{"If-None-Match": tag})
    assert cached.status == 304 and cached.cache == "HIT" and cached.body == ""
    direct = stack.direct(path, **{"If-None-Match": tag})
    assert direct.status == 304 and direct.body == ""
    assert stack.direct(path, **{"If-None-Match": '"other"'}).status == 200


def test_with_the_app_stopped_the_proxy_serves_the_last_copy(stack, site):
    path = f"/bills/{site['bill'].slug}/"
    kept = stack.via_proxy(path)
    assert kept.status == 200
    stack.app.stop()
    time.sleep(SHARED_SECONDS + 1)  # the copy is past its shared lifetime
    stale = stack.via_proxy(path)
    assert stale.status == 200 and stale.cache == "STALE"
    assert stale.body == kept.body
    assert stack.via_proxy("/meetings/").status == 502  # never kept
