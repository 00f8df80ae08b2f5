"""
Imports whose task message was lost (the broker was down at upload) are queued
again by the periodic sweep; tasks run in-process here.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from consultation import services
from consultation.models import ImportBatch
from consultation.tasks import requeue_stalled_imports
from tests.factories import ConsultationFactory


def _upload(consultation, clerk, n: int) -> ImportBatch:  # noqa: ANN001
    # Outside captured on-commit callbacks the task is never queued: as if lost.
    # Each file is another (the same file twice at once is refused).
    return services.start_import(
        by=clerk,
        consultation=consultation,
        uploaded_file=SimpleUploadedFile(
            "意见.csv",
            f"意见内容\n建议增加培训要求（{n}）。\n建议明确检查频次。\n".encode(),
        ),
    )


def test_stalled_imports_are_queued_again_and_fresh_ones_left(
    bill, draft, point_a, clerk_a, settings
):
    settings.CELERY_BEAT_SCHEDULE["requeue-stalled-imports"]  # noqa: B018 - scheduled
    consultation = ConsultationFactory(bill=bill, version=draft, point=point_a)
    stalled = _upload(consultation, clerk_a, 1)
    ImportBatch.objects.filter(pk=stalled.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=11)
    )
    fresh = _upload(consultation, clerk_a, 2)

    assert requeue_stalled_imports.delay().get() == 1

    stalled.refresh_from_db()
    fresh.refresh_from_db()
    assert stalled.status == ImportBatch.Status.DONE
    assert stalled.created_count == 2
    assert fresh.status == ImportBatch.Status.PENDING
    assert requeue_stalled_imports.delay().get() == 0  # done batches stay done
