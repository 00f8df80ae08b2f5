"""
A bounded load for the fault tests: a few client threads speaking plain HTTP to
a gunicorn on loopback, each sending its requests in turn until told to stop,
with a cap on their count and on the time, and a timeout on every request. Every
answer is recorded with when it was asked and answered.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

REQUEST_TIMEOUT = 10.0


@dataclass
class Answer:
    kind: str
    method: str
    path: str
    started: float  # time.monotonic()
    ended: float
    status: int  # 0: no answer (refused, cut off, timed out)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: str = ""
    sent: Any = None  # what a writer sent, to find it again

    def json(self) -> Any:
        return json.loads(self.body)

    def text(self) -> str:
        return self.body.decode(errors="replace")

    def __str__(self) -> str:
        what = self.error or self.text()[:300]
        return f"{self.method} {self.path} -> {self.status} {what}"


def request(
    port: int,
    method: str,
    path: str,
    *,
    kind: str = "",
    data: Any = None,
    headers: dict[str, str] | None = None,
    timeout: float = REQUEST_TIMEOUT,
) -> Answer:
    """Send one request on a new connection; never raise for a failed one."""
    headers = {"Host": "127.0.0.1", "Connection": "close", **(headers or {})}
    body = None
    if data is not None:
        body = json.dumps(data, ensure_ascii=False).encode()
        headers.setdefault("Content-Type", "application/json")
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read()
        return Answer(
            kind,
            method,
            path,
            started,
            time.monotonic(),
            response.status,
            {k.lower(): v for k, v in response.getheaders()},
            content,
            sent=data,
        )
    except (OSError, http.client.HTTPException) as exc:
        return Answer(
            kind,
            method,
            path,
            started,
            time.monotonic(),
            0,
            error=f"{type(exc).__name__}: {exc}",
            sent=data,
        )
    finally:
        conn.close()


# One step of a client: given its request number, send one request.
Step = Callable[[int], Answer]


class Load:
    """
    Client threads, each calling its step in a loop until ``stop()``, the end of
    ``seconds`` or ``max_requests`` requests, with ``pause`` seconds between two
    (the machine is shared: the load is steady, not a flood).
    """

    def __init__(
        self,
        steps: dict[str, Step],
        *,
        seconds: float = 40,
        max_requests: int = 3000,
        pause: float = 0.01,
    ) -> None:
        self.steps = steps
        self.seconds = seconds
        self.max_requests = max_requests
        self.pause = pause
        self.answers: list[Answer] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._client, args=(step,), name=name, daemon=True)
            for name, step in steps.items()
        ]
        self.crashed: list[BaseException] = []

    def _client(self, step: Step) -> None:
        deadline = time.monotonic() + self.seconds
        try:
            for n in range(self.max_requests):
                if self._stop.is_set() or time.monotonic() > deadline:
                    return
                answer = step(n)
                with self._lock:
                    self.answers.append(answer)
                self._stop.wait(self.pause)
        except BaseException as exc:  # noqa: BLE001 - reported by stop()
            self.crashed.append(exc)

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            if thread.ident is not None:  # started
                thread.join(timeout=REQUEST_TIMEOUT + 5)
        alive = [t.name for t in self._threads if t.is_alive()]
        assert not alive, f"load clients still running: {alive}"
        assert not self.crashed, self.crashed

    def snapshot(self) -> list[Answer]:
        with self._lock:
            return list(self.answers)

    def count(self) -> int:
        with self._lock:
            return len(self.answers)

    @contextlib.contextmanager
    def running(self) -> Iterator[Load]:
        self.start()
        try:
            yield self
        finally:
            self.stop()


def wait_for_requests(load: Load, more: int, timeout: float) -> None:
    """Wait until the clients have had ``more`` further answers (bounded)."""
    target = load.count() + more
    deadline = time.monotonic() + timeout
    while load.count() < target:
        if time.monotonic() > deadline:
            raise AssertionError(
                f"the load did not go on: {load.count()} of {target} answers "
                f"after {timeout}s"
            )
        time.sleep(0.05)


def start_web(log_dir, port: int, **env: str):  # noqa: ANN001, ANN201 - Path, Process
    """
    Start the web command of docker-compose.yml (gunicorn, gthread, its config
    file) on ``port`` of loopback with tests.resilience.web_settings and ``env``,
    and wait for it to answer /healthz (whatever the status). Its secret key is
    the test's, so that tokens issued here hold there.
    """
    from django.conf import settings

    from tests.tasks import processes

    web = processes.Process(
        "web",
        processes.gunicorn_argv(workers=2, threads=2),
        processes.base_env(
            DJANGO_SETTINGS_MODULE="tests.resilience.web_settings",
            GUNICORN_BIND=f"127.0.0.1:{port}",
            GUNICORN_TIMEOUT="30",
            DJANGO_SECRET_KEY=settings.SECRET_KEY,
            **env,
        ),
        log_dir / "web.log",
    )
    try:
        web.wait_for_output("Booting worker", timeout=30)
        processes.wait_for(
            lambda: request(port, "GET", "/healthz", timeout=5).status != 0,
            timeout=30,
            what="gunicorn to answer",
            every=0.1,
        )
    except BaseException:
        web.stop(timeout=10)
        raise
    return web


def health(port: int) -> Answer:
    return request(port, "GET", "/healthz", kind="healthz", timeout=5)
