"""
Every endpoint × every role of DESIGN §2: exactly the allowed roles succeed.

Each case makes its own fresh record per role where the act would use one up (a
bill moved, a comment decided, a meeting deleted), so that every role meets the
same situation. Refusals are 401 for the public, 403 for a role that may not act
and 404 where the record does not exist for the caller. Every answer to the
public is checked for contributors' personal data.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import TestCase

from consultation import services as consultation_services
from consultation.grouping.models import CommentSignature
from consultation.models import DocumentJob, ImportBatch
from legislation import services
from tests.consultation.privacy import assert_no_personal_data
from tests.factories import BillFactory, LiaisonPointFactory, MeetingFactory

from .conftest import ROLES
from .test_comments import _csv

pytestmark = pytest.mark.django_db

ALL = frozenset(ROLES)
STAFF = frozenset({"staff", "admin"})
ADMIN = frozenset({"admin"})
POINT_A = frozenset({"clerk_a", "staff", "admin"})
CLERKS_AND_STAFF = frozenset({"clerk_a", "clerk_b", "staff", "admin"})
SIGNED_IN = CLERKS_AND_STAFF

_numbers = itertools.count(200)


class World:
    """The records every case works on, made once per test."""

    def __init__(self, staff, bill, draft, consultation_a, consultation_b, point_a):  # noqa: ANN001
        self.staff = staff
        self.bill = bill
        self.draft = draft
        self.point_a = point_a
        self.consultation_a = consultation_a
        self.hidden_bill = BillFactory(slug="hidden", is_published=False)
        self.meeting = MeetingFactory()
        self.hidden_consultation = consultation_services.record_consultation(
            by=staff,
            bill=bill,
            version=draft,
            channel="liaison_point",
            point=point_a,
            title="内部座谈会",
            held_on=dt.date(2024, 9, 15),
            is_published=False,
        )
        self.comment_a = self.comment(consultation_a)
        self.comment_b = self.comment(consultation_b)
        self.batch = ImportBatch.objects.create(
            consultation=consultation_a, original_name="意见.csv", file="imports/x.csv"
        )

    def document_job(self):  # noqa: ANN201
        """A document built in the background, done, on the bill."""
        job = DocumentJob.objects.create(
            bill=self.bill, kind="report", status="done", progress=100
        )
        job.file.save("report.docx", ContentFile(b"document"))
        return job

    def comment(self, consultation=None):  # noqa: ANN001, ANN201
        return consultation_services.enter_comment(
            by=self.staff,
            consultation=consultation or self.consultation_a,
            text="建议明确检查频次。",
            contributor_name="孙保密",
            contributor_contact="13344445555",
        )

    def open_for_comments(self) -> tuple[str, dict]:
        """An online period on the bill open today; the guard's counts afresh."""
        from django.core.cache import cache
        from django.utils import timezone

        if not self.bill.consultations.filter(channel="online").exists():
            today = timezone.localdate()
            consultation_services.record_consultation(
                by=self.staff,
                bill=self.bill,
                version=self.draft,
                channel="online",
                title="网上公开征求意见",
                opens_on=today - dt.timedelta(days=1),
                closes_on=today + dt.timedelta(days=30),
            )
        cache.clear()  # every role posts from the same address
        return f"bills/{self.bill.slug}/public-comments/", {"text": "建议增加一条。"}

    def group(self, copies: int = 1):  # noqa: ANN201
        """A fresh near-duplicate group of ``copies`` comments, alone in its text."""
        text = f"编号{next(_numbers)}"
        first = self.comment_with(text)
        for _ in range(copies - 1):
            self.comment_with(text)
        return CommentSignature.objects.get(comment=first).group

    def comment_with(self, text: str):  # noqa: ANN201
        # Grouped once the entry commits (the test's transaction never does).
        with TestCase.captureOnCommitCallbacks(execute=True):
            return consultation_services.enter_comment(
                by=self.staff, consultation=self.consultation_a, text=text
            )

    def group_path(self, group, act: str = "") -> str:  # noqa: ANN001
        tail = f"{act}/" if act else ""
        return f"bills/{self.bill.slug}/comment-groups/{group.pk}/{tail}"

    def bill_at_first_reading(self):  # noqa: ANN201
        fresh = BillFactory(planned_readings=1)
        services.start_drafting(bill=fresh, on=dt.date(2024, 2, 1), by=self.staff)
        services.submit_bill(bill=fresh, on=dt.date(2024, 3, 1), by=self.staff)
        services.record_reading(bill=fresh, meeting=self.meeting, by=self.staff)
        return fresh


@dataclass
class Case:
    name: str
    route: str  # as in the OpenAPI description, under /api/v1/ unless absolute
    method: str
    allowed: frozenset[str]
    # (world) -> (path, data); called afresh for every role.
    setup: Callable[[World], tuple[str, Any]]
    format: str = "json"


def _meeting_payload() -> dict:
    return {"term": 16, "number": next(_numbers), "date": "2025-01-10", "members": 45}


def _point_payload() -> dict:
    return {
        "name": f"测试联系点{next(_numbers)}",
        "district": "luzhou",
        "host_kind": "community",
    }


CASES = [
    Case(
        "token",
        "auth/token/",
        "post",
        ALL,
        lambda w: ("auth/token/", {"username": "staff", "password": "demo"}),
    ),
    Case(
        "token-revoke",
        "auth/token/",
        "delete",
        SIGNED_IN,
        lambda w: ("auth/token/", None),
    ),
    Case(
        "token-list", "auth/tokens/", "get", SIGNED_IN, lambda w: ("auth/tokens/", None)
    ),
    Case(
        "tokens-revoke-all",
        "auth/tokens/",
        "delete",
        SIGNED_IN,
        lambda w: ("auth/tokens/", None),
    ),
    # bills
    Case("bill-list", "bills/", "get", ALL, lambda w: ("bills/", None)),
    Case(
        "bill-detail",
        "bills/{slug}/",
        "get",
        ALL,
        lambda w: (f"bills/{w.bill.slug}/", None),
    ),
    Case(
        "bill-detail-unpublished",
        "bills/{slug}/",
        "get",
        STAFF,
        lambda w: (f"bills/{w.hidden_bill.slug}/", None),
    ),
    Case(
        "bill-create",
        "bills/",
        "post",
        STAFF,
        lambda w: ("bills/", {"title": f"新条例{next(_numbers)}", "plan_year": 2025}),
    ),
    Case(
        "bill-update",
        "bills/{slug}/",
        "patch",
        STAFF,
        lambda w: (f"bills/{w.bill.slug}/", {"summary": f"简介{next(_numbers)}"}),
    ),
    Case(
        "bill-events",
        "bills/{slug}/events/",
        "get",
        ALL,
        lambda w: (f"bills/{w.bill.slug}/events/", None),
    ),
    Case(
        "bill-transition",
        "bills/{slug}/transitions/",
        "post",
        STAFF,
        lambda w: (
            f"bills/{BillFactory().slug}/transitions/",
            {"to": "drafting", "on": "2024-02-01"},
        ),
    ),
    Case(
        "bill-versions",
        "bills/{slug}/versions/",
        "get",
        ALL,
        lambda w: (f"bills/{w.bill.slug}/versions/", None),
    ),
    Case(
        "bill-version-add",
        "bills/{slug}/versions/",
        "post",
        STAFF,
        lambda w: (
            f"bills/{w.bill.slug}/versions/",
            {"text": w.draft.source_text, "title": "修改稿", "date": "2024-05-01"},
        ),
    ),
    Case(
        "bill-version-detail",
        "bills/{slug}/versions/{number}/",
        "get",
        ALL,
        lambda w: (f"bills/{w.bill.slug}/versions/1/", None),
    ),
    Case(
        "bill-version-akn",
        "bills/{slug}/versions/{number}/akn/",
        "get",
        ALL,
        lambda w: (f"bills/{w.bill.slug}/versions/1/akn/", None),
    ),
    Case(
        "bill-version-publish",
        "bills/{slug}/versions/{number}/",
        "patch",
        STAFF,
        lambda w: (f"bills/{w.bill.slug}/versions/1/", {"is_published": True}),
    ),
    Case(
        "bill-compare",
        "bills/{slug}/compare/",
        "get",
        ALL,
        lambda w: (f"bills/{w.bill.slug}/compare/?from=1&to=1", None),
    ),
    Case(
        "bill-adoption-report",
        "bills/{slug}/adoption-report/",
        "get",
        STAFF,
        lambda w: (f"bills/{w.bill.slug}/adoption-report/?format=xlsx", None),
    ),
    Case(
        "bill-feedback-letters",
        "bills/{slug}/feedback-letters/",
        "get",
        STAFF,
        lambda w: (f"bills/{w.bill.slug}/feedback-letters/?by=point", None),
    ),
    Case(
        "bill-document-jobs",
        "bills/{slug}/document-jobs/",
        "post",
        STAFF,
        lambda w: (f"bills/{w.bill.slug}/document-jobs/", {"kind": "report"}),
    ),
    Case(
        "document-job",
        "document-jobs/{id}/",
        "get",
        STAFF,
        lambda w: (f"document-jobs/{w.document_job().pk}/", None),
    ),
    Case(
        "document-job-download",
        "document-jobs/{id}/download/",
        "get",
        STAFF,
        lambda w: (f"document-jobs/{w.document_job().pk}/download/", None),
    ),
    Case(
        "bill-votes",
        "bills/{slug}/votes/",
        "get",
        ALL,
        lambda w: (f"bills/{w.bill.slug}/votes/", None),
    ),
    Case(
        "bill-vote",
        "bills/{slug}/votes/",
        "post",
        STAFF,
        lambda w: (
            f"bills/{w.bill_at_first_reading().slug}/votes/",
            {"meeting": w.meeting.pk, "yes": 40, "no": 1, "abstain": 1},
        ),
    ),
    Case(
        "bill-act",
        "bills/{slug}/acts/",
        "post",
        STAFF,
        lambda w: (
            f"bills/{BillFactory().slug}/acts/",
            {"act": "planned_readings", "planned_readings": 3},
        ),
    ),
    Case(
        "bill-documents",
        "bills/{slug}/documents/",
        "get",
        ALL,
        lambda w: (f"bills/{w.bill.slug}/documents/", None),
    ),
    Case(
        "bill-documents-unpublished-bill",
        "bills/{slug}/documents/",
        "get",
        STAFF,
        lambda w: (f"bills/{w.hidden_bill.slug}/documents/", None),
    ),
    Case(
        "bill-document-add",
        "bills/{slug}/documents/",
        "post",
        STAFF,
        lambda w: (
            f"bills/{w.bill.slug}/documents/",
            {"kind": "other", "title": "说明", "date": "2024-04-01", "text": "正文"},
        ),
    ),
    Case(
        "bill-article-alignment",
        "bills/{slug}/versions/{number}/articles/{article}/alignment/",
        "post",
        STAFF,
        lambda w: (
            f"bills/{w.bill.slug}/versions/1/articles/1/alignment/",
            {"predecessor": None},
        ),
    ),
    # regulations in force
    Case("law-list", "laws/", "get", ALL, lambda w: ("laws/", None)),
    Case(
        "law-detail",
        "laws/{slug}/",
        "get",
        ALL,
        lambda w: (f"laws/{_regulation(w).slug}/", None),
    ),
    Case(
        "law-akn",
        "laws/{slug}/akn/",
        "get",
        ALL,
        lambda w: (f"laws/{_regulation(w).slug}/akn/", None),
    ),
    # meetings
    Case("meeting-list", "meetings/", "get", ALL, lambda w: ("meetings/", None)),
    Case(
        "meeting-detail",
        "meetings/{id}/",
        "get",
        ALL,
        lambda w: (f"meetings/{w.meeting.pk}/", None),
    ),
    Case(
        "meeting-create",
        "meetings/",
        "post",
        STAFF,
        lambda w: ("meetings/", _meeting_payload()),
    ),
    Case(
        "meeting-replace",
        "meetings/{id}/",
        "put",
        STAFF,
        lambda w: (f"meetings/{MeetingFactory().pk}/", _meeting_payload()),
    ),
    Case(
        "meeting-update",
        "meetings/{id}/",
        "patch",
        STAFF,
        lambda w: (f"meetings/{w.meeting.pk}/", {"place": "市人大常委会会议室"}),
    ),
    Case(
        "meeting-delete",
        "meetings/{id}/",
        "delete",
        STAFF,
        lambda w: (f"meetings/{MeetingFactory().pk}/", None),
    ),
    Case(
        "meeting-correct",
        "meetings/{id}/correction/",
        "post",
        STAFF,
        lambda w: (
            f"meetings/{MeetingFactory().pk}/correction/",
            {"date": "2025-03-03", "reason": "会议通知日期有误"},
        ),
    ),
    Case(
        "meeting-attendance",
        "meetings/{id}/attendance/",
        "put",
        STAFF,
        lambda w: (f"meetings/{MeetingFactory().pk}/attendance/", {"attendance": []}),
    ),
    # liaison points
    Case(
        "point-list", "liaison-points/", "get", ALL, lambda w: ("liaison-points/", None)
    ),
    Case(
        "point-detail",
        "liaison-points/{id}/",
        "get",
        ALL,
        lambda w: (f"liaison-points/{w.point_a.pk}/", None),
    ),
    Case(
        "point-create",
        "liaison-points/",
        "post",
        ADMIN,
        lambda w: ("liaison-points/", _point_payload()),
    ),
    Case(
        "point-replace",
        "liaison-points/{id}/",
        "put",
        ADMIN,
        lambda w: (f"liaison-points/{LiaisonPointFactory().pk}/", _point_payload()),
    ),
    Case(
        "point-update",
        "liaison-points/{id}/",
        "patch",
        ADMIN,
        lambda w: (f"liaison-points/{w.point_a.pk}/", {"address": "长治市潞州区"}),
    ),
    Case(
        "point-delete",
        "liaison-points/{id}/",
        "delete",
        ADMIN,
        lambda w: (f"liaison-points/{LiaisonPointFactory().pk}/", None),
    ),
    # consultations
    Case(
        "consultation-list",
        "consultations/",
        "get",
        ALL,
        lambda w: ("consultations/", None),
    ),
    Case(
        "consultation-detail",
        "consultations/{id}/",
        "get",
        ALL,
        lambda w: (f"consultations/{w.consultation_a.pk}/", None),
    ),
    Case(
        "consultation-detail-unpublished",
        "consultations/{id}/",
        "get",
        POINT_A,
        lambda w: (f"consultations/{w.hidden_consultation.pk}/", None),
    ),
    Case(
        "consultation-create",
        "consultations/",
        "post",
        POINT_A,
        lambda w: (
            "consultations/",
            {
                "bill": w.bill.slug,
                "version": 1,
                "channel": "liaison_point",
                "point": w.point_a.pk,
                "title": "座谈会",
                "held_on": "2024-10-01",
            },
        ),
    ),
    Case(
        "consultation-update",
        "consultations/{id}/",
        "patch",
        POINT_A,
        lambda w: (f"consultations/{w.consultation_a.pk}/", {"participants": 20}),
    ),
    Case(
        "consultation-reopenings",
        "consultations/{id}/reopenings/",
        "get",
        STAFF,
        lambda w: (f"consultations/{w.consultation_a.pk}/reopenings/", None),
    ),
    Case(
        "consultation-reopen",
        "consultations/{id}/reopenings/",
        "post",
        STAFF,
        lambda w: (
            f"consultations/{w.consultation_a.pk}/reopenings/",
            {
                "until": (dt.date.today() + dt.timedelta(days=7)).isoformat(),
                "reason": "联系点补交书面意见。",
            },
        ),
    ),
    # comments
    Case("comment-list", "comments/", "get", ALL, lambda w: ("comments/", None)),
    Case(
        "comment-move",
        "comments/{id}/move/",
        "post",
        POINT_A,
        lambda w: (
            f"comments/{w.comment().pk}/move/",
            {"consultation": w.hidden_consultation.pk},
        ),
    ),
    Case(
        "comment-detail",
        "comments/{id}/",
        "get",
        ALL,
        lambda w: (f"comments/{w.comment_a.pk}/", None),
    ),
    Case(
        "comment-create",
        "comments/",
        "post",
        POINT_A,
        lambda w: (
            "comments/",
            {"consultation": w.consultation_a.pk, "text": "建议加强宣传。"},
        ),
    ),
    Case(
        "comment-update",
        "comments/{id}/",
        "patch",
        POINT_A,
        lambda w: (f"comments/{w.comment_a.pk}/", {"summary": "检查频次"}),
    ),
    Case(
        "comment-revisions",
        "comments/{id}/revisions/",
        "get",
        POINT_A,
        lambda w: (f"comments/{w.comment_a.pk}/revisions/", None),
    ),
    Case(
        "comment-decision",
        "comments/{id}/decision/",
        "post",
        STAFF,
        lambda w: (
            f"comments/{w.comment().pk}/decision/",
            {"status": "adopted", "explanation": "采纳。"},
        ),
    ),
    Case(
        "comment-bulk-decision",
        "comments/bulk-decision/",
        "post",
        STAFF,
        lambda w: (
            "comments/bulk-decision/",
            {"comments": [w.comment().pk], "status": "for_reference"},
        ),
    ),
    # comment groups
    Case(
        "comment-groups",
        "bills/{slug}/comment-groups/",
        "get",
        STAFF,
        lambda w: (f"bills/{w.bill.slug}/comment-groups/", None),
    ),
    Case(
        "comment-group",
        "bills/{slug}/comment-groups/{id}/",
        "get",
        STAFF,
        lambda w: (w.group_path(w.group()), None),
    ),
    Case(
        "comment-group-decision",
        "bills/{slug}/comment-groups/{id}/decision/",
        "post",
        STAFF,
        lambda w: (
            w.group_path(g := w.group(2), "decision"),
            {
                "status": "adopted",
                "explanation": "已在配套规定中研究采纳。",
                "revision": g.revision,
            },
        ),
    ),
    Case(
        "comment-group-remove",
        "bills/{slug}/comment-groups/{id}/remove/",
        "post",
        STAFF,
        lambda w: (
            w.group_path(g := w.group(2), "remove"),
            {"comment": g.representative_id, "revision": g.revision},
        ),
    ),
    Case(
        "comment-group-move",
        "bills/{slug}/comment-groups/{id}/move/",
        "post",
        STAFF,
        lambda w: (
            w.group_path(g := w.group(), "move"),
            {
                "comment": g.representative_id,
                "to": w.group().pk,
                "revision": g.revision,
            },
        ),
    ),
    Case(
        "comment-group-merge",
        "bills/{slug}/comment-groups/{id}/merge/",
        "post",
        STAFF,
        lambda w: (
            w.group_path(g := w.group(), "merge"),
            {"to": w.group().pk, "revision": g.revision},
        ),
    ),
    # feedback
    Case(
        "feedback-create",
        "feedback/",
        "post",
        POINT_A,
        lambda w: (
            "feedback/",
            {
                "comments": [w.comment_a.pk],
                "channel": "sms",
                "given_on": "2024-11-01",
            },
        ),
    ),
    # imports
    Case(
        "import-list", "imports/", "get", CLERKS_AND_STAFF, lambda w: ("imports/", None)
    ),
    Case(
        "import-detail",
        "imports/{id}/",
        "get",
        POINT_A,
        lambda w: (f"imports/{w.batch.pk}/", None),
    ),
    Case(
        "import-create",
        "imports/",
        "post",
        POINT_A,
        lambda w: (
            "imports/",
            {
                # Each role's file is another set of comments: the same file
                # twice would be refused as a repeat upload.
                "file": _csv([[f"意见{next(_numbers)}。", "", "", "", "", "", "", ""]]),
                "consultation": w.consultation_a.pk,
            },
        ),
        format="multipart",
    ),
    # the public's comments: anyone, signed in or not
    Case(
        "public-comment",
        "bills/{slug}/public-comments/",
        "post",
        ALL,
        lambda w: w.open_for_comments(),
    ),
    # public reads
    Case(
        "receipt",
        "receipts/{code}/",
        "get",
        ALL,
        lambda w: (f"receipts/{w.comment_a.receipt}/", None),
    ),
    Case("stats", "stats/", "get", ALL, lambda w: ("stats/?year=2024", None)),
    Case("open-data", "open-data/", "get", ALL, lambda w: ("open-data/", None)),
    Case(
        "open-data-json",
        "open-data/bills.json",
        "get",
        ALL,
        lambda w: ("open-data/bills.json", None),
    ),
    Case(
        "open-data-csv",
        "open-data/bills.csv",
        "get",
        ALL,
        lambda w: ("open-data/bills.csv", None),
    ),
    Case("schema", "/api/schema/", "get", ALL, lambda w: ("/api/schema/", None)),
    Case("docs", "/api/docs/", "get", ALL, lambda w: ("/api/docs/", None)),
]


def _regulation(w: World):  # noqa: ANN202
    """A regulation in force (recorded as older than the records)."""
    from legislation.models import Regulation
    from tests.conftest import DRAFT_TEXT

    existing = Regulation.objects.filter(slug="test-law").first()
    return existing or services.record_earlier_regulation(
        title="长治市测试管理条例",
        slug="test-law",
        text=DRAFT_TEXT,
        announcement_number="第1号",
        promulgated_on=dt.date(2016, 1, 1),
        effective_on=dt.date(2016, 3, 1),
        by=w.staff,
    )


@pytest.fixture
def world(staff, bill, draft, consultation_a, consultation_b, point_a):
    return World(staff, bill, draft, consultation_a, consultation_b, point_a)


def test_every_operation_of_the_api_has_a_case():
    """Each operation of the OpenAPI description is tried by every role below."""
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    operations = {
        (method, path)
        for path, methods in paths.items()
        for method in methods
        if method in {"get", "post", "put", "patch", "delete"}
    }
    cases = {
        (c.method, c.route if c.route.startswith("/") else f"/api/v1/{c.route}")
        for c in CASES
    }
    # The schema and docs are not operations of the API itself.
    assert operations == cases - {("get", "/api/schema/"), ("get", "/api/docs/")}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_exactly_the_allowed_roles_succeed(case, world, clients):
    succeeded = set()
    for role in ROLES:
        path, data = case.setup(world)
        url = path if path.startswith("/") else f"/api/v1/{path}"
        response = getattr(clients[role], case.method)(url, data, format=case.format)
        code = response.status_code
        assert code < 500, (role, response.content)
        if code < 300:
            succeeded.add(role)
        elif role == "anonymous" and case.method != "get":
            assert code == 401, (role, code)
        else:
            assert code in (401, 403, 404), (role, code, response.content)
        if role == "anonymous":
            assert_no_personal_data(response.content.decode())
        if case.name in ("token-revoke", "tokens-revoke-all") and code < 300:
            # Sign the client in again for the roles after it.
            clients[role] = _fresh_client(role, world)
    assert succeeded == set(case.allowed)


def _fresh_client(role: str, world: World):  # noqa: ANN202
    from django.contrib.auth import get_user_model

    from .conftest import client_for

    username = {"clerk_a": "clerk", "clerk_b": "clerk2", "admin": "admin"}.get(
        role, role
    )
    return client_for(get_user_model().objects.get(username=username))
