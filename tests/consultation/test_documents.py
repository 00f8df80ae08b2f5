"""
The documents staff hand over, opened by a real office program: LibreOffice
converts each to PDF without error, and the text it reads back is checked (the
elevator bill's 对照表 has a row for every changed article with the right old
and new text; the report's totals are the statistics'). One conversion per
format for all the files, in a private profile, as soffice is slow.
"""

import csv
import io
import os
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.db import transaction
from lxml import etree
from rest_framework.test import APIClient

from consultation.demo import seed
from legislation import selectors
from legislation.demo.seed import seed_legislation
from legislation.models import Bill

pytestmark = pytest.mark.django_db

ELEVATOR = "长治市电梯安全管理条例"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        seed_legislation()
        seed.seed_consultation()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def elevator(demo):
    return Bill.objects.get(title=ELEVATOR)


@pytest.fixture
def staff_api(demo):
    from django.contrib.auth import get_user_model

    client = APIClient()
    client.force_authenticate(get_user_model().objects.get(username="staff"))
    return client


def _get(client, url, **query):
    response = client.get(url, query)
    assert response.status_code == 200, response.content[:300]
    return response


def convert(files: dict[str, bytes], to: str, tmp: Path) -> dict[str, str | bytes]:
    """Convert ``files`` (name: bytes) with headless LibreOffice, in one run."""
    source = tmp / f"in-{to.split(':')[0]}"
    out = tmp / f"out-{to.split(':')[0]}"
    source.mkdir()
    out.mkdir()
    for name, body in files.items():
        (source / name).write_bytes(body)
    profile = (tmp / "profile").as_uri()
    subprocess.run(
        [
            os.environ.get("SOFFICE", "soffice"),
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            *(str(source / name) for name in files),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    extension = to.split(":")[0]
    converted = {}
    for name in files:
        path = out / f"{Path(name).stem}.{extension}"
        assert path.exists(), f"LibreOffice did not convert {name}"
        converted[name] = path.read_bytes()
    return converted


def _text(body: bytes) -> str:
    return body.decode("utf-8-sig")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.office
def test_the_documents_open_in_an_office_program_and_say_what_the_data_says(
    client, staff_api, elevator, tmp_path
):
    slug = elevator.slug
    bill_url = f"/api/v1/bills/{slug}/"
    docx = {
        "compare.docx": _get(client, bill_url + "compare/", format="docx").content,
        "report.docx": _get(
            staff_api, bill_url + "adoption-report/", format="docx"
        ).content,
        "letters-point.docx": _get(
            staff_api, bill_url + "feedback-letters/", by="point"
        ).content,
        "letters-person.docx": _get(
            staff_api, bill_url + "feedback-letters/", by="contributor"
        ).content,
    }
    xlsx = {
        "compare-sheet.xlsx": _get(
            client, bill_url + "compare/", format="xlsx"
        ).content,
        "report-sheet.xlsx": _get(
            staff_api, bill_url + "adoption-report/", format="xlsx"
        ).content,
    }
    for body in (*docx.values(), *xlsx.values()):
        assert zipfile.is_zipfile(io.BytesIO(body))
    pdfs = convert({**docx, **xlsx}, "pdf", tmp_path)
    assert all(pdf.startswith(b"%PDF") and len(pdf) > 1000 for pdf in pdfs.values())
    texts = {
        k: _text(v)
        for k, v in convert(docx, "txt:Text (encoded):UTF8", tmp_path).items()
    }
    sheets = {
        k: _text(v)
        for k, v in convert(
            xlsx, "csv:Text - txt - csv (StarCalc):44,34,76", tmp_path
        ).items()
    }

    # The 对照表 of the latest two versions: every changed article, old and new.
    shown = selectors.version_comparison(bill=elevator, user=client_user())
    changed = [r for r in shown.rows if r.status in ("changed", "added", "deleted")]
    assert changed
    table = _squash(texts["compare.docx"])
    rows = list(csv.reader(io.StringIO(sheets["compare-sheet.xlsx"])))
    sheet_rows = {(_squash(r[0]), _squash(r[1])) for r in rows[2:] if len(r) >= 2}
    assert "修改对照表" in table and "原条文" in table and "说明" in table
    for row in changed:
        old = f"{row.old.label}{row.old.text}" if row.old else ""
        new = f"{row.new.label}{row.new.text}" if row.new else ""
        assert _squash(old) in table and _squash(new) in table
        assert (_squash(old), _squash(new)) in sheet_rows
    assert len(sheet_rows) >= len(changed)
    # The comments behind article 8 (the 淮海社区 symposium's) are named.
    assert "根据" in table and "条意见修改" in table
    assert "儿童应在看护下乘用电梯" in table

    # The report's totals are the statistics'.
    # Every demo comment was made in 2024: that year's statistics are all.
    stats = _get(client, "/api/v1/stats/", bill=slug, year=2024).json()
    report = _squash(texts["report.docx"])
    totals = stats["comments"]
    assert f"收到意见建议{totals['total']}条" in report
    assert f"采纳{totals['adopted']}条" in report
    assert f"部分采纳{totals['partially_adopted']}条" in report
    summary = {r[0]: r[1] for r in csv.reader(io.StringIO(sheets["report-sheet.xlsx"]))}
    assert summary["意见建议"] == str(totals["total"])
    assert summary["采纳"] == str(totals["adopted"])
    assert "未采纳意见的理由" in report and "征求意见的基本情况" in report

    # Letters: staff see the contributor's name; one letter per point.
    points = _squash(texts["letters-point.docx"])
    assert points.count("反馈函") >= 2
    assert "淮海社区基层立法联系点：" in points
    assert "同志：" in _squash(texts["letters-person.docx"])


def client_user():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_documents_for_staff_only(client, elevator, demo):
    url = f"/api/v1/bills/{elevator.slug}/adoption-report/"
    response = client.get(url, {"format": "docx"})
    assert response.status_code in (401, 403)
    assert response["Content-Type"].startswith("application/json")
    response = client.get(
        f"/api/v1/bills/{elevator.slug}/feedback-letters/", {"by": "point"}
    )
    assert response.status_code in (401, 403)


def test_a_public_comparison_document_names_nobody(client, elevator, demo):
    body = client.get(
        f"/api/v1/bills/{elevator.slug}/compare/", {"format": "docx"}
    ).content
    with zipfile.ZipFile(io.BytesIO(body)) as document:
        xml = document.read("word/document.xml").decode()
        footer = "".join(
            document.read(name).decode()
            for name in document.namelist()
            if name.startswith("word/footer")
        )
    assert "儿童应在看护下乘用电梯" in xml
    assert not re.search(r"1[3-9]\d{9}", xml)  # no mobile number
    assert "w:strike" in xml and "w:b" in xml and "w:u " in xml  # marked
    assert 'w:eastAsia="仿宋_GB2312"' in xml and "PAGE" in footer


def test_a_document_declares_the_fallbacks_of_its_chinese_fonts(client, elevator, demo):
    body = client.get(
        f"/api/v1/bills/{elevator.slug}/compare/", {"format": "docx"}
    ).content
    with zipfile.ZipFile(io.BytesIO(body)) as document:
        table = etree.fromstring(document.read("word/fontTable.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    alternatives = {
        font.get(f"{w}name"): font.find(f"{w}altName").get(f"{w}val")
        for font in table.iter(f"{w}font")
        if font.find(f"{w}altName") is not None
    }
    assert alternatives["仿宋_GB2312"] == "仿宋,FangSong"
    assert alternatives["方正小标宋简体"] == "宋体,SimSun"
