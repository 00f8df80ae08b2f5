"""
Open data in bulk: the nightly files hold every public text and comment, read
with real parsers, carry nothing personal, and replace the last night's whole.
"""

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import etree

from consultation import services
from consultation.models import Comment, Decision, Reason
from consultation.opendata import comments
from consultation.opendata.build import build_open_data
from consultation.opendata.files import FOLDER, MANIFEST, read_manifest
from consultation.tasks import build_open_data as build_task
from legislation import akn
from legislation import services as legislation
from tests.conftest import DRAFT_TEXT
from tests.consultation.privacy import assert_no_personal_data
from tests.factories import BillFactory, CommentFactory, ConsultationFactory

pytestmark = pytest.mark.django_db

NS = {"akn": akn.NAMESPACE}
# The draft with a new article 3: the old 3 to 5 become 4 to 6.
INSERTED = (
    DRAFT_TEXT.replace("第五条 本条例", "第六条 本条例")
    .replace("第四条 测试", "第五条 测试")
    .replace("第三条 市", "第三条 测试活动应当依法公开，接受社会监督。\n第四条 市")
)
NAME, CONTACT = "王秀英", "13987654321"


@pytest.fixture(autouse=True)
def fresh_storage(settings):
    """An empty in-memory storage: the default one outlives each test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def add_version(bill, text, on, staff, published=True):
    bill.refresh_from_db()
    return legislation.add_draft_version(
        bill=bill,
        text=text,
        title="长治市测试管理条例（修改稿）",
        kind="revised",
        on=on,
        by=staff,
        confirm_numbering=True,
        is_published=published,
    )


@pytest.fixture
def public_record(bill, draft, consultation_a, staff):
    """
    A bill with a published revision and an unpublished one, a regulation in
    force, and comments of every kind: adopted into the revision, not adopted
    with a reason, held for moderation, withheld, in an unpublished
    consultation, on an unpublished bill.
    """
    adopted = services.enter_comment(
        by=staff,
        consultation=consultation_a,
        text="建议明确测试工作领导的具体要求。",
        article=draft.articles.get(number=3),
        contributor_name=NAME,
        contributor_contact=CONTACT,
    )
    refused = services.enter_comment(
        by=staff,
        consultation=consultation_a,
        text="=建议删除第五条。",
        contributor_name="赵建国",
        contributor_contact="zhao@example.com",
    )
    revised = add_version(bill, INSERTED, dt.date(2024, 10, 8), staff)
    add_version(bill, INSERTED, dt.date(2024, 11, 8), staff, published=False)
    services.decide_comment(
        comment=adopted,
        status=Decision.ADOPTED,
        by=staff,
        articles=[revised.articles.get(number=4)],
    )
    services.decide_comment(
        comment=refused,
        status=Decision.NOT_ADOPTED,
        reason=Reason.HIGHER_LAW_PROVIDES,
        by=staff,
    )
    unpublished_bill = BillFactory(is_published=False)
    unpublished_draft = add_version(
        unpublished_bill, DRAFT_TEXT, dt.date(2024, 8, 1), staff
    )
    hidden = [
        CommentFactory(
            consultation=consultation_a, from_public=True, moderation="pending"
        ),
        CommentFactory(
            consultation=consultation_a,
            from_public=True,
            moderation="withheld",
            withheld_reason="abuse",
        ),
        CommentFactory(
            consultation=ConsultationFactory(
                bill=bill, version=draft, is_published=False
            )
        ),
        CommentFactory(
            consultation=ConsultationFactory(
                bill=unpublished_bill, version=unpublished_draft
            )
        ),
    ]
    regulation = legislation.record_earlier_regulation(
        title="长治市测试管理条例",
        slug="test-law",
        text=DRAFT_TEXT,
        announcement_number="第1号",
        promulgated_on=dt.date(2016, 1, 1),
        effective_on=dt.date(2016, 3, 1),
        by=staff,
    )
    return {
        "adopted": adopted,
        "refused": refused,
        "hidden": hidden,
        "revised": revised,
        "regulation": regulation,
    }


def read(name):
    manifest = read_manifest()
    entry = manifest.entry(name)
    with default_storage.open(entry.path, "rb") as handle:
        return handle.read()


def comment_rows():
    text = read("comments.csv").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def json_rows():
    lines = read("comments.jsonl").decode("utf-8").splitlines()
    return [json.loads(line) for line in lines]


# --- what the files hold ------------------------------------------------------


def test_every_published_text_is_in_both_archives_and_valid(public_record, bill):
    build_open_data()

    documents = zipfile.ZipFile(io.BytesIO(read("akn.zip")))
    names = sorted(documents.namelist())
    assert names == [
        f"bills/{bill.slug}/version-1.akn.xml",
        f"bills/{bill.slug}/version-2.akn.xml",
        "laws/test-law/2016-03-01.akn.xml",
    ]
    for name in names:
        akn.validate(documents.read(name))
    revision = etree.fromstring(documents.read(names[1]))
    moved = revision.find(".//akn:article[akn:num='第四条']", NS)
    assert moved.get("eId") == "art_3"  # its lineage's, from the first draft

    texts = zipfile.ZipFile(io.BytesIO(read("text.zip")))
    assert sorted(texts.namelist()) == [n.replace(".akn.xml", ".txt") for n in names]
    plain = texts.read(f"bills/{bill.slug}/version-2.txt").decode("utf-8")
    assert plain.startswith("长治市测试管理条例（修改稿）\n")
    assert "第四条\u3000市人民政府应当加强对测试工作的领导。" in plain
    assert "第二章\u3000管理" in plain


def test_every_public_comment_is_in_both_files_and_no_other(public_record):
    build_open_data()

    wanted = set(Comment.objects.publicly_visible().values_list("pk", flat=True))
    assert wanted == {public_record["adopted"].pk, public_record["refused"].pk}
    assert {int(row["id"]) for row in comment_rows()} == wanted
    assert {row["id"] for row in json_rows()} == wanted
    hidden = {c.pk for c in public_record["hidden"]}
    assert not hidden & {row["id"] for row in json_rows()}
    assert read_manifest().entry("comments.csv").records == 2


def test_a_comment_carries_its_decision_reason_and_adoption(public_record):
    build_open_data()

    rows = {row["id"]: row for row in json_rows()}
    adopted = rows[public_record["adopted"].pk]
    assert (adopted["status"], adopted["status_label"]) == ("adopted", "采纳")
    assert (adopted["article"], adopted["article_eid"]) == ("第三条", "art_3")
    assert adopted["adopted_into"] == [
        {
            "version": 2,
            "article_id": public_record["revised"].articles.get(number=4).pk,
            "article": "第四条",
            "article_eid": "art_3",
            "elsewhere": "",
        }
    ]
    refused = rows[public_record["refused"].pk]
    assert (refused["reason"], refused["reason_label"]) == (
        "higher_law_provides",
        "上位法已有规定",
    )
    csv_rows = {int(row["id"]): row for row in comment_rows()}
    assert csv_rows[public_record["adopted"].pk]["adopted_into"] == "2 第四条 #art_3"
    # A cell a spreadsheet would run as a formula is quoted off.
    assert csv_rows[public_record["refused"].pk]["text"] == "'=建议删除第五条。"


def test_nothing_personal_is_in_the_comment_files(public_record):
    build_open_data()

    columns = set(comment_rows()[0])
    assert not columns & {"receipt", "receipt_code", "contributor", "name", "contact"}
    for record in json_rows():
        assert not set(record) & {"receipt", "receipt_code", "contributor"}
    everything = read("comments.csv").decode("utf-8-sig") + read(
        "comments.jsonl"
    ).decode("utf-8")
    for personal in (NAME, CONTACT, "赵建国", "zhao@example.com"):
        assert personal not in everything
    for comment in Comment.objects.all():
        assert comment.receipt_code not in everything


def test_the_manifest_gives_each_files_size_checksum_and_time(public_record):
    manifest = build_open_data()

    assert [f.name for f in manifest.files] == [
        "akn.zip",
        "text.zip",
        "comments.csv",
        "comments.jsonl",
    ]
    for entry in manifest.files:
        body = read(entry.name)
        assert entry.size == len(body)
        assert entry.sha256 == hashlib.sha256(body).hexdigest()
        assert dt.datetime.fromisoformat(entry.generated_at).tzinfo is not None
    assert json.loads(default_storage.open(MANIFEST).read())["files"][0]["size"] > 0


# --- replacing the files --------------------------------------------------------


def test_a_second_run_replaces_the_files_and_keeps_one_build_before(
    public_record, staff, consultation_a
):
    first = build_open_data()
    services.enter_comment(by=staff, consultation=consultation_a, text="新的意见。")
    second = build_open_data()
    third = build_open_data()

    assert read_manifest() == third
    assert len(json_rows()) == 3
    assert third.entry("comments.csv").size > first.entry("comments.csv").size
    folders, files = default_storage.listdir(FOLDER)
    # The last build's and the one before (a download begun before the switch).
    assert sorted(folders) == sorted([second.generation, third.generation])
    assert files == ["manifest.json"]


def test_files_are_renamed_into_place_on_a_local_disk(public_record, media_root):
    first = build_open_data()
    second = build_open_data()
    assert (media_root / FOLDER / first.generation / "akn.zip").exists()
    third = build_open_data()

    assert read_manifest() == third
    assert second.generation > first.generation
    assert not (media_root / FOLDER / first.generation).exists()
    leftovers = [p for p in media_root.rglob("*") if p.name.endswith(".part")]
    assert leftovers == []
    path = media_root / FOLDER / third.generation / "comments.jsonl"
    assert path.stat().st_size == third.entry("comments.jsonl").size
    assert (media_root / MANIFEST).stat().st_mode & 0o044 == 0o044


def test_a_failed_build_leaves_the_last_one_listed(public_record, monkeypatch):
    first = build_open_data()

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("consultation.opendata.comments.rows", broken)
    with pytest.raises(RuntimeError):
        build_open_data()
    assert read_manifest() == first
    assert len(json_rows()) == 2


# --- how they are built and found ------------------------------------------------


def test_the_beat_rebuilds_them_every_night(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["build-open-data"]
    assert entry["task"] == "consultation.tasks.build_open_data"
    assert entry["schedule"].hour == {2}
    assert entry["schedule"].minute == {15}


def test_the_task_and_the_command_build_them(public_record):
    assert build_task.delay().get() == 4
    first = read_manifest()
    out = io.StringIO()
    call_command("build_open_data", stdout=out)
    assert read_manifest().generation != first.generation
    assert "comments.csv\t" in out.getvalue()


def test_the_page_lists_each_file_with_size_and_date(client, public_record):
    empty = client.get(reverse("public:open-data"))
    assert "尚未生成" in empty.content.decode()

    manifest = build_open_data()
    page = client.get(reverse("public:open-data")).content.decode()
    for entry in manifest.files:
        assert f'href="/open-data/{entry.name}"' in page
        assert f"{entry.size} 字节" in page
        assert entry.sha256 in page
    day = dt.datetime.fromisoformat(manifest.generated_at).strftime("%Y-%m-%d")
    assert day in page
    assert NAME not in page
    home = client.get(reverse("public:home")).content.decode()
    assert 'href="/open-data/"' in home


def test_a_file_downloads_whole_with_its_checksum(client, public_record):
    manifest = build_open_data()
    entry = manifest.entry("comments.jsonl")
    response = client.get(f"/open-data/{entry.name}")
    body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["ETag"] == f'"{entry.sha256}"'
    assert int(response["Content-Length"]) == len(body) == entry.size
    assert "attachment" in response["Content-Disposition"]
    assert client.get("/open-data/nothing.csv").status_code == 404
    assert client.get("/open-data/manifest.json").status_code == 404


def test_the_api_lists_the_files(client, public_record):
    assert client.get("/api/v1/open-data/").json() == {
        "generated_at": None,
        "files": [],
    }
    manifest = build_open_data()
    body = client.get("/api/v1/open-data/").json()
    assert [f["name"] for f in body["files"]] == [f.name for f in manifest.files]
    first = body["files"][0]
    assert first["url"] == "http://testserver/open-data/akn.zip"
    assert (first["size"], first["sha256"]) == (
        manifest.files[0].size,
        manifest.files[0].sha256,
    )
    assert "path" not in first
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/open-data/" in schema["paths"]


def test_the_comment_files_take_the_same_queries_for_more_comments(
    public_record, consultation_a
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            comments.write(io.BytesIO(), io.BytesIO())
        return len(captured)

    few = queries()
    for _ in range(30):
        CommentFactory(consultation=consultation_a)
    # The vote's reasons, one batch, its links, the bill's eIds, the empty batch.
    assert queries() == few == 5


def test_no_contributors_data_in_any_file_on_the_demo_data():
    call_command("seed_demo", allow_production=True, verbosity=0)
    manifest = build_open_data()

    assert manifest.entry("comments.jsonl").records == (
        Comment.objects.publicly_visible().count()
    )
    assert_no_personal_data(read("comments.csv").decode("utf-8-sig"))
    assert_no_personal_data(read("comments.jsonl").decode("utf-8"))
    for archive in ("akn.zip", "text.zip"):
        documents = zipfile.ZipFile(io.BytesIO(read(archive)))
        assert documents.namelist()
        for name in documents.namelist():
            body = documents.read(name)
            if name.endswith(".akn.xml"):
                akn.validate(body)
            assert_no_personal_data(body.decode("utf-8"))
