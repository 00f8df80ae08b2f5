"""
``/healthz``: is the app able to do its work? JSON with the state of the database,
the Celery broker and the shared cache, 200 when all answer and 503 otherwise.

It is answered by a middleware at the top of the stack, so that load balancers and
container health checks can probe it on any Host header and over plain HTTP (no
host check, no HTTPS redirect, no session, no database query beyond its own).
Pages depend on neither the broker nor the cache: while Redis is down they keep
being served (uncached) and only this endpoint reports it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

PATHS = frozenset({"/healthz", "/healthz/"})
# A probe must answer well within the orchestrator's timeout, even with a broker
# host that drops packets instead of refusing the connection.
BROKER_TIMEOUT_SECONDS = 2.0


def database_state() -> dict[str, Any]:
    """Run ``SELECT 1`` on the default database."""
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return {
            "ok": False,
            "error": f"{type(exc).__name__}: database did not answer",
        }
    return {"ok": True, "vendor": connection.vendor, "ms": _ms(started)}


def broker_state() -> dict[str, Any]:
    """Connect to the Celery broker; in-process mode (no broker) is healthy."""
    from npc.celery import app

    if app.conf.task_always_eager:
        return {"ok": True, "mode": "in-process"}
    started = time.monotonic()
    try:
        with app.connection_for_write(connect_timeout=BROKER_TIMEOUT_SECONDS) as conn:
            conn.ensure_connection(
                max_retries=1,
                interval_start=0,
                interval_step=0,
                timeout=BROKER_TIMEOUT_SECONDS,
            )
            transport = conn.transport_cls
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        # The broker URL may hold a password: name the failure, not the URL.
        return {
            "ok": False,
            "error": f"{type(exc).__name__}: broker did not answer; background "
            "tasks (imports, notifications, daily checks) cannot be queued",
        }
    return {"ok": True, "transport": str(transport), "ms": _ms(started)}


def cache_state() -> dict[str, Any]:
    """Ask the shared cache (Redis) directly; a per-process cache is always up."""
    from django.core.cache import caches

    ping = getattr(caches["default"], "ping", None)
    if ping is None:
        return {"ok": True, "mode": "per-process"}
    started = time.monotonic()
    try:
        ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return {
            "ok": False,
            "error": f"{type(exc).__name__}: cache did not answer; pages are "
            "served uncached",
        }
    return {"ok": True, "ms": _ms(started)}


def _ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def healthz(request: HttpRequest) -> HttpResponse:
    """Report the database, broker and cache; 200 when all answer, 503 otherwise."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    checks = {
        "database": database_state(),
        "broker": broker_state(),
        "cache": cache_state(),
    }
    down = [name for name, state in checks.items() if not state["ok"]]
    body = {
        "status": "unavailable" if down else "ok",
        "detail": f"not answering: {', '.join(down)}" if down else "all answering",
        "checks": checks,
    }
    response = JsonResponse(body, status=503 if down else 200)
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    """Answer ``/healthz`` before anything else runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info in PATHS:
            return healthz(request)
        return self.get_response(request)
