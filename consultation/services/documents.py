"""
Documents built in the background (:class:`~consultation.models.DocumentJob`):
staff request one, a worker builds it reporting its progress, staff download it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from legislation import selectors as legislation_selectors
from legislation.models import Bill
from npc.core.roles import is_legislative_staff

from .. import documents
from ..errors import InvalidDocument, NotPermitted
from ..models import DocumentJob

FORMATS = {
    DocumentJob.Kind.COMPARISON: ("docx", "xlsx"),
    DocumentJob.Kind.REPORT: ("docx", "xlsx"),
    DocumentJob.Kind.LETTERS: ("docx",),
}


def _params(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    if kind == DocumentJob.Kind.COMPARISON:
        kept = {k: params.get(k) for k in ("from", "to") if params.get(k) is not None}
        kept["renumbered"] = "list" if params.get("renumbered") == "list" else "fold"
        return kept
    if kind == DocumentJob.Kind.LETTERS:
        by = params.get("by", "point")
        if by not in ("point", "contributor"):
            raise InvalidDocument(
                _("反馈函须按联系点（point）或提出人（contributor）生成。")
            )
        return {"by": by}
    return {}


@transaction.atomic
def request_document(
    *, bill: Bill, kind: str, format: str, by: Any, params: dict[str, Any] | None = None
) -> DocumentJob:
    """
    Queue the building of a document on ``bill``; staff only. ``format`` must be
    one the kind comes in. The task is queued after commit. Raises NotPermitted
    or InvalidDocument.
    """
    from .. import tasks  # the task module imports this one

    if not is_legislative_staff(by):
        raise NotPermitted(_("只有立法工作人员可以生成该文件。"))
    if kind not in FORMATS:
        raise InvalidDocument(_("文件类型无效。"))
    if format not in FORMATS[kind]:
        raise InvalidDocument(
            _("“%(kind)s”不能生成%(format)s格式。")
            % {"kind": DocumentJob.Kind(kind).label, "format": format}
        )
    job = DocumentJob.objects.create(
        bill=bill,
        kind=kind,
        format=format,
        params=_params(kind, params or {}),
        created_by=by,
    )
    tasks.build_document.delay_on_commit(job.pk)
    return job


def build_document(*, job_id: int) -> DocumentJob:
    """
    Build the document of job ``job_id``, saving its progress as it goes; a job
    already done is left as is. A failure marks the job failed and re-raises.
    """

    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().get(pk=job_id)
        if job.status == DocumentJob.Status.DONE:
            return job
        job.status, job.progress = DocumentJob.Status.RUNNING, 0
        job.save(update_fields=["status", "progress"])

    def progress(percent: int) -> None:
        DocumentJob.objects.filter(pk=job.pk).update(progress=min(99, percent))

    try:
        body = _build(job, progress)
    except Exception:
        DocumentJob.objects.filter(pk=job.pk).update(
            status=DocumentJob.Status.FAILED, finished_at=timezone.now()
        )
        raise
    job.file.save(
        f"{job.bill.slug}-{job.kind}.{job.format}", ContentFile(body), save=False
    )
    job.status, job.progress, job.finished_at = (
        DocumentJob.Status.DONE,
        100,
        timezone.now(),
    )
    job.save(update_fields=["file", "status", "progress", "finished_at"])
    return job


def _build(job: DocumentJob, progress: Callable[[int], None]) -> bytes:
    bill, params = job.bill, job.params
    if job.kind == DocumentJob.Kind.LETTERS:
        return documents.feedback_letters_docx(
            bill=bill, by=params["by"], user=job.created_by, progress=progress
        )
    if job.kind == DocumentJob.Kind.REPORT:
        progress(10)
        build = (
            documents.adoption_report_docx
            if job.format == "docx"
            else documents.adoption_report_xlsx
        )
        return build(bill=bill)
    progress(10)
    shown = legislation_selectors.version_comparison(
        bill=bill, user=AnonymousUser(), old=params.get("from"), new=params.get("to")
    )
    progress(40)
    build = (
        documents.comparison_docx if job.format == "docx" else documents.comparison_xlsx
    )
    return build(
        bill=bill,
        old=shown.old,
        new=shown.new,
        rows=shown.rows,
        renumbered=params.get("renumbered", "fold"),
    )
