"""
Import comments from a spreadsheet: accept the file, run the batch, give up on it.

This is the service side of an import: it checks who may import what, and
keeps the batch's status (claimed, progress, failed, done). Reading, checking
and writing the rows is :mod:`consultation.imports`' (its :class:`Loader`).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import access, imports
from ..errors import ImportRejected, NotPermitted
from ..models import Consultation, ImportBatch

logger = logging.getLogger(__name__)

IMPORT_TYPES = (".csv", ".xlsx")


@transaction.atomic
def start_import(
    *, by: Any, consultation: Consultation, uploaded_file: UploadedFile
) -> ImportBatch:
    """
    Accept a CSV or XLSX file of comments for ``consultation`` and queue it.

    The file is stored with a new batch (status pending); after commit the task
    :func:`consultation.tasks.process_import` runs :func:`run_import` on it (in
    process when no broker is configured). Files larger than
    NPC_IMPORT_MAX_BYTES, empty files and other types are refused.

    Raises NotPermitted or ImportRejected.
    """
    if not access.can_enter_comment(by, consultation):
        raise NotPermitted(_("您不能为该征求意见活动导入意见。"))
    name = os.path.basename(uploaded_file.name or "")
    if not name.lower().endswith(IMPORT_TYPES):
        raise ImportRejected(_("只能导入 CSV 或 XLSX 文件。"))
    if not uploaded_file.size:
        raise ImportRejected(_("文件是空的。"))
    limit = settings.NPC_IMPORT_MAX_BYTES
    if uploaded_file.size > limit:
        raise ImportRejected(
            _("文件过大（上限 %(mb)d MB），请拆分后分批导入。")
            % {"mb": limit // (1024 * 1024)}
        )
    batch = ImportBatch(
        consultation=consultation,
        original_name=name[:255],
        created_by=by,
    )
    batch.file.save(name, uploaded_file, save=False)
    batch.save()
    from .. import tasks  # the task module imports this one

    tasks.process_import.delay_on_commit(batch.pk)
    return batch


def _progress(batch_id: int, done: int, total: int | None = None) -> None:
    """Publish progress at once, outside the import's own transaction if any."""
    values: dict[str, int] = {"processed_rows": done}
    if total is not None:
        values["total_rows"] = total
    ImportBatch.objects.filter(pk=batch_id).update(**values)


def _claim(batch_id: int) -> ImportBatch | None:
    """Mark the batch running, or return None if it is already finished."""
    with transaction.atomic():
        batch = (
            # Lock the batch row only: PostgreSQL refuses FOR UPDATE on the
            # nullable side of the outer join to created_by.
            ImportBatch.objects.select_for_update(of=("self",))
            .select_related("consultation", "created_by")
            .get(pk=batch_id)
        )
        if batch.status in (ImportBatch.Status.DONE, ImportBatch.Status.FAILED):
            return None
        batch.status = ImportBatch.Status.RUNNING
        batch.processed_rows = 0
        batch.save(update_fields=["status", "processed_rows"])
        return batch


def _fail(batch: ImportBatch, errors: Sequence[dict], error_count: int) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.FAILED,
        errors=list(errors),
        error_count=error_count,
        finished_at=timezone.now(),
    )


def run_import(*, batch_id: int, loader: imports.Loader | None = None) -> ImportBatch:
    """
    Check every row of an import batch once, and write all of them or none.

    One pass reads and checks each row (:mod:`consultation.imports`),
    publishing progress as it goes, and stages the clean rows, with their
    search words and receipt codes, in a temporary table of the connection
    (COPY on PostgreSQL); INSERT … SELECT statements move them into comments,
    contributors and counts, in ONE transaction. Any error fails the batch with
    the spreadsheet's row numbers and column names, and nothing is written.
    Memory stays flat: Python holds a few chunks of rows at a time.

    On PostgreSQL the transaction is open from the start and each chunk is
    written while a thread checks the next one, so the database works while
    Python checks (progress is then published on a connection of its own).
    Elsewhere the whole file is checked and staged first, then written.

    Idempotent: a finished batch is returned as it is; a rerun after a crash
    writes each row once (rows already written for the batch are skipped; the
    (import_batch, import_row) constraint backs this up).

    ``loader`` reads, checks and writes the rows; by default the one in use
    (:func:`consultation.imports.use_loader`).
    """
    batch = _claim(batch_id)
    if batch is None:
        return ImportBatch.objects.get(pk=batch_id)
    if not access.can_enter_comment(batch.created_by, batch.consultation):
        _fail(
            batch,
            [
                {
                    "row": None,
                    "column": "",
                    "message": _("您不能为该征求意见活动导入意见。"),
                }
            ],
            1,
        )
        return ImportBatch.objects.get(pk=batch_id)
    started = time.monotonic()
    phases: dict[str, float] = {}
    with batch.file.open("rb") as data:
        total = imports.estimate_rows(batch.original_name, data)
    _progress(batch.pk, 0, total)
    loader = loader or imports.loader_in_use()
    try:
        rows = loader.write(
            batch,
            progress=partial(_progress, batch.pk),
            finish=partial(_finish, batch.pk),
            phases=phases,
        )
    except imports.ImportFileError as exc:
        _fail(batch, [exc.as_error()], 1)
        return ImportBatch.objects.get(pk=batch_id)
    except imports.InvalidRows as exc:
        _fail(batch, exc.validator.errors, exc.validator.error_count)
        _progress(batch.pk, exc.validator.rows_read)
        return ImportBatch.objects.get(pk=batch_id)
    except imports.VersionChanged:
        message = _(
            "导入期间该征求意见活动的草案版本已更改，未写入任何意见，请重新上传。"
        )
        _fail(batch, [{"row": None, "column": "", "message": message}], 1)
        return ImportBatch.objects.get(pk=batch_id)
    phases["total"] = time.monotonic() - started
    logger.info(
        "import batch %s: %s rows in %.1f s",
        batch_id,
        rows,
        phases["total"],
        extra={"phases": phases},
    )
    return ImportBatch.objects.get(pk=batch_id)


def _finish(batch_id: int, created: int, rows: int) -> None:
    ImportBatch.objects.filter(pk=batch_id).update(
        status=ImportBatch.Status.DONE,
        created_count=created,
        processed_rows=rows,
        total_rows=rows,
        errors=[],
        error_count=0,
        finished_at=timezone.now(),
    )


def abandon_import(*, batch_id: int) -> ImportBatch:
    """
    Give up on a batch whose task failed for good (retries spent, or an error
    no retry can mend): mark it failed, unless it was written, so the clerk sees
    an outcome instead of endless progress. Its write transaction rolled back,
    so nothing of it is in the database.
    """
    ImportBatch.objects.filter(pk=batch_id).exclude(
        status=ImportBatch.Status.DONE
    ).update(
        status=ImportBatch.Status.FAILED,
        errors=[
            {
                "row": None,
                "column": "",
                "message": _("导入过程中出错，未写入任何意见，请重新上传。"),
            }
        ],
        error_count=1,
        finished_at=timezone.now(),
    )
    return ImportBatch.objects.get(pk=batch_id)
