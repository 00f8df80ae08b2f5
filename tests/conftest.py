"""
Shared fixtures: one user per role, two liaison points, a bill with a draft.

Tests that need PostgreSQL, Redis, a browser, an office program or a private
PostgreSQL primary with its standby (``replica``) carry a marker. Without the
service they skip on a developer's machine, and fail in CI (``CI`` set), where
every one of them must run.
"""

import datetime as dt
import os
import shutil

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

from legislation import services
from npc.core import roles

from .factories import BillFactory, LiaisonPointFactory, MeetingFactory, UserFactory

IN_CI = bool(os.environ.get("CI"))


def _unavailable(marker: str) -> str | None:
    """Say why the service a marker names is missing, or None if it is there."""
    if marker == "postgres" and connection.vendor != "postgresql":
        return "needs PostgreSQL (set DATABASE_URL=postgres://…)"
    if marker == "redis" and not os.environ.get("CELERY_BROKER_URL", "").startswith(
        "redis"
    ):
        return "needs Redis (set CELERY_BROKER_URL=redis://…)"
    if marker == "browser" and not shutil.which(
        os.environ.get("CHROMIUM", "/usr/bin/chromium")
    ):
        return "needs Chromium (Debian package chromium)"
    if marker == "office" and not shutil.which(os.environ.get("SOFFICE", "soffice")):
        return "needs LibreOffice (Debian packages libreoffice-*-nogui)"
    if marker == "replica":
        from .replica.cluster import server_programs

        if server_programs() is None:
            return "needs PostgreSQL's server programs (Debian package postgresql)"
    return None


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in ("postgres", "redis", "browser", "office", "replica"):
        if item.get_closest_marker(marker):
            reason = _unavailable(marker)
            if reason and IN_CI:
                pytest.fail(f"{reason}: required in CI", pytrace=False)
            if reason:
                pytest.skip(reason)


@pytest.fixture(autouse=True)
def _default_language():
    """
    Start each test in the site's default language. A request activates the
    language of its URL and leaves it active in the thread: after a test that
    read an English page, a later test's ``reverse()`` outside a request would
    give ``/en/`` addresses, and its pages would be English.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def staff(db):
    return UserFactory(username="staff", role=roles.LEGISLATIVE_STAFF)


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin", role=roles.ADMINISTRATOR, is_superuser=True)


@pytest.fixture
def point_a(db):
    return LiaisonPointFactory(name="潞州区延安南路街道淮海社区基层立法联系点")


@pytest.fixture
def point_b(db):
    return LiaisonPointFactory(name="上党区韩店街道基层立法联系点")


@pytest.fixture
def clerk_a(db, point_a):
    user = UserFactory(username="clerk", role=roles.LIAISON_CLERK)
    point_a.clerks.add(user)
    return user


@pytest.fixture
def clerk_b(db, point_b):
    user = UserFactory(username="clerk2", role=roles.LIAISON_CLERK)
    point_b.clerks.add(user)
    return user


@pytest.fixture
def meetings(db):
    """Five meetings of the 15th Standing Committee, a month apart, 45 members."""
    return [
        MeetingFactory(number=n, date=dt.date(2024, 2, 1) + dt.timedelta(days=30 * i))
        for i, n in enumerate(range(18, 23))
    ]


DRAFT_TEXT = """长治市测试管理条例（草案）

第一章 总则
第一条 为了加强测试管理，保障人身和财产安全，制定本条例。
第二条 本市行政区域内的测试活动，适用本条例。
第二章 管理
第三条 市人民政府应当加强对测试工作的领导。
县（区）人民政府应当做好本辖区内的测试工作。
第四条 测试单位应当履行下列义务：
（一）建立管理制度；
（二）定期检查；
（三）法律、法规规定的其他义务。
第三章 附则
第五条 本条例自2025年3月1日起施行。
"""


@pytest.fixture
def bill(db, staff):
    """A published bill in the plan, with a first draft."""
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
    return bill


@pytest.fixture
def draft(bill):
    return bill.versions.get(number=1)


@pytest.fixture
def consultation_a(draft, point_a, staff):
    """A September 2024 meeting at point A on the bill's draft."""
    from consultation.models import Channel
    from consultation.services import record_consultation

    return record_consultation(
        by=staff,
        bill=draft.bill,
        version=draft,
        channel=Channel.LIAISON_POINT,
        point=point_a,
        title="立法意见征询座谈会",
        held_on=dt.date(2024, 9, 10),
        participants=12,
    )


@pytest.fixture
def consultation_b(draft, point_b, staff):
    """A meeting at point B on the same draft."""
    from consultation.models import Channel
    from consultation.services import record_consultation

    return record_consultation(
        by=staff,
        bill=draft.bill,
        version=draft,
        channel=Channel.LIAISON_POINT,
        point=point_b,
        title="基层立法联系点意见征询会",
        held_on=dt.date(2024, 9, 12),
        participants=8,
    )


@pytest.fixture
def media_root(tmp_path, settings):  # noqa: ANN001, ANN201
    """Uploaded files on disk, where a worker process can read them too."""
    path = tmp_path / "media"
    path.mkdir()
    settings.MEDIA_ROOT = str(path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return path
