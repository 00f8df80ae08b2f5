"""
A real caching proxy in front of the app: Debian's nginx with ``proxy_cache``,
run in the foreground on loopback with a configuration and a prefix of its own
(never the system's service). Used by the proxy tests and by ``bench.proxy``.

The configuration is the one a deployment would use, with one rule of its own
and the rest left to the app's headers:
- whatever the app marks shareable (``Cache-Control: public, s-maxage=…``) is
  kept for that long; ``stale-while-revalidate`` and ``stale-if-error`` say how
  long a copy past its lifetime may still be served while it is fetched again in
  the background, or while the app does not answer (no ``proxy_cache_use_stale``
  here, so that the test proves the app's headers do it);
- ``proxy_cache_lock``: of simultaneous misses on one page, one goes to the app;
- ``proxy_cache_revalidate``: an expired copy is revalidated with the app's ETag
  (a 304 from the app costs no page);
- a request with the session cookie or an ``Authorization`` header is passed on
  and its answer never kept (``proxy_cache_bypass``, ``proxy_no_cache``): a
  signed-in reader gets their own page, not the public copy; so is one with a
  message waiting for the reader (Django's ``messages`` cookie, set after a
  form), whose next page shows it.
A second server (``headers_port``) has no such rule: it keeps exactly what the
app's headers allow, to show that they alone keep signed-in pages out.
"""

from __future__ import annotations

import http.client
import os
import shutil
from pathlib import Path

from tests.tasks.processes import Process, base_env, free_port, wait_for

CONF = """\
{user}
worker_processes {workers};
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    log_format cache '$upstream_cache_status $status $request_method $request_uri';
    access_log {access_log};
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    proxy_cache_path {prefix}/cache levels=1:2 keys_zone=pages:10m inactive=1d
                     use_temp_path=off;
    upstream app {{
        server 127.0.0.1:{app_port};
        keepalive 32;
    }}
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $http_host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_cache pages;
    proxy_cache_lock on;
    proxy_cache_background_update on;
    proxy_cache_revalidate on;
    add_header X-Cache-Status $upstream_cache_status always;

    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://app;
            proxy_cache_key "site$request_uri";
            proxy_cache_bypass $cookie_sessionid $cookie_messages $http_authorization;
            proxy_no_cache $cookie_sessionid $cookie_messages $http_authorization;
        }}
    }}
    server {{
        listen 127.0.0.1:{headers_port};
        location / {{
            proxy_pass http://app;
            proxy_cache_key "headers-only$request_uri";
        }}
    }}
}}
"""


def nginx_binary() -> str | None:
    """The nginx to run (``NGINX`` or the one on PATH or in /usr/sbin), if any."""
    return shutil.which(os.environ.get("NGINX", "nginx")) or shutil.which(
        "nginx", path="/usr/sbin"
    )


class CachingProxy:
    """nginx caching in front of the app on ``app_port``, in ``prefix``."""

    def __init__(
        self, prefix: Path, app_port: int, *, workers: int = 1, log: bool = True
    ) -> None:
        self.prefix = prefix
        self.app_port = app_port
        self.port = free_port()
        self.headers_port = free_port()
        self.workers = workers
        self.log = log
        self.process: Process | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> CachingProxy:
        self.prefix.mkdir(parents=True, exist_ok=True)
        conf = self.prefix / "nginx.conf"
        conf.write_text(
            CONF.format(
                # As root, the workers would become "nobody", who cannot enter a
                # private temporary folder.
                user="user root root;" if os.geteuid() == 0 else "",
                workers=self.workers,
                prefix=self.prefix,
                access_log=f"{self.prefix}/access.log cache" if self.log else "off",
                app_port=self.app_port,
                port=self.port,
                headers_port=self.headers_port,
            )
        )
        binary = nginx_binary()
        assert binary, "nginx is not installed"
        self.process = Process(
            "nginx",
            [
                binary,
                *("-p", str(self.prefix), "-c", str(conf)),
                *("-e", str(self.prefix / "error.log")),
                *("-g", "daemon off;"),
            ],
            base_env(),
            self.prefix / "nginx.out",
        )
        wait_for(self._listening, timeout=15, what="nginx to listen")
        return self

    def _listening(self) -> bool:
        if self.process and self.process.popen.poll() is not None:
            raise AssertionError(
                f"nginx exited:\n{self.process.output()}\n{self.error_log()}"
            )
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
            connection.request("HEAD", "/healthz")
            connection.getresponse()
            connection.close()
        except OSError:
            return False
        return True

    def error_log(self) -> str:
        path = self.prefix / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def cache_statuses(self) -> list[str]:
        """The cache status of each request logged so far (HIT, MISS, …)."""
        path = self.prefix / "access.log"
        if not path.exists():
            return []
        return [line.split(" ", 1)[0] for line in path.read_text().splitlines()]

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop(timeout=10)
