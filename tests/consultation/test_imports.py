"""Importing comments from CSV and XLSX files: all rows or none."""

import codecs
import contextlib
import datetime as dt
import io
import time
from collections import Counter
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from consultation import counters, imports, services
from consultation.errors import ImportRejected, NotPermitted
from consultation.models import (
    RECEIPT_ALPHABET,
    RECEIPT_LENGTH,
    Comment,
    CommentCount,
    Consultation,
    Contributor,
    ImportBatch,
)
from consultation.services import imports as services_imports
from consultation.services.imports import IMPORT_OWNER, DuplicateImport
from legislation.models import DraftVersion
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

HEADER = list(imports.HEADERS)
GOOD_ROWS = [
    [
        "建议明确老旧电梯更新改造资金的来源。",
        "第三条",
        "王芳",
        "13912345678",
        "居民",
        "",
        "2024-09-10",
        "",
    ],
    [
        "儿童应在看护下乘用电梯。",
        "4",
        "李强",
        "13800001111",
        "人大代表",
        "某社区",
        "",
        "看护",
    ],
    ["=1+1 公式样的意见也照原样保存。", "", "", "", "", "", "2024/9/11", ""],
]


def csv_bytes(rows, *, encoding="utf-8", header=HEADER, bom=False):
    out = io.StringIO()
    import csv

    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = out.getvalue().encode(encoding)
    return codecs.BOM_UTF8 + data if bom else data


def xlsx_bytes(rows, *, header=HEADER):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula, as typed
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def upload(consultation_a, clerk_a, django_capture_on_commit_callbacks):
    """Start an import as the clerk of point A and run its task, as after commit."""

    def run(name, data, *, by=None, consultation=None):
        with django_capture_on_commit_callbacks(execute=True):
            batch = services.start_import(
                by=by or clerk_a,
                consultation=consultation or consultation_a,
                uploaded_file=SimpleUploadedFile(name, data),
            )
        batch.refresh_from_db()
        return batch

    return run


# --- templates -----------------------------------------------------------------


def test_the_csv_template_opens_in_excel_and_reads_back():
    data = imports.template_csv()
    assert data.startswith(codecs.BOM_UTF8)
    assert data.decode("utf-8-sig").strip().split(",") == HEADER


def test_the_xlsx_template_has_the_columns_and_instructions():
    book = load_workbook(io.BytesIO(imports.template_xlsx()))
    assert [c.value for c in book.worksheets[0][1]] == HEADER
    assert book.worksheets[1].title == "填写说明"


# --- encodings and formats -----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("意见.csv", csv_bytes(GOOD_ROWS)),
        ("意见.csv", csv_bytes(GOOD_ROWS, bom=True)),
        ("意见.CSV", csv_bytes(GOOD_ROWS, encoding="gb18030")),
        ("意见.xlsx", xlsx_bytes(GOOD_ROWS)),
    ],
    ids=["utf-8", "utf-8-bom", "gb18030", "xlsx"],
)
def test_a_good_file_is_imported_whole(upload, consultation_a, clerk_a, name, data):
    batch = upload(name, data)
    assert batch.status == ImportBatch.Status.DONE, batch.errors
    assert (batch.created_count, batch.processed_rows, batch.total_rows) == (3, 3, 3)
    comments = list(Comment.objects.order_by("import_row"))
    assert [c.import_row for c in comments] == [2, 3, 4]
    first, second, third = comments
    assert first.text == GOOD_ROWS[0][0]
    assert first.article.number == 3
    assert first.submitted_on.isoformat() == "2024-09-10"
    assert first.point == consultation_a.point
    assert first.created_by == clerk_a
    assert second.article.number == 4
    assert second.submitted_on == consultation_a.held_on
    assert second.summary == "看护"
    assert third.text.startswith("=1+1")
    assert third.article is None
    assert third.submitted_on.isoformat() == "2024-09-11"
    people = Contributor.objects.order_by("comment__import_row")
    assert [(p.name, p.contact, p.kind) for p in people] == [
        ("王芳", "13912345678", "resident"),
        ("李强", "13800001111", "deputy"),
        ("", "", "resident"),
    ]
    assert len({c.receipt_code for c in comments}) == 3


def test_xlsx_cells_typed_as_numbers_and_dates_are_read_as_shown(upload):
    import datetime as dt

    batch = upload(
        "意见.xlsx",
        xlsx_bytes(
            [
                [
                    "意见",
                    12.0,
                    "张三",
                    13912345678,
                    "律师",
                    "",
                    dt.datetime(2024, 9, 9),
                    "",
                ]
            ]
        ),
    )
    # The test draft has five articles: 12 is unknown, named in the message.
    assert batch.status == ImportBatch.Status.FAILED
    assert batch.errors == [
        {
            "row": 2,
            "column": "针对条文",
            "message": "本次征求意见的草案文本中没有“12”。",
        }
    ]
    batch = upload(
        "意见.xlsx",
        xlsx_bytes(
            [
                [
                    "意见",
                    2.0,
                    "张三",
                    13912345678,
                    "律师",
                    "",
                    dt.datetime(2024, 9, 9),
                    "",
                ]
            ]
        ),
    )
    assert batch.status == ImportBatch.Status.DONE
    person = Contributor.objects.get()
    assert person.contact == "13912345678"
    assert person.comment.submitted_on == dt.date(2024, 9, 9)


def test_columns_in_another_order_and_other_spellings_are_understood(upload):
    header = ["序号", "联系电话", "意见建议", "条文"]
    batch = upload(
        "意见.csv", csv_bytes([["1", "13900000000", "好意见", "第二条"]], header=header)
    )
    assert batch.status == ImportBatch.Status.DONE, batch.errors
    comment = Comment.objects.get()
    assert (comment.text, comment.article.number, comment.contributor.contact) == (
        "好意见",
        2,
        "13900000000",
    )


def test_empty_rows_are_skipped_but_keep_their_numbers(upload):
    rows = [
        GOOD_ROWS[0],
        ["", "", "", "", "", "", "", ""],
        ["", "第九十九条"] + [""] * 6,
    ]
    batch = upload("意见.csv", csv_bytes(rows))
    assert batch.status == ImportBatch.Status.FAILED
    assert [e["row"] for e in batch.errors] == [4, 4]


# --- rejected files ------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "header", "expected"),
    [
        (
            GOOD_ROWS,
            [h for h in HEADER if h != "意见内容"],
            {"row": 1, "column": "意见内容", "message": "缺少列“意见内容”。"},
        ),
        (
            [["意见", "第九十九条", "", "", "", "", "", ""]],
            HEADER,
            {
                "row": 2,
                "column": "针对条文",
                "message": "本次征求意见的草案文本中没有“第九十九条”。",
            },
        ),
        (
            [["意见", "第几条", "", "", "", "", "", ""]],
            HEADER,
            {
                "row": 2,
                "column": "针对条文",
                "message": "无法识别条文“第几条”，请填写如“第十二条”或“12”。",
            },
        ),
        (
            [GOOD_ROWS[0], ["   ", "", "王五", "", "", "", "", ""]],
            HEADER,
            {"row": 3, "column": "意见内容", "message": "意见内容不能为空。"},
        ),
        (
            [["长" * 5001, "", "", "", "", "", "", ""]],
            HEADER,
            {
                "row": 2,
                "column": "意见内容",
                "message": "意见内容超过5000字（本行5001字）。",
            },
        ),
        (
            [["意见", "", "", "", "", "", "2024-13-01", ""]],
            HEADER,
            {
                "row": 2,
                "column": "提出日期",
                "message": "日期“2024-13-01”无法识别，请使用如 2024-09-10 的格式。",
            },
        ),
        (
            [["意见", "", "", "", "外星人", "", "", ""]],
            HEADER,
            {"row": 2, "column": "身份", "message": None},
        ),
        (
            [["意见", "", "", "1" * 101, "", "", "", ""]],
            HEADER,
            {"row": 2, "column": "联系方式", "message": "联系方式超过100个字符。"},
        ),
        (
            [
                GOOD_ROWS[0],
                ["\u200b\u200c \u200d\ufeff\u2060\u3000", "", "", "", "", "", "", ""],
            ],
            HEADER,
            {"row": 3, "column": "意见内容", "message": "意见内容不能为空。"},
        ),
        (
            [["意见", "", "", "", "", "", "1948-12-31", ""]],
            HEADER,
            {"row": 2, "column": "提出日期", "message": "提出日期不能早于1949年。"},
        ),
    ],
    ids=[
        "missing-column",
        "unknown-article",
        "unreadable-article",
        "empty-text",
        "over-long-text",
        "bad-date",
        "unknown-kind",
        "over-long-contact",
        "invisible-text",
        "date-before-1949",
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_one_bad_row_fails_the_whole_file_with_its_row_and_column(
    upload, rows, header, expected, fmt
):
    data = (
        csv_bytes(rows, header=header)
        if fmt == "csv"
        else xlsx_bytes(rows, header=header)
    )
    batch = upload(f"意见.{fmt}", data)
    assert batch.status == ImportBatch.Status.FAILED
    assert batch.error_count == 1
    [error] = batch.errors
    assert (error["row"], error["column"]) == (expected["row"], expected["column"])
    if expected["message"]:
        assert error["message"] == expected["message"]
    else:
        assert "外星人" in error["message"] and "居民" in error["message"]
    assert not Comment.objects.exists()
    assert not Contributor.objects.exists()


def test_every_error_is_counted_and_the_first_ones_kept(upload):
    rows = [["", "第九十九条"] + [""] * 6 for _ in range(300)]
    batch = upload("意见.csv", csv_bytes(rows))
    assert batch.error_count == 600
    assert len(batch.errors) == imports.MAX_ERRORS
    assert batch.errors[0]["row"] == 2


def test_a_file_with_a_header_only_is_refused(upload):
    batch = upload("意见.csv", csv_bytes([]))
    assert batch.status == ImportBatch.Status.FAILED
    assert batch.errors == [{"row": None, "column": "", "message": "文件中没有意见。"}]


def test_a_broken_xlsx_file_fails_with_a_message(upload):
    batch = upload("意见.xlsx", b"PK\x03\x04 not really a zip file")
    assert batch.status == ImportBatch.Status.FAILED
    assert "XLSX" in batch.errors[0]["message"]


def test_a_mislabelled_encoding_fails_with_a_message(upload):
    data = csv_bytes(GOOD_ROWS * 30000)  # UTF-8 for the first megabyte …
    data += "末尾一行\r\n".encode("gb18030") + b"\xff\xfe\r\n"  # … then not
    batch = upload("意见.csv", data)
    assert batch.status == ImportBatch.Status.FAILED
    assert "编码" in batch.errors[0]["message"]
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        ("意见.xls", b"old excel", ImportRejected),
        ("意见.txt", b"text", ImportRejected),
        ("意见.csv", b"", ImportRejected),
    ],
)
def test_files_that_are_not_csv_or_xlsx_are_refused(upload, name, data, error):
    with pytest.raises(error):
        upload(name, data)
    assert not ImportBatch.objects.exists()


def test_a_file_over_the_size_limit_is_refused(upload, settings):
    settings.NPC_IMPORT_MAX_BYTES = 100
    with pytest.raises(ImportRejected):
        upload("意见.csv", csv_bytes(GOOD_ROWS))


def test_a_clerk_cannot_import_into_another_points_consultation(
    upload, consultation_b, clerk_a
):
    with pytest.raises(NotPermitted):
        upload(
            "意见.csv", csv_bytes(GOOD_ROWS), consultation=consultation_b, by=clerk_a
        )
    assert not ImportBatch.objects.exists()


# --- scale and idempotence -----------------------------------------------------


def test_a_50000_row_file_whose_last_row_is_bad_writes_nothing(upload):
    row = [
        "建议明确老旧电梯更新改造资金的来源，避免业主之间产生纠纷。",
        "第三条",
        "王芳",
        "13912345678",
        "居民",
        "某小区",
        "2024-09-10",
        "",
    ]
    rows = [row] * 49_999 + [[""] + row[1:]]
    started = time.perf_counter()
    batch = upload("意见.csv", csv_bytes(rows))
    elapsed = time.perf_counter() - started
    assert batch.status == ImportBatch.Status.FAILED
    assert batch.errors == [
        {"row": 50_001, "column": "意见内容", "message": "意见内容不能为空。"}
    ]
    assert (batch.processed_rows, batch.total_rows) == (50_000, 50_000)
    assert not Comment.objects.exists()
    assert elapsed < 20, f"validating 50,000 rows took {elapsed:.1f} s"


def test_a_finished_batch_is_not_written_again(upload, consultation_a):
    batch = upload("意见.csv", csv_bytes(GOOD_ROWS))
    again = services.run_import(batch_id=batch.pk)
    assert again.status == ImportBatch.Status.DONE
    assert Comment.objects.count() == 3


def test_a_rerun_after_a_crash_writes_each_row_once(consultation_a, clerk_a):
    rows = [[f"意见{i}"] + [""] * 7 for i in range(7)]
    batch = services.start_import(  # queued after commit: not run here
        by=clerk_a,
        consultation=consultation_a,
        uploaded_file=SimpleUploadedFile("意见.csv", csv_bytes(rows)),
    )

    def crash(step):
        if step == imports.Step.CONTRIBUTORS:
            # The comments are in; the worker is lost before their contributors.
            assert Comment.objects.count() == 7
            raise ConnectionError("worker lost")

    with pytest.raises(ConnectionError):
        services.run_import(batch_id=batch.pk, loader=imports.Loader(before_step=crash))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PENDING  # back to the queue's hands
    assert not Comment.objects.exists()  # the write transaction was rolled back
    batch = services.run_import(batch_id=batch.pk)
    assert batch.status == ImportBatch.Status.DONE
    assert batch.created_count == 7
    assert sorted(Comment.objects.values_list("import_row", flat=True)) == list(
        range(2, 9)
    )
    assert Contributor.objects.count() == 7
    assert _kept_counts() == {(None, "resident", 2024): 7}


def test_an_import_task_that_fails_for_good_fails_its_batch(upload, monkeypatch):
    from npc.celery import app

    def broken(step):
        if step == imports.Step.COMMENTS:
            raise RuntimeError("a bug")

    # As on a worker: the error ends the task instead of reaching the caller.
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)
    with imports.use_loader(imports.Loader(before_step=broken)):
        upload("意见.csv", csv_bytes(GOOD_ROWS))
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.FAILED
    assert batch.errors[0]["message"] == "导入过程中出错，未写入任何意见，请重新上传。"
    assert not Comment.objects.exists()
    assert not _staging_exists()


def test_rows_already_written_for_the_batch_are_skipped(
    upload, consultation_a, clerk_a
):
    rows = [[f"意见{i}"] + [""] * 7 for i in range(4)]
    batch = upload("意见.csv", csv_bytes(rows))
    # As if the batch had been written but its status lost: reset it and rerun.
    Comment.objects.filter(import_batch=batch, import_row__gt=3).delete()
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.RUNNING,
        heartbeat_at=timezone.now() - dt.timedelta(hours=1),
    )
    batch = services.run_import(batch_id=batch.pk)
    assert batch.created_count == 4
    assert sorted(Comment.objects.values_list("import_row", flat=True)) == [2, 3, 4, 5]


def test_validate_returns_clean_rows_and_errors(consultation_a):
    rows = imports.read_rows("a.csv", csv_bytes(GOOD_ROWS))
    clean, errors = imports.validate(rows, consultation_a)
    assert [r.row for r in clean] == [2, 3, 4]
    assert errors == []
    rows = imports.read_rows("a.csv", csv_bytes([["", "", "", "", "", "", "", "x"]]))
    clean, errors = imports.validate(rows, consultation_a)
    assert clean == []
    assert errors[0]["row"] == 2


# --- the write path ------------------------------------------------------------


def _kept_counts():
    """The kept comment counts, summed per (article number, kind, year)."""
    sums = Counter()
    for count in CommentCount.objects.select_related("article"):
        key = (count.article.number if count.article else None, count.kind, count.year)
        sums[key] += count.delta
    return {key: n for key, n in sums.items() if n}


def _staging_exists():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT to_regclass(%s)", [f"pg_temp.{imports.STAGING}"])
            return cursor.fetchone()[0] is not None
        cursor.execute(
            "SELECT name FROM sqlite_temp_master WHERE name = %s", [imports.STAGING]
        )
        return cursor.fetchone() is not None


def test_the_kept_counts_are_right_as_soon_as_the_import_is_done(
    upload, consultation_a
):
    batch = upload("意见.csv", csv_bytes(GOOD_ROWS + GOOD_ROWS[:1]))
    assert batch.status == ImportBatch.Status.DONE, batch.errors
    year = consultation_a.held_on.year
    expected = {(3, "resident", 2024): 2, (4, "deputy", year): 1}
    expected[(None, "resident", 2024)] = expected.get((None, "resident", 2024), 0) + 1
    assert _kept_counts() == expected
    counters.recount([consultation_a.pk])  # counted from the comments themselves
    assert _kept_counts() == expected


def test_receipt_codes_already_taken_or_drawn_twice_are_drawn_again(
    upload, consultation_a
):
    taken = CommentFactory(consultation=consultation_a).receipt_code
    fresh = ["AAAABBBBCCCC", "DDDDEEEEFFFF", "GGGGHHHHJJJJ", "KKKKMMMMNNNN"]
    # The first row draws a taken code, the second the same again.
    codes = iter([taken, taken, *fresh])
    with imports.use_loader(imports.Loader(receipt_codes=lambda: codes)):
        batch = upload("意见.csv", csv_bytes(GOOD_ROWS))
    assert batch.status == ImportBatch.Status.DONE, batch.errors
    assert batch.created_count == 3
    imported = dict(
        Comment.objects.filter(import_batch=batch).values_list(
            "import_row", "receipt_code"
        )
    )
    assert imported == {2: fresh[1], 3: fresh[2], 4: fresh[0]}
    assert Comment.objects.filter(receipt_code=taken).count() == 1
    people = Contributor.objects.filter(comment__import_batch=batch)
    assert sorted(p.name for p in people) == ["", "李强", "王芳"]


def test_receipt_codes_are_drawn_from_the_receipt_alphabet():
    codes = imports.draw_receipt_codes()
    drawn = [next(codes) for _ in range(5000)]
    assert len(set(drawn)) == len(drawn)
    assert all(len(code) == RECEIPT_LENGTH for code in drawn)
    assert set("".join(drawn)) == set(RECEIPT_ALPHABET)


def test_a_big_file_whose_rows_were_staged_leaves_nothing_when_its_last_row_is_bad(
    upload,
):
    rows = [[f"意见{i}"] + [""] * 7 for i in range(3 * imports.CHUNK)]
    rows.append(["意见", "", "", "", "不存在的身份", "", "", ""])
    batch = upload("意见.csv", csv_bytes(rows))
    assert batch.status == ImportBatch.Status.FAILED
    assert [(e["row"], e["column"]) for e in batch.errors] == [(len(rows) + 1, "身份")]
    assert batch.processed_rows == len(rows)
    assert not Comment.objects.exists()
    assert not Contributor.objects.exists()
    assert not CommentCount.objects.exists()
    assert not _staging_exists()


def test_an_import_is_refused_if_the_consultation_changed_version_meanwhile(
    upload, consultation_a
):
    # The portable path checks before it writes, so the version may change in
    # between; PostgreSQL's own path holds the consultation from the first row
    # checked. Run the portable path on every database.
    def change_version(step):
        if step != imports.Step.STAGED:
            return
        other = DraftVersion.objects.create(
            bill=consultation_a.bill,
            number=2,
            title="二审稿",
            date=consultation_a.version.date,
            source_text="第一条 本条例。",
        )
        Consultation.objects.filter(pk=consultation_a.pk).update(version=other)

    loader = imports.Loader(threaded=False, before_step=change_version)
    with imports.use_loader(loader):
        batch = upload("意见.csv", csv_bytes(GOOD_ROWS))
    assert batch.status == ImportBatch.Status.FAILED
    assert "草案版本已更改" in batch.errors[0]["message"]
    assert not Comment.objects.exists()
    assert not _staging_exists()


def test_a_good_import_leaves_no_staging_table_behind(upload):
    batch = upload("意见.csv", csv_bytes(GOOD_ROWS))
    assert batch.status == ImportBatch.Status.DONE
    assert not _staging_exists()


@pytest.mark.parametrize("threaded", [False, True], ids=["sequential", "threaded"])
def test_the_loader_writes_a_batch_on_its_own_by_either_path(
    consultation_a, clerk_a, threaded
):
    if threaded and connection.vendor != "postgresql":
        pytest.skip("the threaded path runs on PostgreSQL only")
    batch = services.start_import(  # queued after commit: not run here
        by=clerk_a,
        consultation=consultation_a,
        uploaded_file=SimpleUploadedFile("意见.csv", csv_bytes(GOOD_ROWS)),
    )
    finished, steps = [], []
    loader = imports.Loader(threaded=threaded, before_step=steps.append)
    rows = loader.write(
        batch, progress=lambda done, total: None, finish=lambda *a: finished.append(a)
    )
    assert rows == 3
    assert finished == [(3, 3)]  # (comments of the batch, rows read)
    assert Comment.objects.filter(import_batch=batch).count() == 3
    assert Contributor.objects.filter(comment__import_batch=batch).count() == 3
    expected = ["comments", "contributors", "counts"]
    assert steps == (expected if threaded else ["staged", *expected])
    assert not _staging_exists()


# --- input that would be lost or misread -----------------------------------------


def _file_error(batch):
    assert batch.status == ImportBatch.Status.FAILED
    assert not Comment.objects.exists()
    [error] = batch.errors
    return error


def test_a_nul_byte_is_refused_at_upload_naming_its_line(upload):
    data = csv_bytes([GOOD_ROWS[0], ["建议\x00增加培训", "", "", "", "", "", "", ""]])
    with pytest.raises(ImportRejected, match="第3行含有空字符"):
        upload("意见.csv", data)
    assert not ImportBatch.objects.exists()


def test_a_nul_byte_upload_through_the_api_is_a_400_and_leaves_no_batch(
    clerk_a, consultation_a
):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(clerk_a)
    data = csv_bytes([GOOD_ROWS[0], ["建议\x00增加培训", "", "", "", "", "", "", ""]])
    response = client.post(
        "/api/v1/imports/",
        {
            "consultation": consultation_a.pk,
            "file": SimpleUploadedFile("意见.csv", data),
        },
        format="multipart",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_rejected" and "第3行" in body["detail"]
    assert not ImportBatch.objects.exists()


def test_a_row_with_more_cells_than_the_header_names_the_row(upload):
    data = csv_bytes(
        [GOOD_ROWS[0], ["建议增加培训", "", "", "", "", "", "", "", "多出的一段意见"]]
    )
    error = _file_error(upload("意见.csv", data))
    assert error["row"] == 3
    assert "第 I 列" in error["message"]


def test_trailing_empty_cells_beyond_the_header_are_harmless(upload):
    batch = upload("意见.csv", csv_bytes([GOOD_ROWS[0] + ["", " "]]))
    assert batch.status == ImportBatch.Status.DONE
    assert batch.created_count == 1


def test_an_unclosed_quote_names_the_row_instead_of_swallowing_the_file(upload):
    data = csv_bytes(GOOD_ROWS[:1]) + (
        '"建议增加培训,,,,,,,\r\n建议明确检查频次,,,,,,,\r\n'.encode()
    )
    error = _file_error(upload("意见.csv", data))
    assert error["row"] == 3
    assert "引号没有闭合" in error["message"]


def test_a_stray_quote_after_a_quoted_cell_names_the_row(upload):
    data = csv_bytes(GOOD_ROWS[:1]) + '"好"建议,,,,,,,\r\n'.encode()
    error = _file_error(upload("意见.csv", data))
    assert error["row"] == 3
    assert "引号" in error["message"]


def _with_formula(rows, *, cached=None):
    """An XLSX whose row 2 意见内容 is a formula, with ``cached`` as its kept value."""
    import re
    import zipfile

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(['="建议"&"增加培训"', "", "", "", "", "", "", ""])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    if cached is None:
        return out.getvalue()
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                # Excel keeps the value it computed beside the formula.
                data = re.sub(
                    rb'<c r="A2"( t="\w+")?><f>(.*?)</f><v\s*/?>(</v>)?',
                    b'<c r="A2" t="str"><f>\\2</f><v>' + cached.encode() + b"</v>",
                    data,
                )
            target.writestr(item, data)
    return result.getvalue()


def test_an_xlsx_formula_without_a_kept_value_is_named_not_read_as_empty(upload):
    error = _file_error(upload("意见.xlsx", _with_formula([GOOD_ROWS[0]])))
    assert error["row"] == 2
    assert "公式" in error["message"]
    assert "意见内容不能为空" not in error["message"]


def test_an_xlsx_formula_with_a_kept_value_is_read_as_that_value(upload):
    batch = upload("意见.xlsx", _with_formula([GOOD_ROWS[0]], cached="建议增加培训"))
    assert batch.status == ImportBatch.Status.DONE, batch.errors
    assert Comment.objects.filter(text="建议增加培训").exists()


# --- the same file twice -----------------------------------------------------------


def _start(consultation, clerk, data, *, name="意见.csv", **kwargs):
    return services.start_import(
        by=clerk,
        consultation=consultation,
        uploaded_file=SimpleUploadedFile(name, data),
        **kwargs,
    )


def test_a_file_already_imported_is_refused_whatever_its_name(
    upload, consultation_a, clerk_a
):
    first = upload("意见.csv", csv_bytes(GOOD_ROWS))
    assert first.status == ImportBatch.Status.DONE
    with pytest.raises(DuplicateImport) as refused:
        _start(consultation_a, clerk_a, csv_bytes(GOOD_ROWS), name="另存的意见.csv")
    assert refused.value.batch == first
    assert "意见.csv" in refused.value.message
    assert ImportBatch.objects.count() == 1


def test_the_clerk_may_confirm_the_same_content_is_another_set_of_comments(
    upload, consultation_a, clerk_a
):
    upload("意见.csv", csv_bytes(GOOD_ROWS))
    again = _start(
        consultation_a, clerk_a, csv_bytes(GOOD_ROWS), different_comments=True
    )
    assert again.status == ImportBatch.Status.PENDING


@pytest.mark.parametrize("status", ["pending", "running"])
def test_a_file_being_imported_is_refused_even_when_confirmed(
    consultation_a, clerk_a, status
):
    first = _start(consultation_a, clerk_a, csv_bytes(GOOD_ROWS))
    ImportBatch.objects.filter(pk=first.pk).update(status=status)
    with pytest.raises(DuplicateImport):
        _start(consultation_a, clerk_a, csv_bytes(GOOD_ROWS), different_comments=True)


def test_a_file_that_failed_may_be_uploaded_again(upload, consultation_a, clerk_a):
    bad = [["意见", "第九十九条", "", "", "", "", "", ""], GOOD_ROWS[0]]
    assert upload("意见.csv", csv_bytes(bad)).status == ImportBatch.Status.FAILED
    assert upload("意见.csv", csv_bytes(bad)).status == ImportBatch.Status.FAILED


def test_the_same_file_for_another_consultation_is_accepted(
    upload, consultation_a, clerk_a, bill, draft, point_a
):
    from tests.factories import ConsultationFactory

    upload("意见.csv", csv_bytes(GOOD_ROWS))
    other = ConsultationFactory(bill=bill, version=draft, point=point_a)
    assert upload("意见.csv", csv_bytes(GOOD_ROWS), consultation=other).created_count


# --- a worker lost mid-import ------------------------------------------------------


@contextlib.contextmanager
def _run_by_a_live_worker(batch):
    """Make the batch look run by a live worker elsewhere: it holds the owner lock."""
    if connection.vendor != "postgresql":
        yield
        return
    other = connection.copy()
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [IMPORT_OWNER, batch.pk])
    try:
        yield
    finally:
        other.close()


def _running(batch, *, seconds_ago):
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.RUNNING,
        heartbeat_at=timezone.now() - dt.timedelta(seconds=seconds_ago),
        attempts=1,
    )


def test_a_duplicate_message_for_a_batch_running_elsewhere_does_nothing(
    consultation_a, clerk_a
):
    batch = _start(consultation_a, clerk_a, csv_bytes(GOOD_ROWS))
    _running(batch, seconds_ago=5)
    with _run_by_a_live_worker(batch):
        again = services.run_import(batch_id=batch.pk)
    assert again.status == ImportBatch.Status.RUNNING
    assert again.attempts == 1
    assert not again.stalled
    assert not Comment.objects.exists()


def test_a_batch_whose_heartbeat_went_stale_is_taken_over_and_written_once(
    consultation_a, clerk_a, settings
):
    settings.NPC_IMPORT_STALL_SECONDS = 180
    batch = _start(consultation_a, clerk_a, csv_bytes(GOOD_ROWS))
    _running(batch, seconds_ago=181)
    batch.refresh_from_db()
    assert batch.stalled
    assert batch.get_state_display() == "处理中断，正在自动重试…"
    with _run_by_a_live_worker(batch):  # hung, not dead: taken over all the same
        done = services.run_import(batch_id=batch.pk)
    assert done.status == ImportBatch.Status.DONE
    assert done.attempts == 2
    assert done.heartbeat_at > timezone.now() - dt.timedelta(seconds=5)
    # Every message still about (the original's redelivery, the sweep's) is void.
    assert services.run_import(batch_id=batch.pk).attempts == 2
    rows = Comment.objects.filter(import_batch=batch).values_list(
        "import_row", flat=True
    )
    assert sorted(rows) == [2, 3, 4]


@pytest.mark.postgres
def test_a_redelivered_message_takes_over_at_once_when_the_worker_is_gone(
    consultation_a, clerk_a
):
    batch = _start(consultation_a, clerk_a, csv_bytes(GOOD_ROWS))
    _running(batch, seconds_ago=1)  # fresh, but nobody holds the owner lock
    assert services.run_import(batch_id=batch.pk).status == ImportBatch.Status.DONE
    assert Comment.objects.filter(import_batch=batch).count() == 3


def test_a_batch_that_keeps_killing_its_workers_is_given_up(consultation_a, clerk_a):
    batch = _start(consultation_a, clerk_a, csv_bytes(GOOD_ROWS))
    _running(batch, seconds_ago=10_000)
    ImportBatch.objects.filter(pk=batch.pk).update(
        attempts=services_imports.MAX_ATTEMPTS
    )
    failed = services.run_import(batch_id=batch.pk)
    assert failed.status == ImportBatch.Status.FAILED
    assert "停止重试" in failed.errors[0]["message"]
    assert not Comment.objects.exists()


def test_the_sweep_queues_lost_and_stalled_batches_once_a_minute(
    consultation_a, clerk_a, settings, django_capture_on_commit_callbacks
):
    from consultation import tasks

    settings.NPC_IMPORT_STALL_SECONDS = 180
    ago = timezone.now() - dt.timedelta(minutes=2)
    lost = _start(consultation_a, clerk_a, csv_bytes(GOOD_ROWS[:1]))
    stalled = _start(consultation_a, clerk_a, csv_bytes(GOOD_ROWS[1:2]))
    working = _start(consultation_a, clerk_a, csv_bytes(GOOD_ROWS[2:]))
    fresh = _start(consultation_a, clerk_a, csv_bytes(GOOD_ROWS[:2]))
    ImportBatch.objects.exclude(pk=fresh.pk).update(created_at=ago)
    _running(stalled, seconds_ago=200)
    _running(working, seconds_ago=10)
    queued = []
    with mock.patch.object(tasks.process_import, "delay", queued.append):
        assert tasks.requeue_stalled_imports() == 2
        assert sorted(queued) == sorted([lost.pk, stalled.pk])
        # A minute later nothing has changed: queued again only then.
        assert tasks.requeue_stalled_imports() == 0
        ImportBatch.objects.exclude(pk=fresh.pk).update(queued_at=ago)
        assert tasks.requeue_stalled_imports() == 1  # the lost one: stall period
    assert ImportBatch.objects.get(pk=fresh.pk).queued_at is None


# --- what the clerk sees --------------------------------------------------------------


def test_the_import_page_says_a_stalled_batch_is_being_retried(
    client, consultation_a, clerk_a
):
    batch = _start(consultation_a, clerk_a, csv_bytes(GOOD_ROWS))
    _running(batch, seconds_ago=10_000)
    client.force_login(clerk_a)
    page = client.get(reverse("staff:import-detail", args=[batch.pk]))
    assert "处理中断，正在自动重试…" in page.content.decode()
    assert "无需重新上传" in page.content.decode()
    state = client.get(reverse("staff:import-progress", args=[batch.pk])).json()
    assert state["status_label"] == "处理中断，正在自动重试…"


def test_the_upload_page_refuses_a_duplicate_and_links_the_earlier_batch(
    client, upload, consultation_a, clerk_a
):
    first = upload("意见.csv", csv_bytes(GOOD_ROWS))
    client.force_login(clerk_a)
    url = reverse("staff:import-create", args=[consultation_a.pk])
    page = client.post(url, {"file": SimpleUploadedFile("b.csv", csv_bytes(GOOD_ROWS))})
    assert page.status_code == 200
    assert reverse("staff:import-detail", args=[first.pk]) in page.content.decode()
    assert ImportBatch.objects.count() == 1
    confirmed = client.post(
        url,
        {
            "file": SimpleUploadedFile("b.csv", csv_bytes(GOOD_ROWS)),
            "different_comments": "on",
        },
    )
    assert confirmed.status_code == 302
    assert ImportBatch.objects.count() == 2


def test_the_api_refuses_a_duplicate_with_409_and_shows_stalled_batches(
    upload, consultation_a, clerk_a
):
    from tests.api.conftest import client_for

    first = upload("意见.csv", csv_bytes(GOOD_ROWS))
    api = client_for(clerk_a)
    payload = {
        "consultation": consultation_a.pk,
        "file": SimpleUploadedFile("b.csv", csv_bytes(GOOD_ROWS)),
    }
    refused = api.post("/api/v1/imports/", payload, format="multipart")
    assert refused.status_code == 409
    assert refused.json()["code"] == "duplicate_import"
    assert refused.json()["errors"] == [{"batch": first.pk, "status": "done"}]
    payload["file"] = SimpleUploadedFile("b.csv", csv_bytes(GOOD_ROWS))
    payload["different_comments"] = "true"
    accepted = api.post("/api/v1/imports/", payload, format="multipart")
    assert accepted.status_code == 202, accepted.json()
    _running(ImportBatch.objects.get(pk=accepted.json()["id"]), seconds_ago=10_000)
    shown = api.get(f"/api/v1/imports/{accepted.json()['id']}/").json()
    assert shown["stalled"] is True
    assert shown["status_display"] == "处理中断，正在自动重试…"
