"""
Plumbing for the browser tests: the demo site served by a real server, and
headless Chromium driven by Playwright.

The server runs in a subprocess on a free port with its own SQLite database,
migrated and seeded with ``seed_demo`` once per session, so the tests see the
demo exactly as a visitor would, whatever database the rest of the suite uses,
and nothing they do leaks into other tests. Tasks run in-process (no broker).

Chromium is Debian's (``/usr/bin/chromium``, or ``$CHROMIUM``); Playwright never
downloads a browser here. Tests are marked ``browser``: they skip without
Chromium on a developer's machine and fail in CI (see tests/conftest.py).
Each page's screenshot is saved under artifacts/screenshots/.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Impacts that fail the accessibility check (axe-core's scale).
BLOCKING_IMPACTS = frozenset({"serious", "critical"})


@dataclass
class DemoSite:
    url: str
    database: Path

    def query(self, sql: str, *params: object) -> list[tuple]:
        """Read the demo database directly (the tests never write to it)."""
        with sqlite3.connect(self.database) as connection:
            return connection.execute(sql, params).fetchall()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(database: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CELERY_", "CACHE_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="npc.settings",
        DJANGO_DEBUG="1",  # static files served by the app, as with rundemo
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        CACHE_URL="locmemcache://",
        PYTHONUNBUFFERED="1",
    )
    return env


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the demo server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"the demo server did not answer at {url}")


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    """The demo, migrated, seeded and served on a free port for the session."""
    folder = tmp_path_factory.mktemp("demo-site")
    database = folder / "demo.sqlite3"
    env = _server_env(database)
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--no-input", "-v0"], ["seed_demo", "-v0"]):
        subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True)
    port = _free_port()
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url + "/", process)
        yield DemoSite(url=url, database=database)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def chromium():
    """
    Headless Chromium for the session. Playwright's sync API keeps an event
    loop running in this thread from here on, which Django takes for an async
    context: every ORM call after it in this process (any test module run later
    by the same worker, the test database's removal at the end) is a plain
    synchronous call all the same, so Django is told so for the rest of the
    session.
    """
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()


def _new_page(chromium, *, width: int, height: int, locale: str):
    context = chromium.new_context(
        viewport={"width": width, "height": height},
        locale=locale,
        timezone_id="Asia/Shanghai",
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.errors = []  # console errors and CSP violations, checked by tests
    page.on(
        "console",
        lambda message: (
            page.errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on(
        "response",
        lambda r: (
            page.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None
        ),
    )
    return context, page


@pytest.fixture
def page(chromium):
    """A desktop browser tab (1280 wide); the visitor's language is English,
    to show that the site still answers in Chinese until they switch."""
    context, tab = _new_page(chromium, width=1280, height=900, locale="en-US")
    yield tab
    context.close()


@pytest.fixture
def phone(chromium):
    """A phone-sized tab: 360 CSS pixels wide."""
    context, tab = _new_page(chromium, width=360, height=780, locale="zh-CN")
    yield tab
    context.close()


def screenshot(page, name: str) -> Path:
    """Save the whole page as artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_accessible(page) -> None:
    """Run axe-core in the page; fail on any serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v.get("impact") in BLOCKING_IMPACTS
    ]
    assert not blocking, f"{page.url}: " + " | ".join(blocking)


def follow(page, locator) -> None:
    """
    Click ``locator`` and wait until the page it leads to has loaded.

    A click returns once the navigation has committed, while the new document
    may still be arriving: a check that does not wait (``count()``, ``url``,
    ``all_inner_texts()``) could read a page half parsed, or the old one.
    """
    with page.expect_navigation():
        locator.click()


def log_in(page, site: DemoSite, username: str, password: str = "demo") -> None:
    page.goto(site.url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
