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
    if isinstance(value, Uncomputed):
        return value
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _csv_problem(exc: csv.Error) -> str:
    """Say in the clerk's words what the CSV reader stumbled on."""
    if "unexpected end of data" in str(exc):
        return _(
            "该行的引号没有闭合：从这一行起到文件末尾都会被当成一个单元格。"
            "请检查该行的引号是否成对（单元格内的引号应写成两个）。"
        )
    if "expected after" in str(exc):
        return _(
            "该行有一个单元格的引号用法有误：以引号开头的单元格须以引号结尾，"
            '单元格内的引号应写成两个（如 ""好""）。'
        )
    return _("CSV 文件格式有误：%(error)s") % {"error": exc}


def _csv_records(stream: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    stream.seek(0)
    encoding = _detect_encoding(stream.read(SNIFF_BYTES))
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    number = 0
    try:
        # Strict: a quote left open would otherwise swallow the rest of the
        # file into one cell, and a stray quote would vanish from the text.
        for number, record in enumerate(csv.reader(text, strict=True), start=1):  # noqa: B007
            yield number, record
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("文件编码无法识别，请另存为 UTF-8 或 GB18030 编码的 CSV 文件。"),
            row=number + 1,
        ) from exc
    except csv.Error as exc:
        raise ImportFileError(_csv_problem(exc), row=number + 1) from exc
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
    formulas = None
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        if _has_formulas(stream, sheet):
            # Formula cells read as their cached value; one saved without a
            # value (a file written by a program, not by Excel) reads as None
            # here, and as its formula in a second reading of the sheet.
            formulas = load_workbook(stream, read_only=True, data_only=False)
            rows = _mark_uncomputed(
                rows, formulas.worksheets[0].iter_rows(values_only=True)
            )
        # Read-only sheets fill gaps with empty rows, so the count is the row number.
        for number, values in enumerate(rows, start=1):
            yield number, [_cell(v) for v in values]
    finally:
        book.close()
        if formulas is not None:
            formulas.close()


class Uncomputed(str):
    """An XLSX cell holding a formula whose value the file does not keep."""

    __slots__ = ()


def _has_formulas(stream: IO[bytes], sheet: Any) -> bool:
    """Whether the sheet's XML has a formula (cheap: no parsing)."""
    path = getattr(sheet, "_worksheet_path", None)
    if not path:
        return True  # cannot tell: look at every cell
    tail = b""
    try:
        with zipfile.ZipFile(stream) as archive, archive.open(path) as xml:
            while chunk := xml.read(1 << 20):
                if b"<f>" in tail + chunk or b"<f " in tail + chunk:
                    return True
                tail = chunk[-3:]
    except (KeyError, zipfile.BadZipFile):
        return True
    return False


def _mark_uncomputed(
    values: Iterator[tuple], formulas: Iterator[tuple]
) -> Iterator[tuple]:
    for row, row_formulas in zip(values, formulas, strict=False):
        if None in row:
            row = (
                tuple(
                    Uncomputed() if v is None and f is not None else v
                    for v, f in zip(row, row_formulas, strict=False)
                )
                + row[len(row_formulas) :]
            )
        yield row


def read_rows(filename: str, data: bytes | IO[bytes]) -> Iterator[tuple[int, dict]]:
    """
    Yield ``(row_number, {header: value})`` for each non-empty data row.

    Headers are the file's own (stripped); ``row_number`` is the spreadsheet's
    (header = 1). Raises ImportFileError when the file cannot be read.
    """
    stream = _binary(data)
    xlsx = _is_xlsx(filename)
    records = _xlsx_records(stream) if xlsx else _csv_records(stream)
    header: list[str] | None = None
    unnamed: list[int] = []
    for number, record in records:
        if "\x00" in "".join(record):
            raise ImportFileError(
                _(
                    "该行含有空字符（NUL），文件可能已损坏或不是文本格式。"
                    "请用 Excel 打开后另存为 CSV 或 XLSX 再导入。"
                ),
                row=number,
            )
        if not any(cell.strip() or isinstance(cell, Uncomputed) for cell in record):
            continue
        if header is None:
            header = [cell.strip().lstrip("\ufeff").strip() for cell in record]
            unnamed = [i for i, name in enumerate(header) if not name]
            continue
        _check_cells(number, header, unnamed, record, xlsx=xlsx)
        yield (
            number,
            {name: value for name, value in zip(header, record, strict=False) if name},
        )


def _column(index: int) -> str:
    """The spreadsheet's letter for the column at ``index`` (0: A)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _check_cells(
    number: int, header: list[str], unnamed: list[int], record: list[str], *, xlsx: bool
) -> None:
    """
    Refuse a row whose content would be lost or misread: text in a column the
    header does not name (a CSV row with more cells than the header), or a
    formula whose value the file does not keep.
    """
    stray = [i for i in unnamed if i < len(record) and record[i].strip()]
    stray += [i for i in range(len(header), len(record)) if record[i].strip()]
    if stray:
        raise ImportFileError(
            _(
                "该行有 %(cells)d 个单元格，而表头只有 %(columns)d 列有列名："
                "第 %(column)s 列的内容没有列名，无法导入。请检查该行是否多了"
                "分隔符（逗号），或给该列补上列名。"
            )
            % {
                "cells": len(record),
                "columns": len(header) - len(unnamed),
                "column": _column(min(stray)),
            },
            row=number,
        )
    if not xlsx:
        return
    for name, value in zip(header, record, strict=False):
        if name and isinstance(value, Uncomputed):
            raise ImportFileError(
                _(
                    "“%(column)s”列的单元格是公式，文件中没有保存它的计算结果"
                    "（本系统不计算公式）。请把公式复制后“粘贴为数值”，再导入。"
                )
                % {"column": name},
                row=number,
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
