"""A clerk's start page: their point, shortcuts, and what waits for them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consultation import services
from consultation.models import Feedback, ImportBatch

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(consultation_a, consultation_b, staff):
    """At point A: two decided comments (one told), one pending; a failed import."""
    told, untold, pending = (
        services.enter_comment(by=staff, consultation=consultation_a, text=text)
        for text in ("建议一。", "建议二。", "建议三。")
    )
    services.decide_comments(
        comments=[told, untold], status="for_reference", explanation="参考。", by=staff
    )
    services.record_feedback(
        comments=[told],
        channel=Feedback.Channel.POINT,
        given_on=told.submitted_on,
        by=staff,
    )
    other = services.enter_comment(by=staff, consultation=consultation_b, text="他处。")
    services.decide_comment(
        comment=other, status="adopted", explanation="采纳。", by=staff
    )
    ImportBatch.objects.create(
        consultation=consultation_a,
        original_name="坏文件.csv",
        file="imports/x.csv",
        status=ImportBatch.Status.FAILED,
        error_count=3,
    )
    ImportBatch.objects.create(
        consultation=consultation_b,
        original_name="别处的坏文件.csv",
        file="imports/y.csv",
        status=ImportBatch.Status.FAILED,
    )


def test_the_clerk_home_shows_their_point_shortcuts_and_what_waits(
    client, clerk_a, point_a, consultation_a, work
):
    client.force_login(clerk_a)
    page = client.get(reverse("staff:home")).content.decode()
    assert point_a.name in page
    assert reverse("staff:consultation-create") in page
    assert reverse("staff:consultation-list") in page
    # Its meeting has no end date and the bill no vote: entry and import offered.
    assert reverse("staff:comment-entry", args=[consultation_a.pk]) in page
    assert reverse("staff:import-create", args=[consultation_a.pk]) in page
    assert "已有处理结果、尚未反馈的意见：1条" in page
    assert "坏文件.csv" in page and "3处错误" in page
    # Nothing of another point's.
    assert "别处的坏文件.csv" not in page and "他处" not in page
    assert "左侧“征求意见”菜单" not in page


def test_the_clerk_home_says_when_nothing_waits(client, clerk_a, consultation_a):
    client.force_login(clerk_a)
    page = client.get(reverse("staff:home")).content.decode()
    assert "没有待反馈的意见。" in page and "没有失败的导入。" in page
