"""
Read a spreadsheet of comments (CSV or XLSX) one row at a time.

CSV files may be UTF-8, UTF-8 with a byte-order mark, or GB18030 (as Chinese
Excel saves "CSV"); XLSX files are read from their first sheet. Rows stream
through: :func:`read_rows` yields one row at a time, so a million-row file
costs no more memory than a small one. Row numbers are the spreadsheet's own
(the header is row 1); empty rows are skipped but keep their numbers.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from django.utils.translation import gettext as _

SNIFF_BYTES = 1 << 20


class ImportFileError(Exception):
    """The file as a whole cannot be read (not a spreadsheet, bad encoding)."""

    def __init__(self, message: str, *, row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.row = row

    def as_error(self) -> dict[str, Any]:
        return {"row": self.row, "column": "", "message": self.message}


def _binary(data: bytes | IO[bytes]) -> IO[bytes]:
    """Return a seekable binary stream for ``data`` (bytes, or a Django File)."""
    if isinstance(data, bytes | bytearray | memoryview):
        return io.BytesIO(bytes(data))
    inner: Any = data
    while not isinstance(inner, io.IOBase) and hasattr(inner, "file"):
        inner = inner.file
    if isinstance(inner, io.IOBase):
        return inner
    return io.BytesIO(data.read())


def _is_xlsx(filename: str) -> bool:
    return filename.lower().endswith(".xlsx")


def _detect_encoding(head: bytes) -> str:
    """Say how a CSV file is encoded: UTF-8 (with or without BOM) or GB18030."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def _cell(value: Any) -> str:
    """Render one XLSX cell as the text a person sees in it."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _csv_records(stream: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    stream.seek(0)
    encoding = _detect_encoding(stream.read(SNIFF_BYTES))
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    number = 0
    try:
        for number, record in enumerate(csv.reader(text), start=1):  # noqa: B007
            yield number, record
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("文件编码无法识别，请另存为 UTF-8 或 GB18030 编码的 CSV 文件。"),
            row=number + 1,
        ) from exc
    except csv.Error as exc:
        raise ImportFileError(
            _("CSV 文件格式有误：%(error)s") % {"error": exc}, row=number + 1
        ) from exc
    finally:
        # Leave the underlying file open for whoever owns it.
        text.detach()


def _xlsx_records(stream: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    stream.seek(0)
    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(_("无法读取该 XLSX 文件，请确认文件未损坏。")) from exc
    try:
        sheet = book.worksheets[0]
        # Read-only sheets fill gaps with empty rows, so the count is the row number.
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell(v) for v in values]
    finally:
        book.close()


def read_rows(filename: str, data: bytes | IO[bytes]) -> Iterator[tuple[int, dict]]:
    """
    Yield ``(row_number, {header: value})`` for each non-empty data row.

    Headers are the file's own (stripped); ``row_number`` is the spreadsheet's
    (header = 1). Raises ImportFileError when the file cannot be read.
    """
    stream = _binary(data)
    records = _xlsx_records(stream) if _is_xlsx(filename) else _csv_records(stream)
    header: list[str] | None = None
    for number, record in records:
        if not any(cell.strip() for cell in record):
            continue
        if header is None:
            header = [cell.strip().lstrip("\ufeff").strip() for cell in record]
            continue
        yield (
            number,
            {name: value for name, value in zip(header, record, strict=False) if name},
        )


def estimate_rows(filename: str, data: bytes | IO[bytes]) -> int:
    """Estimate the number of data rows cheaply, for the progress bar."""
    stream = _binary(data)
    stream.seek(0)
    if _is_xlsx(filename):
        from openpyxl import load_workbook

        try:
            book = load_workbook(stream, read_only=True)
            rows = book.worksheets[0].max_row or 0
            book.close()
        except Exception:  # noqa: BLE001 - the real read reports the problem
            return 0
        return max(rows - 1, 0)
    lines = 0
    last = b""
    while chunk := stream.read(1 << 20):
        lines += chunk.count(b"\n")
        last = chunk
    if last and not last.endswith(b"\n"):
        lines += 1
    return max(lines - 1, 0)
