"""
Import comments from a spreadsheet: accept the file, run the batch, give up on it.

This is the service side of an import: it checks who may import what, and
keeps the batch's status (claimed, progress, failed, done). Reading, checking
and writing the rows is :mod:`consultation.imports`' (its :class:`Loader`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import (
    DatabaseError,
    IntegrityError,
    OperationalError,
    connection,
    connections,
    transaction,
)
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .. import access, imports
from ..errors import ConsultationClosed, ImportRejected, NotPermitted
from ..models import Consultation, ImportBatch
from . import closing

logger = logging.getLogger(__name__)

IMPORT_TYPES = (".csv", ".xlsx")

# pg_advisory_lock(IMPORT_OWNER, batch id), held by the session of the worker
# running the batch: it goes with the worker's connection when the worker dies,
# so a redelivered message knows at once that nobody runs the batch any more.
IMPORT_OWNER = 8
# A batch claimed this many times (its worker killed each time, say by running
# out of memory on it) is given up rather than taken over again.
MAX_ATTEMPTS = 5
ACTIVE = (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING)
BROKEN = gettext_noop("导入过程中出错，未写入任何意见，请重新上传。")


class DuplicateImport(ImportRejected):
    """The same file was already imported into the consultation, or is being."""

    code = "duplicate_import"
    http_status = 409

    def __init__(self, message: str, *, batch: ImportBatch) -> None:
        super().__init__(message, details=[{"batch": batch.pk, "status": batch.status}])
        self.batch = batch


def _read_through(uploaded_file: UploadedFile) -> tuple[str, int | None]:
    """
    Return the file's SHA-256 and the line of its first NUL byte, if any, in
    one pass. A text file never holds NUL: one means a damaged file or another
    format renamed .csv, refused at once rather than when its batch runs.
    """
    sha = hashlib.sha256()
    lines, nul_line = 1, None
    for chunk in uploaded_file.chunks():
        sha.update(chunk)
        if nul_line is None:
            at = chunk.find(b"\x00")
            if at >= 0:
                nul_line = lines + chunk.count(b"\n", 0, at)
            else:
                lines += chunk.count(b"\n")
    uploaded_file.seek(0)
    return sha.hexdigest(), nul_line


def _duplicate(earlier: ImportBatch) -> DuplicateImport:
    when = formats.date_format(timezone.localtime(earlier.created_at), "Y-m-d H:i")
    names = {"name": earlier.original_name, "when": when}
    if earlier.status in ACTIVE:
        message = (
            _(
                "同一文件（%(name)s，%(when)s 上传）正在导入，请勿重复上传；"
                "处理中断的导入会自动重试。"
            )
            % names
        )
    else:
        message = (
            _(
                "同一文件已于 %(when)s 导入本次征求意见（%(name)s），再次导入会"
                "使每条意见重复一次。如确是另一批意见，请勾选“这是另一批意见”后再上传。"
            )
            % names
        )
    return DuplicateImport(message, batch=earlier)


@transaction.atomic
def start_import(
    *,
    by: Any,
    consultation: Consultation,
    uploaded_file: UploadedFile,
    different_comments: bool = False,
) -> ImportBatch:
    """
    Accept a CSV or XLSX file of comments for ``consultation`` and queue it.

    The file is stored with a new batch (status pending); after commit the task
    :func:`consultation.tasks.process_import` runs :func:`run_import` on it (in
    process when no broker is configured). Files larger than
    NPC_IMPORT_MAX_BYTES, empty files and other types are refused.

    A file whose content (its bytes, whatever its name) is being imported into
    the consultation is refused; one already imported into it is refused unless
    ``different_comments`` says the clerk confirmed it holds other comments.

    A consultation that has closed (:func:`closing.ensure_accepting`) takes no
    file; and a batch whose consultation closed before it ran fails whole.

    Raises NotPermitted, ConsultationClosed, ImportRejected or DuplicateImport.
    """
    if not access.can_enter_comment(by, consultation):
        raise NotPermitted(_("您不能为该征求意见活动导入意见。"))
    closing.ensure_accepting(consultation)
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
    digest, nul_line = _read_through(uploaded_file)
    if nul_line is not None and name.lower().endswith(".csv"):
        raise ImportRejected(
            _(
                "文件第%(line)d行含有空字符（NUL），文件可能已损坏或并非文本文件，"
                "请另存为 UTF-8 编码的 CSV 后再导入。"
            )
            % {"line": nul_line}
        )
    earlier = (
        ImportBatch.objects.filter(consultation=consultation, content_sha256=digest)
        .exclude(status=ImportBatch.Status.FAILED)
        .order_by("-status", "-created_at")  # running, pending, then done
        .first()
    )
    if earlier is not None and (earlier.status in ACTIVE or not different_comments):
        raise _duplicate(earlier)
    batch = ImportBatch(
        consultation=consultation,
        original_name=name[:255],
        created_by=by,
        content_sha256=digest,
    )
    batch.file.save(name, uploaded_file, save=False)
    try:
        with transaction.atomic():
            batch.save()
    except IntegrityError:
        # The same file, uploaded at the same moment by someone else.
        batch.file.delete(save=False)
        earlier = ImportBatch.objects.filter(
            consultation=consultation, content_sha256=digest, status__in=ACTIVE
        ).first()
        if earlier is None:
            raise
        raise _duplicate(earlier) from None
    from .. import tasks  # the task module imports this one

    tasks.process_import.delay_on_commit(batch.pk)
    return batch


def _progress(batch_id: int, done: int, total: int | None = None) -> None:
    """Publish progress at once, outside the import's own transaction if any."""
    values: dict[str, Any] = {"processed_rows": done, "heartbeat_at": timezone.now()}
    if total is not None:
        values["total_rows"] = total
    ImportBatch.objects.filter(pk=batch_id).update(**values)


def _own(batch_id: int) -> bool | None:
    """
    Take the batch's owner lock for this session, if no live session holds it;
    None where the database has no such locks (then the heartbeat alone tells).
    """
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [IMPORT_OWNER, batch_id])
        return bool(cursor.fetchone()[0])


def _disown(batch_id: int) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_unlock(%s, %s)", [IMPORT_OWNER, batch_id]
            )
    except DatabaseError:
        # The connection is gone, and the session's locks with it.
        logger.warning("could not release import batch %s", batch_id, exc_info=True)


def _claim(batch_id: int) -> tuple[ImportBatch | None, bool]:
    """
    Mark the batch running for this worker; return it and whether this session
    holds its owner lock (to release at the end). Return None for a batch that
    is finished, or that another worker is running: its owner lock is held and
    its heartbeat fresh. A running batch whose worker died (owner lock free, or
    heartbeat older than NPC_IMPORT_STALL_SECONDS) is taken over; the row lock
    makes sure one worker only claims it.
    """
    with transaction.atomic():
        batch = (
            # Lock the batch row only: PostgreSQL refuses FOR UPDATE on the
            # nullable side of the outer join to created_by.
            ImportBatch.objects.select_for_update(of=("self",))
            .select_related("consultation", "created_by")
            .get(pk=batch_id)
        )
        if batch.status in (ImportBatch.Status.DONE, ImportBatch.Status.FAILED):
            return None, False
        owned = _own(batch_id)
        if batch.status == ImportBatch.Status.RUNNING and not batch.stalled:
            if owned is not True:
                # A duplicate or redelivered message while its worker runs it.
                return None, False
            if batch.heartbeat_at is not None:
                logger.warning(
                    "import batch %s: its worker is gone, taking it over", batch_id
                )
        if batch.attempts >= MAX_ATTEMPTS:
            _fail(
                batch,
                [
                    {
                        "row": None,
                        "column": "",
                        "message": _(
                            "该文件多次导致处理中断，已停止重试，未写入任何意见。"
                            "请拆分为较小的文件后重新上传。"
                        ),
                    }
                ],
                1,
            )
            if owned:
                _disown(batch_id)
            return None, False
        batch.status = ImportBatch.Status.RUNNING
        batch.processed_rows = 0
        batch.heartbeat_at = timezone.now()
        batch.attempts += 1
        batch.save(
            update_fields=["status", "processed_rows", "heartbeat_at", "attempts"]
        )
        return batch, bool(owned)


def _release(batch_id: int) -> None:
    """Put a batch whose run broke off back in the queue's hands (pending)."""
    try:
        ImportBatch.objects.filter(
            pk=batch_id, status=ImportBatch.Status.RUNNING
        ).update(status=ImportBatch.Status.PENDING, heartbeat_at=None)
    except DatabaseError:
        # The database is away: the heartbeat goes stale and the sweep retries.
        logger.warning("could not release import batch %s", batch_id, exc_info=True)


@contextmanager
def _heartbeat(batch_id: int) -> Iterator[None]:
    """
    Keep the batch's heartbeat fresh while the block runs, from a thread of its
    own on a connection of its own: the rows are written in one transaction
    whose long last statements publish no progress. PostgreSQL only; elsewhere
    progress updates alone beat (and the stall threshold must allow for the
    final write).
    """
    if connection.vendor != "postgresql":
        yield
        return
    stop = threading.Event()
    every = max(0.5, min(30.0, settings.NPC_IMPORT_STALL_SECONDS / 5))

    def beat() -> None:
        try:
            while not stop.wait(every):
                ImportBatch.objects.filter(
                    pk=batch_id, status=ImportBatch.Status.RUNNING
                ).update(heartbeat_at=timezone.now())
        except DatabaseError:
            logger.warning(
                "import batch %s: heartbeat stopped", batch_id, exc_info=True
            )
        finally:
            connections.close_all()  # this thread's own

    thread = threading.Thread(target=beat, name=f"heartbeat-{batch_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


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
    batch, owned = _claim(batch_id)
    if batch is None:
        return ImportBatch.objects.get(pk=batch_id)
    try:
        with _heartbeat(batch_id):
            return _run(batch, loader)
    except imports.ImportFileError as exc:
        _fail(batch, [exc.as_error()], 1)
        return ImportBatch.objects.get(pk=batch_id)
    except DatabaseError as exc:
        if isinstance(exc, OperationalError):
            _release(batch_id)  # the database went away: the task retries
            raise
        # Content the database refuses, which the checks should have caught.
        logger.exception("import batch %s: the database refused a row", batch_id)
        _fail(batch, [{"row": None, "column": "", "message": _(BROKEN)}], 1)
        return ImportBatch.objects.get(pk=batch_id)
    except BaseException:
        _release(batch_id)
        raise
    finally:
        if owned:
            _disown(batch_id)


def _run(batch: ImportBatch, loader: imports.Loader | None) -> ImportBatch:
    batch_id = batch.pk
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
    try:
        # Judged on the day of the upload: a file accepted then is not refused
        # for the time it waited in the queue, unless a vote closed it since.
        closing.ensure_accepting(
            batch.consultation, on=timezone.localdate(batch.created_at)
        )
    except ConsultationClosed as exc:
        _fail(batch, [{"row": None, "column": "", "message": exc.message}], 1)
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
    from .. import tasks  # the task module imports this one

    now = timezone.now()
    ImportBatch.objects.filter(pk=batch_id).update(
        status=ImportBatch.Status.DONE,
        created_count=created,
        processed_rows=rows,
        total_rows=rows,
        errors=[],
        error_count=0,
        heartbeat_at=now,
        finished_at=now,
    )
    # Grouped by a task once the import commits, not in its transaction: the
    # comments' signatures are computed in Python (about 0.2 ms each), which
    # would lengthen the import's one transaction by as much again.
    tasks.group_import.delay_on_commit(batch_id)


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
        errors=[{"row": None, "column": "", "message": _(BROKEN)}],
        error_count=1,
        finished_at=timezone.now(),
    )
    return ImportBatch.objects.get(pk=batch_id)
