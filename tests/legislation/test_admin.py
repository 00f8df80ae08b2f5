"""The admin of the legislation side: all models there, writes through services."""

import datetime as dt

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.cache import cache
from django.urls import reverse

from legislation import services
from legislation.models import Bill, BillEvent, DraftVersion, EventKind, Stage, Vote
from tests.factories import BillFactory

from .lifecycle import Clock, walk_to

pytestmark = pytest.mark.django_db


def change_url(obj) -> str:  # noqa: ANN001
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def bill_form(bill: Bill, **changes: object) -> dict:
    data = {
        "title": bill.title,
        "slug": bill.slug,
        "kind": bill.kind,
        "sponsor": bill.sponsor,
        "sponsor_detail": bill.sponsor_detail,
        "drafting_body": bill.drafting_body,
        "committee": bill.committee,
        "plan_year": bill.plan_year,
        "summary": bill.summary,
        "is_published": "on" if bill.is_published else "",
        "expected_version": bill.version,
        # The read-only inlines still send their management forms.
        "versions-TOTAL_FORMS": 0,
        "versions-INITIAL_FORMS": 0,
        "events-TOTAL_FORMS": 0,
        "events-INITIAL_FORMS": 0,
    }
    data.update(changes)
    return data


def test_every_legislation_model_is_in_the_admin():
    missing = [
        model.__name__
        for model in apps.get_app_config("legislation").get_models()
        # A history table is read on its record's history page.
        if not admin.site.is_registered(model) and not hasattr(model, "instance_type")
    ]

    assert missing == []


def test_every_changelist_renders(client, administrator, bill):
    walk_to(bill, Stage.PASSED, Clock())
    client.force_login(administrator)

    for model in apps.get_app_config("legislation").get_models():
        if hasattr(model, "instance_type"):
            continue
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


def test_stage_is_read_only_on_the_bill_page(client, administrator, bill):
    client.force_login(administrator)

    page = client.get(change_url(bill)).content.decode()

    assert 'name="stage"' not in page
    assert 'name="planned_readings"' not in page
    assert 'name="expected_version"' in page


def test_bill_added_in_the_admin_is_put_in_the_plan(client, administrator):
    client.force_login(administrator)

    response = client.post(
        reverse("admin:legislation_bill_add"),
        {
            "title": "长治市养犬管理条例",
            "slug": "",
            "kind": "new",
            "sponsor": "government",
            "plan_year": 2025,
            "planned_readings": 3,
            "versions-TOTAL_FORMS": 0,
            "versions-INITIAL_FORMS": 0,
            "events-TOTAL_FORMS": 0,
            "events-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 302
    bill = Bill.objects.get(title="长治市养犬管理条例")
    assert (bill.stage, bill.planned_readings, bill.created_by) == (
        Stage.PLANNED,
        3,
        administrator,
    )
    assert bill.events.get().kind == EventKind.PLANNED


def test_bill_changed_in_the_admin_goes_through_the_service(
    client, administrator, bill
):
    client.force_login(administrator)
    version = bill.version

    response = client.post(change_url(bill), bill_form(bill, committee="法制委员会"))

    assert response.status_code == 302
    bill.refresh_from_db()
    assert (bill.committee, bill.version, bill.updated_by) == (
        "法制委员会",
        version + 1,
        administrator,
    )
    assert bill.events.filter(kind=EventKind.DETAILS_CHANGED).count() == 1


def test_stale_admin_form_is_refused_and_changes_nothing(client, administrator, bill):
    client.force_login(administrator)
    stale = bill_form(bill, committee="我的修改")
    bill_form_now = bill_form(bill, drafting_body="他人的修改")
    client.post(change_url(bill), bill_form_now)

    response = client.post(change_url(bill), stale, follow=True)

    assert "该法规案已被他人修改" in response.content.decode()
    bill.refresh_from_db()
    assert (bill.drafting_body, bill.committee) == ("他人的修改", "")


@pytest.mark.parametrize("model", [BillEvent, Vote])
def test_history_cannot_be_added_changed_or_deleted(client, administrator, model):
    bill = walk_to(BillFactory(), Stage.PASSED, Clock())
    row = model.objects.filter(bill=bill).first()
    client.force_login(administrator)
    meta = model._meta

    assert (
        client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add")).status_code
        == 403
    )
    response = client.post(change_url(row), {})
    assert response.status_code == 403
    delete = reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=row.pk).exists()


def test_version_is_published_by_an_admin_action(client, administrator, draft):
    client.force_login(administrator)
    DraftVersion.objects.filter(pk=draft.pk).update(is_published=False)
    bill = draft.bill
    bill.refresh_from_db()
    version = bill.version

    client.post(
        reverse("admin:legislation_draftversion_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )

    draft.refresh_from_db()
    bill.refresh_from_db()
    assert draft.is_published
    assert bill.version == version + 1


def test_document_added_in_the_admin_goes_on_the_timeline(client, administrator, bill):
    client.force_login(administrator)

    response = client.post(
        reverse("admin:legislation_document_add"),
        {
            "bill": bill.pk,
            "kind": "drafting_explanation",
            "title": "关于草案的说明",
            "date": "2024-02-01",
            "text": "说明正文",
            "is_published": "on",
        },
    )

    assert response.status_code == 302
    document = bill.documents.get()
    assert (document.created_by, document.stage) == (administrator, Stage.PLANNED)
    assert bill.events.filter(kind=EventKind.DOCUMENT_PUBLISHED).count() == 1


def test_staff_may_not_reach_the_followers_personal_data(client, staff):
    client.force_login(staff)

    response = client.get(reverse("admin:legislation_subscription_changelist"))

    assert response.status_code == 403


def test_document_changed_in_the_admin_is_noted_and_moves_the_bills_version(
    client, administrator, bill
):
    document = services.add_document(
        bill=bill,
        kind="drafting_explanation",
        title="关于草案的说明",
        on=dt.date(2024, 2, 1),
        text="说明正文",
        is_published=False,
        by=administrator,
    )
    bill.refresh_from_db()
    version, events = bill.version, bill.events.count()
    cache.set(services.BILLS_VERSION_KEY, 7, None)
    client.force_login(administrator)

    response = client.post(
        change_url(document),
        {
            "title": "关于草案的说明（修正）",
            "date": "2024-02-01",
            "text": "说明正文",
            "is_published": "on",
        },
    )

    assert response.status_code == 302
    document.refresh_from_db()
    bill.refresh_from_db()
    assert (document.title, document.is_published) == ("关于草案的说明（修正）", True)
    assert bill.version == version + 1
    assert cache.get(services.BILLS_VERSION_KEY) != 7
    published = bill.events.get(kind=EventKind.DOCUMENT_PUBLISHED)
    assert published.note == "关于草案的说明（修正）"
    assert bill.events.count() == events + 1
