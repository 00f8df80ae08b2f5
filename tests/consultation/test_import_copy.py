"""
Imported text is stored exactly as written, whatever characters it holds.

On PostgreSQL the checked rows reach the database as COPY data formatted by
the import itself, where a tab, a line break or a backslash in a cell would
otherwise split a row or be read as an escape.
"""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from consultation import imports, services
from consultation.models import Comment, Contributor, ImportBatch

pytestmark = pytest.mark.django_db

TRICKY = [
    # text, name, affiliation, summary
    ("第一行\n第二行\r\n第三行", "王\\芳", "某\t单位", "摘\t要"),
    ("反斜杠\\N 不是空值，\\t 也不是制表符", "\\N", "C:\\单位\\", "\\"),
    ("制表符\t在中间，回车\r在中间", "李强", "", "行一\n行二"),
]


def csv_bytes(rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(imports.HEADERS)
    for text, name, affiliation, summary in rows:
        writer.writerow([text, "", name, "", "", affiliation, "", summary])
    return out.getvalue().encode()


def test_tabs_line_breaks_and_backslashes_are_stored_as_written(
    consultation_a, clerk_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.start_import(
            by=clerk_a,
            consultation=consultation_a,
            uploaded_file=SimpleUploadedFile("意见.csv", csv_bytes(TRICKY)),
        )
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE, batch.errors
    comments = list(Comment.objects.order_by("import_row"))
    assert [(c.text, c.summary) for c in comments] == [
        (text, summary) for text, _, _, summary in TRICKY
    ]
    people = Contributor.objects.order_by("comment__import_row")
    assert [(p.name, p.affiliation) for p in people] == [
        (name, affiliation) for _, name, affiliation, _ in TRICKY
    ]
    # The words are those of the text as written: the line break separates
    # 第一行 from 第二行 instead of being read as the letter n.
    assert "第二行" in comments[0].search_text.split()
    assert "n" not in comments[0].search_text.split()
