"""
Large documents are built by a task: staff request one (202), follow its
progress and download it; others may not; a kind in a format it does not come
in is refused with nothing queued.
"""

import io
import zipfile

import pytest
from rest_framework.test import APIClient

from consultation import services
from consultation.models import Decision, DocumentJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_api(staff):
    client = APIClient()
    client.force_authenticate(staff)
    return client


@pytest.fixture
def decided(consultation_a, staff):
    comment = services.enter_comment(
        by=staff,
        consultation=consultation_a,
        text="建议明确经费。",
        contributor_name="王芳",
        contributor_contact="13912340000",
    )
    return services.decide_comment(
        comment=comment, status=Decision.FOR_REFERENCE, by=staff, explanation="参考。"
    )


def test_staff_request_a_document_and_download_it(
    staff_api, bill, decided, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_api.post(
            f"/api/v1/bills/{bill.slug}/document-jobs/",
            {"kind": "letters", "by": "contributor"},
            format="json",
        )
    assert response.status_code == 202, response.content
    job = response.json()
    # Tasks run eagerly in the tests: the job is done once committed.
    assert (job["kind"], job["status"]) == ("letters", "pending")
    progress = staff_api.get(job["url"]).json()
    assert (progress["status"], progress["progress"]) == ("done", 100)
    body = b"".join(staff_api.get(progress["download"]).streaming_content)
    with zipfile.ZipFile(io.BytesIO(body)) as document:
        xml = document.read("word/document.xml").decode()
    assert "王芳同志" in xml and "建议明确经费。" in xml


def test_a_report_as_a_spreadsheet(
    staff_api, bill, decided, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_api.post(
            f"/api/v1/bills/{bill.slug}/document-jobs/",
            {"kind": "report", "format": "xlsx"},
            format="json",
        )
    assert response.status_code == 202
    job = DocumentJob.objects.get()
    assert job.status == DocumentJob.Status.DONE and job.file.name.endswith(".xlsx")


def test_others_may_not_and_a_wrong_format_queues_nothing(
    staff_api, clerk_a, bill, media_root
):
    clerk = APIClient()
    clerk.force_authenticate(clerk_a)
    url = f"/api/v1/bills/{bill.slug}/document-jobs/"
    assert clerk.post(url, {"kind": "report"}, format="json").status_code == 403
    wrong = staff_api.post(url, {"kind": "letters", "format": "xlsx"}, format="json")
    assert wrong.status_code == 400
    assert wrong.json()["code"] == "invalid_document"
    assert not DocumentJob.objects.exists()
