"""Draft versions on the staff pages: paste or upload, preview, save, compare, align."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from legislation import services
from legislation.models import Article, Bill, DraftVersion, EventKind
from tests.conftest import DRAFT_TEXT

pytestmark = pytest.mark.django_db

TEXTS = Path(__file__).parent / "texts"

GAP_REPEAT_ORDER = """长治市测试管理条例（草案）

第一条 为了加强测试管理，制定本条例。
第二条 本市行政区域内的测试活动，适用本条例。
第四条 测试单位应当建立管理制度。
第四条 测试单位应当定期检查。
第六条 本条例自公布之日起施行。
第五条 本条例由市人民政府负责解释。
"""


def url(name: str, bill: Bill, **kwargs: object) -> str:
    return reverse(f"staff:{name}", kwargs={"slug": bill.slug, **kwargs})


def post_version(client, bill: Bill, *, action: str = "preview", **data: object):
    bill.refresh_from_db()
    fields = {
        "version": bill.version,
        "title": "",
        "kind": "revised",
        "on": "2024-08-16",
        "text": "",
        action: "1",
    }
    fields.update(data)
    return client.post(url("version-create", bill), fields)


def docx_bytes(text: str) -> bytes:
    from docx import Document

    document = Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- preview --------------------------------------------------------------------


def test_pasted_draft_is_previewed_with_its_structure_and_not_saved(
    client, staff, bill
):
    client.force_login(staff)

    response = post_version(client, bill, text=DRAFT_TEXT)

    assert response.status_code == 200
    page = response.content.decode()
    assert "长治市测试管理条例（草案）" in page
    assert "3章，0节，5条，6款，3项" in page
    assert "第一章 总则" in page
    assert "编号连续，未发现问题。" in page
    assert bill.versions.count() == 1
    # The text travels with the form to the save step.
    form = response.context["form"]
    assert form["text"].value() == DRAFT_TEXT
    assert form["title"].value() == "长治市测试管理条例（草案）"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("草案.txt", DRAFT_TEXT.encode("gb18030")),
        ("草案.md", ("# " + DRAFT_TEXT).encode("utf-8")),
        ("草案.docx", docx_bytes(DRAFT_TEXT)),
    ],
)
def test_uploaded_draft_is_previewed(client, staff, bill, name, content):
    client.force_login(staff)

    response = post_version(client, bill, file=SimpleUploadedFile(name, content))

    assert response.status_code == 200
    page = response.content.decode()
    assert "5条" in page
    assert "第四条" in page
    assert "测试单位应当履行下列义务" in response.context["form"]["text"].value()
    assert bill.versions.count() == 1


def test_unsupported_file_is_refused_with_a_reason(client, staff, bill):
    client.force_login(staff)

    response = post_version(
        client, bill, file=SimpleUploadedFile("草案.doc", b"\xd0\xcf\x11\xe0")
    )

    assert "请另存为.docx或.txt后上传" in response.content.decode()
    assert bill.versions.count() == 1


def test_text_without_articles_is_refused(client, staff, bill):
    client.force_login(staff)

    response = post_version(client, bill, text="只有一段说明，没有条文。")

    assert "没有找到任何条文" in response.content.decode()


# --- numbering problems ---------------------------------------------------------


def test_numbering_problems_are_listed_with_their_lines(client, staff, bill):
    client.force_login(staff)

    response = post_version(client, bill, text=GAP_REPEAT_ORDER)

    page = response.content.decode()
    assert "发现3处编号问题" in page
    assert "第5行：第二条之后应为第三条，实为第四条（缺少编号）" in page
    assert "（编号重复）" in page
    assert "（顺序错误）" in page
    assert "确认编号无误，仍然保存" in page


def test_broken_numbering_is_not_saved_without_confirmation(client, staff, bill):
    client.force_login(staff)
    version = bill.version

    response = post_version(client, bill, action="save", text=GAP_REPEAT_ORDER)

    assert response.status_code == 200
    assert "文本编号有3处问题" in response.content.decode()
    bill.refresh_from_db()
    assert bill.versions.count() == 1
    assert bill.version == version


def test_broken_numbering_is_saved_when_confirmed(client, staff, bill):
    client.force_login(staff)

    response = post_version(
        client, bill, action="save", text=GAP_REPEAT_ORDER, confirm_numbering="on"
    )

    version = bill.versions.get(number=2)
    assert response.status_code == 302
    assert response.url == url("version-detail", bill, number=2)
    assert version.numbering_confirmed
    assert [a.number for a in version.articles.order_by("position")] == [
        1,
        2,
        4,
        4,
        6,
        5,
    ]


def test_saved_version_is_parsed_aligned_and_on_the_timeline(client, staff, bill):
    client.force_login(staff)
    amended = DRAFT_TEXT.replace("定期检查", "每季度至少检查一次")

    post_version(
        client,
        bill,
        action="save",
        text=amended,
        title="长治市测试管理条例（草案修改稿）",
        is_published="on",
    )

    version = bill.versions.get(number=2)
    assert (version.title, version.kind, version.date, version.is_published) == (
        "长治市测试管理条例（草案修改稿）",
        DraftVersion.Kind.REVISED,
        dt.date(2024, 8, 16),
        True,
    )
    assert version.articles.count() == 5
    assert all(a.predecessor_id for a in version.articles.all())
    event = bill.events.get(kind=EventKind.VERSION_ADDED, version=version)
    assert event.recorded_by == staff


# --- the version page and alignment ---------------------------------------------


@pytest.fixture
def revised(bill, staff):
    text = DRAFT_TEXT.replace(
        "第二条 本市行政区域内的测试活动，适用本条例。",
        "第二条 市人民政府应当保障测试工作经费。\n"
        "第三条 本市行政区域内的测试活动，适用本条例。",
    )
    for old, new in (
        ("第三条 市", "第四条 市"),
        ("第四条 测试", "第五条 测试"),
        ("第五条 本", "第六条 本"),
    ):
        text = text.replace(old, new)
    services.add_draft_version(
        bill=bill,
        text=text,
        title="长治市测试管理条例（草案修改稿）",
        kind="revised",
        on=dt.date(2024, 8, 16),
        by=staff,
    )
    return bill.versions.get(number=2)


def test_version_page_shows_each_articles_alignment(client, staff, bill, revised):
    client.force_login(staff)

    response = client.get(url("version-detail", bill, number=2))

    page = response.content.decode()
    assert "新增条文（上一稿无对应条文）" in page
    assert "对应第1稿第二条，相似度100%" in page
    assert "市人民政府应当保障测试工作经费。" in page


def test_alignment_is_corrected_through_the_page(client, staff, bill, revised):
    client.force_login(staff)
    added = revised.articles.get(number=2)
    old_second = bill.versions.get(number=1).articles.get(number=2)
    moved = revised.articles.get(number=3)
    bill.refresh_from_db()

    response = client.post(
        url("version-alignment", bill, number=2),
        {"version": bill.version, "article": added.pk, "predecessor": old_second.pk},
    )

    assert response.status_code == 302
    assert response.url.endswith("#article-2")
    added.refresh_from_db()
    moved.refresh_from_db()
    assert (added.predecessor, added.aligned_by_hand) == (old_second, True)
    assert moved.predecessor is None  # it gave up the lineage it held
    compare = client.get(url("bill-compare", bill) + "?from=1&to=2")
    assert compare.context["summary"]["added"] == 1


def test_stale_alignment_form_is_refused(client, staff, bill, revised):
    client.force_login(staff)
    article = revised.articles.get(number=2)
    bill.refresh_from_db()
    stale = bill.version
    services.publish_version(version=revised, by=staff)

    response = client.post(
        url("version-alignment", bill, number=2),
        {"version": stale, "article": article.pk, "predecessor": ""},
    )

    assert response.status_code == 409
    assert "保存冲突" in response.content.decode()
    article.refresh_from_db()
    assert not article.aligned_by_hand


def test_version_is_published_and_unpublished(client, staff, bill, revised):
    client.force_login(staff)

    for flag, expected in (("1", True), ("0", False)):
        bill.refresh_from_db()
        client.post(
            url("version-publish", bill, number=2),
            {"version": bill.version, "publish": flag},
        )
        revised.refresh_from_db()
        assert revised.is_published is expected


# --- the comparison table -------------------------------------------------------


def add_text(bill: Bill, staff, name: str, number: int) -> DraftVersion:
    services.add_draft_version(
        bill=bill,
        text=(TEXTS / name).read_text(encoding="utf-8"),
        title=name,
        kind="draft",
        on=dt.date(2024, 1, number),
        by=staff,
    )
    return bill.versions.get(number=number)


def test_comparison_of_a_full_revision_that_renumbers_most_articles(client, staff):
    from tests.factories import BillFactory

    bill = BillFactory()
    add_text(bill, staff, "parking_draft.md", 1)
    add_text(bill, staff, "parking_revised.md", 2)
    client.force_login(staff)

    response = client.get(url("bill-compare", bill) + "?from=1&to=2")

    summary = response.context["summary"]
    assert {
        k: summary[k]
        for k in ("changed", "added", "deleted", "renumbered", "unchanged")
    } == {
        "changed": 7,
        "added": 2,
        "deleted": 1,
        "renumbered": 6,
        "unchanged": 2,
    }
    renumbered = [r for r in response.context["rows"] if r.renumbered]
    assert len(renumbered) == 11
    page = response.content.decode()
    assert 'class="comparison-status renumbered"' in page
    assert "<ins>" in page and "<del>" in page
    assert "第十二条" in page  # old 第七条, moved to chapter three
    assert "（位置调整）" in page


def test_comparison_of_a_small_amendment(client, staff, bill):
    services.add_draft_version(
        bill=bill,
        text=DRAFT_TEXT.replace("（二）定期检查；", "（二）每季度至少检查一次；"),
        title="修正草案",
        kind="revised",
        on=dt.date(2024, 3, 1),
        by=staff,
    )
    client.force_login(staff)

    response = client.get(url("bill-compare", bill))  # defaults to the last two

    summary = response.context["summary"]
    assert (summary["changed"], summary["unchanged"], summary["total"]) == (1, 4, 5)
    page = response.content.decode()
    assert "<del>定期检查</del>" in page
    assert "<ins>每季度至少检查一次</ins>" in page


def test_comparison_with_one_version_says_there_is_nothing_to_compare(
    client, staff, bill
):
    client.force_login(staff)

    response = client.get(url("bill-compare", bill))

    assert "尚无可对照的文本" in response.content.decode()


def test_comparison_of_unknown_versions_is_refused_politely(
    client, staff, bill, revised
):
    client.force_login(staff)

    response = client.get(url("bill-compare", bill) + "?from=1&to=9")

    assert response.status_code == 200
    assert "请选择该法规案的两个文本" in response.content.decode()
    assert Article.objects.exists()


def test_stale_publish_is_refused_with_a_message(client, staff, bill, revised):
    client.force_login(staff)
    bill.refresh_from_db()
    stale = bill.version
    services.update_bill(bill=bill, by=staff, expected_version=stale, summary="改")

    response = client.post(
        url("version-publish", bill, number=2),
        {"version": stale, "publish": "1"},
        follow=True,
    )

    assert "该法规案已被他人修改" in response.content.decode()
    revised.refresh_from_db()
    assert not revised.is_published


def test_comparison_can_show_only_the_changed_articles(client, staff, bill):
    services.add_draft_version(
        bill=bill,
        text=DRAFT_TEXT.replace("（二）定期检查；", "（二）每季度至少检查一次；"),
        title="修正草案",
        kind="revised",
        on=dt.date(2024, 3, 1),
        by=staff,
    )
    client.force_login(staff)

    response = client.get(url("bill-compare", bill) + "?from=1&to=2&changed=on")

    assert [row.status for row in response.context["rows"]] == ["changed"]
    assert response.context["summary"]["unchanged"] == 4
