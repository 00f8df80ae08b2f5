"""
Write the checked rows of an import batch: all of them in one transaction, or none.

The rows come from :mod:`.read` and are checked by :mod:`.validate`. The clean
ones are staged, with their search words and receipt codes, in a temporary
table of the connection (COPY on PostgreSQL); INSERT … SELECT statements move
them into comments, contributors and counts, in ONE transaction (the SQL is in
:mod:`.staging`). Memory stays
flat: Python holds a few chunks of rows at a time.

There are two paths. On PostgreSQL the transaction is open from the start and
each chunk is written while a thread checks the next one, so the database works
while Python checks (progress is then published on a connection of its own).
Elsewhere the whole file is checked and staged first, then written.

:class:`Loader` is the one way in, and its fields are the seam for tests: where
receipt codes come from, a hook called before each :class:`Step` of the write,
and which path runs. The import task hands the service a batch id only, so
:func:`use_loader` installs a loader for every import run meanwhile.

The batch's own bookkeeping (claiming it, publishing progress, marking it done
or failed) is the service's, :func:`consultation.services.run_import`, which
hands the loader callbacks for it; this module does not import the services.
"""

from __future__ import annotations

import enum
import queue
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation

from .. import search
from ..models import (
    RECEIPT_ALPHABET,
    RECEIPT_LENGTH,
    Comment,
    Consultation,
    ImportBatch,
)
from ..writing import RECEIPT_ATTEMPTS, share_lock
from . import staging
from .read import read_rows
from .validate import CleanRow, Validator

CHUNK = 5000  # rows checked and staged between two loads

# pg_advisory_xact_lock(IMPORT_LOCK, batch id): one writer per batch at a time.
IMPORT_LOCK = 7

# progress(rows done, total rows or None), published at once.
Progress = Callable[[int, int | None], None]
# finish(comments of the batch, rows read), inside the write transaction.
Finish = Callable[[int, int], None]


class InvalidRows(Exception):
    """Some rows of the file are wrong: nothing of it is written."""

    def __init__(self, validator: Validator) -> None:
        super().__init__("invalid rows")
        self.validator = validator


class VersionChanged(Exception):
    """The consultation moved to another draft version while rows were checked."""


class Step(enum.StrEnum):
    """The steps of a write, as :attr:`Loader.before_step` is told of them."""

    # Sequential path only: every row is checked and staged, and the write
    # transaction is about to open.
    STAGED = "staged"
    # Staged rows are about to be inserted as comments (the threaded path: once
    # per chunk).
    COMMENTS = "comments"
    # The comments are in; their contributors are next (threaded: per chunk).
    CONTRIBUTORS = "contributors"
    # Every row is written; the kept counts are next, then the commit.
    COUNTS = "counts"


def draw_receipt_codes() -> Iterator[str]:
    """
    Yield fresh receipt codes drawn as :func:`~consultation.models.new_receipt_code`
    draws them (each character uniform over the alphabet, from the system's
    secure random source), many at once: a million codes take a fraction of a
    second instead of several.
    """
    size = len(RECEIPT_ALPHABET)
    usable = 256 - 256 % size  # bytes above would favour the first characters
    table = bytes(ord(RECEIPT_ALPHABET[b % size]) for b in range(256))
    rejected = bytes(range(usable, 256))
    while True:
        chars = secrets.token_bytes(RECEIPT_LENGTH * 4096).translate(table, rejected)
        for i in range(0, len(chars) - RECEIPT_LENGTH + 1, RECEIPT_LENGTH):
            yield chars[i : i + RECEIPT_LENGTH].decode("ascii")


def _no_hook(step: Step) -> None:
    """Go on to ``step``."""


@dataclass(frozen=True)
class Loader:
    """
    Check the rows of an import batch's file once, and write all or none.

    ``receipt_codes`` returns an iterator of fresh receipt codes (each call a
    new one: one per pass over the rows, one per redraw of codes that
    collided). ``before_step`` is called with each :class:`Step` just before
    it runs; all but STAGED run inside the write transaction, so an exception
    it raises there rolls everything back, as a crash at that point would.
    ``threaded`` chooses the path: True the threaded one (PostgreSQL only),
    False the sequential one, None the threaded one on PostgreSQL and the
    sequential one elsewhere.
    """

    receipt_codes: Callable[[], Iterator[str]] = draw_receipt_codes
    before_step: Callable[[Step], None] = _no_hook
    threaded: bool | None = None

    def write(
        self,
        batch: ImportBatch,
        *,
        progress: Progress,
        finish: Finish,
        phases: dict[str, float] | None = None,
    ) -> int:
        """
        Check and write the rows of ``batch``'s file; return the number read.

        ``progress`` publishes progress at once (on the sequential path; the
        threaded one publishes on a connection of its own); ``finish`` marks
        the batch done, inside the write transaction. The time each phase took
        goes into ``phases``. Rows already written for the batch (by an earlier
        run that crashed) are skipped, and a batch found done is left as it is.

        Raises InvalidRows, VersionChanged or ImportFileError, and then nothing
        is written. No staging table is left behind either way.
        """
        phases = {} if phases is None else phases
        threaded = self.threaded
        if threaded is None:
            threaded = connection.vendor == "postgresql"
        try:
            if threaded:
                return self._check_and_write(batch, finish, phases)
            return self._check_then_write(batch, progress, finish, phases)
        finally:
            staging.drop_staging()

    def _check_then_write(
        self,
        batch: ImportBatch,
        progress: Progress,
        finish: Finish,
        phases: dict[str, float],
    ) -> int:
        """
        Check and stage every row, then write them in one transaction; return the
        number of rows read. Raises InvalidRows, VersionChanged or ImportFileError.
        """
        mark = time.monotonic()
        consultation = batch.consultation
        validator = Validator(consultation)
        staging.create_staging()
        staged = 0
        with batch.file.open("rb") as data:
            rows = validator.iter_clean(
                read_rows(batch.original_name, data),
                progress=lambda done: progress(done, None),
            )
            for values in self._staged_values(validator, rows):
                staging.stage(values)
                staged += len(values)
        validator.finish()
        if validator.errors:
            raise InvalidRows(validator)
        progress(validator.rows_read, validator.rows_read)
        phases["check_and_stage"] = time.monotonic() - mark
        self.before_step(Step.STAGED)
        with transaction.atomic():
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if locked.status == ImportBatch.Status.DONE:
                return locked.processed_rows
            # Keep the consultation's bill, version and point still while
            # writing; comments entered meanwhile need not wait.
            share_lock(consultation)
            current = Consultation.objects.get(pk=consultation.pk)
            if current.version_id != consultation.version_id:
                # The rows were checked against the articles of another version.
                raise VersionChanged
            mark = time.monotonic()
            created = self._write_staged(locked, current, staged, phases)
            finish(created, validator.rows_read)
            phases["write"] = time.monotonic() - mark
            mark = time.monotonic()
        phases["commit"] = time.monotonic() - mark  # deferred foreign-key checks
        return validator.rows_read

    def _check_and_write(
        self, batch: ImportBatch, finish: Finish, phases: dict[str, float]
    ) -> int:
        """
        Check the rows in a thread and write each checked chunk at once, all in
        one transaction (PostgreSQL); return the number of rows read. Raises
        InvalidRows or ImportFileError, after rolling back.
        """
        mark = time.monotonic()
        publish = _ProgressPublisher(batch.pk)
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    # Not the batch's row lock: progress goes to that row meanwhile.
                    cursor.execute(
                        "SELECT pg_advisory_xact_lock(%s, %s)", [IMPORT_LOCK, batch.pk]
                    )
                locked = ImportBatch.objects.get(pk=batch.pk)
                if locked.status == ImportBatch.Status.DONE:
                    return locked.processed_rows
                # Keep the consultation's bill, version and point still from the
                # first row checked to the commit; comments entered meanwhile need
                # not wait.
                share_lock(batch.consultation)
                consultation = Consultation.objects.get(pk=batch.consultation_id)
                validator = Validator(consultation)
                already = set(
                    Comment.objects.filter(import_batch_id=batch.pk).values_list(
                        "import_row", flat=True
                    )
                )
                staging.create_staging()
                counts: Counter[tuple[int | None, str, int]] = Counter()
                chunks = closing(
                    self._checked_in_thread(batch, validator, publish, already)
                )
                clock = _Clock(phases)
                with chunks, connection.cursor() as cursor:
                    for values, payload in clock.wait(chunks.thing):
                        with clock("stage"):
                            staging.stage_payload(payload)
                        self._insert_staged(
                            cursor, locked, consultation, len(values), clock
                        )
                        with clock("truncate"):
                            cursor.execute(f"TRUNCATE {staging.STAGING}")
                        counts.update((v[1], v[11], v[3]) for v in values)
                validator.finish()
                if validator.errors:
                    raise InvalidRows(validator)
                phases["check_and_write"] = time.monotonic() - mark
                self.before_step(Step.COUNTS)
                staging.add_counts(consultation, counts)
                finish(len(already) + counts.total(), validator.rows_read)
                mark = time.monotonic()
            phases["commit"] = time.monotonic() - mark  # deferred foreign-key checks
        finally:
            publish.close()
        return validator.rows_read

    def _checked_in_thread(
        self,
        batch: ImportBatch,
        validator: Validator,
        publish: Callable[[int], None],
        skip: set[int],
    ) -> Iterator[tuple[list[tuple], bytes]]:
        """
        Yield the staged values of the file's clean rows a chunk at a time, with
        the same rows as COPY data, read, checked, segmented and formatted by a
        thread of their own (no database there), a chunk or two ahead of the
        caller; rows numbered in ``skip`` (written by an earlier run) are left
        out. Publish progress as the thread goes. Once an error is found, rows
        are only checked. Raises what the thread raised (ImportFileError).
        """
        chunks: queue.Queue[Any] = queue.Queue(maxsize=2)
        stop = threading.Event()
        done = [0]
        language = translation.get_language()

        def put(item: Any) -> None:
            while not stop.is_set():
                try:
                    chunks.put(item, timeout=0.5)
                    return
                except queue.Full:
                    continue

        def check() -> None:
            try:
                with translation.override(language), batch.file.open("rb") as data:
                    rows = validator.iter_clean(
                        read_rows(batch.original_name, data),
                        progress=lambda n: done.__setitem__(0, n),
                    )
                    for chunk in self._staged_values(validator, rows):
                        values = [v for v in chunk if v[0] not in skip]
                        if values:
                            put((values, staging.copy_payload(values)))
                        if stop.is_set():
                            return
                put(_END)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                put(exc)

        thread = threading.Thread(target=check, name=f"import-{batch.pk}", daemon=True)
        thread.start()
        try:
            while True:
                try:
                    item = chunks.get(timeout=1)
                except queue.Empty:
                    publish(done[0])
                    continue
                publish(done[0])
                if item is _END:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            stop.set()
            thread.join()

    def _staged_values(
        self, validator: Validator, rows: Iterable[CleanRow]
    ) -> Iterator[list[tuple]]:
        """
        Yield the clean ``rows`` as values of the staging table (search words and
        a receipt code added), a chunk at a time. Once ``validator`` has found an
        error, rows are only checked: the file will not be written.
        """
        codes = self.receipt_codes()
        adapt = connection.ops.adapt_datefield_value
        for chunk in _chunks(rows):
            if validator.error_count:
                continue
            yield [
                (
                    row.row,
                    row.article_id,
                    adapt(row.submitted_on),
                    row.submitted_on.year,
                    row.text,
                    row.summary,
                    search.search_words(row.text, row.summary),
                    next(codes),
                    row.name,
                    row.contact,
                    row.affiliation,
                    row.kind,
                )
                for row in chunk
            ]

    def _write_staged(
        self,
        batch: ImportBatch,
        consultation: Consultation,
        staged: int,
        phases: dict[str, float],
    ) -> int:
        """
        Insert the staged rows: comments, then their contributors, then the counts.
        Rows already written for ``batch`` (by an earlier run) are left out. Return
        the number of the batch's comments.
        """
        batch_id = batch.pk
        table = Comment._meta.db_table
        with connection.cursor() as cursor:
            already = Comment.objects.filter(import_batch_id=batch_id).count()
            if already:
                cursor.execute(
                    f"DELETE FROM {staging.STAGING} WHERE import_row IN (SELECT import_row "
                    f"FROM {table} WHERE import_batch_id = %s)",
                    [batch_id],
                )
                staged -= cursor.rowcount
            mark = time.monotonic()
            self._insert_staged(cursor, batch, consultation, staged)
            phases["insert"] = time.monotonic() - mark
            cursor.execute(
                f"SELECT article_id, kind, year, COUNT(*) FROM {staging.STAGING} "
                "GROUP BY article_id, kind, year"
            )
            counts = {(a, k, y): n for a, k, y, n in cursor.fetchall()}
        self.before_step(Step.COUNTS)
        staging.add_counts(consultation, counts)
        return already + staged

    def _insert_staged(
        self,
        cursor: Any,
        batch: ImportBatch,
        consultation: Consultation,
        staged: int,
        clock: _Clock | None = None,
    ) -> None:
        """
        Insert the ``staged`` rows of the staging table as comments, and their
        contributors. A receipt code drawn twice (about one chance in a million
        per million rows, or taken meanwhile by a comment entered by hand) is
        skipped by the insert; the rows it held back get new codes and go again.
        """
        clock = clock or _Clock({})
        self.before_step(Step.COMMENTS)
        with clock("insert_comments"):
            inserted = staging.insert_comments(
                cursor, batch, consultation, only_missing=False
            )
        attempts = 1
        while inserted < staged:
            if attempts == RECEIPT_ATTEMPTS:
                raise IntegrityError("receipt codes kept colliding")
            attempts += 1
            self._redraw_receipt_codes(cursor, batch.pk)
            inserted += staging.insert_comments(
                cursor, batch, consultation, only_missing=True
            )
        self.before_step(Step.CONTRIBUTORS)
        with clock("insert_contributors"):
            staging.insert_contributors(cursor, batch.pk)

    def _redraw_receipt_codes(self, cursor: Any, batch_id: int) -> None:
        """Give new receipt codes to the staged rows not inserted yet."""
        cursor.execute(
            f"SELECT s.import_row FROM {staging.STAGING} s WHERE NOT EXISTS (SELECT 1 FROM "
            f"{Comment._meta.db_table} c WHERE c.import_batch_id = %s "
            "AND c.import_row = s.import_row) ORDER BY s.import_row",
            [batch_id],
        )
        codes = self.receipt_codes()
        cursor.executemany(
            f"UPDATE {staging.STAGING} SET receipt_code = %s WHERE import_row = %s",
            [(next(codes), row) for (row,) in cursor.fetchall()],
        )


# The loaders installed by use_loader, innermost last.
_in_use: list[Loader] = []


def loader_in_use() -> Loader:
    """Return the loader an import uses when given none (see :func:`use_loader`)."""
    return _in_use[-1] if _in_use else Loader()


@contextmanager
def use_loader(loader: Loader) -> Iterator[Loader]:
    """
    Make ``loader`` the one every import run inside the block uses when given
    none, such as those run by the import task, in every thread of the process.

    For tests: inject a crash before a step, choose the receipt codes, choose
    the path.
    """
    _in_use.append(loader)
    try:
        yield loader
    finally:
        _in_use.pop()


class _ProgressPublisher:
    """
    Publish an import's progress on a connection of its own, at once: the
    import's own transaction shows nothing until it commits.
    """

    def __init__(self, batch_id: int) -> None:
        self.batch_id = batch_id
        self.last: int | None = None
        self.connection = connection.copy()

    def __call__(self, done: int) -> None:
        if done == self.last:
            return
        self.last = done
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ImportBatch._meta.db_table} SET processed_rows = %s, "
                "heartbeat_at = %s WHERE id = %s",
                [done, timezone.now(), self.batch_id],
            )

    def close(self) -> None:
        self.connection.close()


_END = object()


class _Clock:
    """Add the time spent in each named part of a write to ``phases``."""

    def __init__(self, phases: dict[str, float]) -> None:
        self.phases = phases

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        mark = time.monotonic()
        try:
            yield
        finally:
            self.phases[name] = self.phases.get(name, 0.0) + time.monotonic() - mark

    def wait(self, items: Iterable[Any]) -> Iterator[Any]:
        """Yield ``items``, counting the time spent waiting for each as waiting for rows."""
        it = iter(items)
        while True:
            with self("wait_for_rows"):
                item = next(it, _END)
            if item is _END:
                return
            yield item


def _chunks(rows: Iterable[CleanRow]) -> Iterator[list[CleanRow]]:
    it = iter(rows)
    while chunk := list(islice(it, CHUNK)):
        yield chunk
