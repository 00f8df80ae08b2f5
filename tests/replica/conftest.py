"""
The app pointed at a real streaming replica: a private primary and its standby
(tests.replica.cluster), their databases configured by the project's own
settings module from DATABASE_URL and DATABASE_REPLICA_URL.

Writes here are committed (a standby only sees what the primary committed), so
the small public site of tests.public is built once per run, and each test
writes only what it needs, under names of its own.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import os
from collections.abc import Iterator
from unittest import mock

import pytest
from asgiref.local import Local
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections

from legislation import services
from npc.core import replica, roles
from tests.conftest import DRAFT_TEXT
from tests.factories import BillFactory, LiaisonPointFactory, UserFactory
from tests.public.conftest import build_site

from .cluster import Cluster

DATABASE = "test_npc_replica"


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    servers = Cluster()
    try:
        servers.start()
        servers.primary(f"CREATE DATABASE {DATABASE}")
        yield servers
    finally:
        servers.stop()


def _configured_databases(servers: Cluster) -> dict:
    """DATABASES as npc/settings.py makes them from the two URLs."""
    environment = {
        "DATABASE_URL": servers.url(servers.primary_port, DATABASE),
        "DATABASE_REPLICA_URL": servers.url(servers.standby_port, DATABASE),
    }
    path = os.path.join(django_settings.BASE_DIR, "npc", "settings.py")
    spec = importlib.util.spec_from_file_location("npc_settings_with_replica", path)
    module = importlib.util.module_from_spec(spec)
    with mock.patch.dict(os.environ, environment):
        spec.loader.exec_module(module)
    return module.DATABASES


def _forget_process_state() -> None:
    """What a process keeps about its databases (another set is coming)."""
    ContentType.objects.clear_cache()
    cache.clear()
    replica.forget()


@contextlib.contextmanager
def pointed_at(servers: Cluster) -> Iterator[None]:
    """Point the app's database connections at the cluster, then back."""
    saved_settings = connections.__dict__.get("settings")
    saved_connections = connections._connections
    connections.__dict__["settings"] = connections.configure_settings(
        _configured_databases(servers)
    )
    connections._connections = Local(connections.thread_critical)
    _forget_process_state()
    try:
        yield
    finally:
        connections.close_all()
        connections._connections = saved_connections
        if saved_settings is None:
            connections.__dict__.pop("settings", None)
        else:
            connections.__dict__["settings"] = saved_settings
        _forget_process_state()


@pytest.fixture(scope="session")
def replica_site(cluster: Cluster, django_db_blocker) -> dict:
    """Migrate the primary's database and build the small public site on it."""
    with django_db_blocker.unblock(), pointed_at(cluster):
        call_command("migrate", verbosity=0, interactive=False)
        staff = UserFactory(username="staff", role=roles.LEGISLATIVE_STAFF)
        point_a = LiaisonPointFactory(name="潞州区延安南路街道淮海社区基层立法联系点")
        LiaisonPointFactory(name="上党区韩店街道基层立法联系点")
        bill = BillFactory(title="长治市测试管理条例", slug="test-regulation")
        services.add_draft_version(
            bill=bill,
            text=DRAFT_TEXT,
            title="长治市测试管理条例（草案）",
            kind="draft",
            on=dt.date(2024, 1, 20),
            by=staff,
            is_published=True,
        )
        bill.refresh_from_db()
        site = build_site(
            bill=bill, draft=bill.versions.get(number=1), staff=staff, point_a=point_a
        )
    cluster.wait_for_replay()
    return site


@pytest.fixture
def app(replica_site: dict, cluster: Cluster, django_db_blocker, settings) -> dict:
    """
    The app reading from the cluster, the standby level with the primary. The
    replica's health is checked once per test unless a test asks for more.
    """
    settings.NPC_REPLICA_CHECK_SECONDS = 3600
    settings.NPC_REPLICA_MAX_LAG_SECONDS = 3
    settings.NPC_REPLICA_PIN_SECONDS = 10
    settings.NPC_PUBLIC_COMMENT_MIN_SECONDS = 0
    cluster.wait_for_replay()
    with django_db_blocker.unblock(), pointed_at(cluster):
        yield replica_site


@contextlib.contextmanager
def counted() -> Iterator[dict[str, int]]:
    """Count the SQL statements sent to each database inside the block."""
    counts = {"default": 0, "replica": 0}

    def counter(alias: str):
        def wrapper(execute, sql, params, many, context):
            counts[alias] += 1
            return execute(sql, params, many, context)

        return wrapper

    with (
        connections["default"].execute_wrapper(counter("default")),
        connections["replica"].execute_wrapper(counter("replica")),
    ):
        yield counts
