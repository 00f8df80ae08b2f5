"""The demo data of the legislation side and the demo commands."""

import datetime as dt
import io
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from consultation.management.commands import rundemo
from legislation.demo.roster import DEMO_NOTE
from legislation.demo.seed import DEMO_MARK, seed_legislation
from legislation.models import (
    Bill,
    CommitteeMember,
    Document,
    DraftVersion,
    EventKind,
    Meeting,
    Stage,
)
from legislation.services import largest_tally
from npc.core import roles

pytestmark = pytest.mark.django_db

ELEVATOR = "长治市电梯安全管理条例"
QINHE = "长治市沁河流域生态修复与保护条例"
XINAN = "长治市辛安泉饮用水水源地保护条例"


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"legislation", "consultation", "auth"}
        # Seeding again may record that it saved a record again.
        and not hasattr(model, "instance_type")
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module, in a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_legislation()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db):
    """The seeded demo; each test's changes are rolled back after it."""


def test_seeding_twice_leaves_the_same_data(demo):
    before = row_counts()
    versions = dict(Bill.objects.values_list("slug", "version"))

    seed_legislation()

    assert row_counts() == before
    assert dict(Bill.objects.values_list("slug", "version")) == versions
    # Five bills, and the records of the two regulations the revisions revise.
    assert before["legislation.Bill"] == 7
    assert (
        before["legislation.Bill"] - Bill.objects.filter(is_published=True).count() == 2
    )
    assert before["legislation.BillEvent"] > 60


def test_the_fifteenth_committees_2024_meetings(demo):
    meetings = Meeting.objects.filter(date__year=2024).order_by("number")

    assert [(m.term, m.number, m.members) for m in meetings] == [
        (15, number, 45) for number in range(16, 24)
    ]
    assert Meeting.objects.get(number=22).date == dt.date(2024, 10, 30)
    assert Meeting.objects.get(number=24).date == dt.date(2025, 2, 13)


def test_the_demo_roster_is_marked_and_attendance_covers_every_tally(demo):
    roster = CommitteeMember.objects.filter(term=15)
    versions = dict(Meeting.objects.values_list("pk", "version"))

    seed_legislation()

    assert roster.count() == 45
    assert set(roster.values_list("note", flat=True)) == {DEMO_NOTE}
    assert roster.filter(position=CommitteeMember.Position.CHAIR).count() == 1
    assert dict(Meeting.objects.values_list("pk", "version")) == versions
    recorded = Meeting.objects.filter(attendance__isnull=False).distinct()
    assert sorted(m.number for m in recorded) == [20, 22, 23]
    for meeting in recorded:
        present = meeting.attendance.filter(status="present").count()
        assert present >= largest_tally(meeting)
    assert (
        Meeting.objects.get(number=22).attendance.filter(status="present").count() == 42
    )


def test_the_three_2024_regulations_are_in_force(demo):
    bills = {b.title: b for b in Bill.objects.filter(plan_year=2024)}

    assert set(bills) == {ELEVATOR, QINHE, XINAN}
    assert {b.stage for b in bills.values()} == {Stage.IN_FORCE}
    assert bills[ELEVATOR].kind == Bill.Kind.NEW
    assert bills[QINHE].kind == bills[XINAN].kind == Bill.Kind.REVISION
    assert bills[QINHE].effective_on == dt.date(2025, 1, 1)
    assert (
        bills[XINAN].effective_on == bills[ELEVATOR].effective_on == dt.date(2025, 3, 1)
    )
    assert [
        bill.versions.count() for bill in (bills[ELEVATOR], bills[QINHE], bills[XINAN])
    ] == [3, 3, 2]
    assert "第十九号" in bills[ELEVATOR].announcement_number
    elevator = bills[ELEVATOR]
    vote = elevator.votes.get()
    assert (vote.meeting.number, vote.yes, vote.no, vote.abstain, vote.members) == (
        22,
        40,
        0,
        1,
        45,
    )
    assert set(elevator.documents.values_list("kind", flat=True)) == set(
        Document.Kind.values
    ) - {"other"}


def test_every_step_is_dated_in_order_and_recorded_by_staff(demo):
    staff = get_user_model().objects.get(username="staff")
    for bill in Bill.objects.all():
        stage_dates = list(
            bill.events.exclude(to_stage="").order_by("pk").values_list("on", flat=True)
        )
        assert stage_dates == sorted(stage_dates), bill
        assert set(bill.events.values_list("recorded_by", flat=True)) == {staff.pk}
    assert all(
        event.on <= dt.date(2025, 3, 1)
        for event in Bill.objects.get(title=ELEVATOR).events.all()
    )


def test_demo_texts_say_they_are_demo_texts(demo):
    # Nine drafts, and the earlier texts of the two regulations revised.
    assert DraftVersion.objects.count() == 11
    assert all(DEMO_MARK in v.source_text for v in DraftVersion.objects.all())
    assert all(v.is_published for v in DraftVersion.objects.all())
    assert all(d.text.startswith(DEMO_MARK) for d in Document.objects.all())
    assert all("演示" in b.summary for b in Bill.objects.all())


def test_bills_of_the_2025_plan_are_under_way(demo):
    bills = {b.slug: b for b in Bill.objects.filter(plan_year=2025)}

    assert bills["parking-regulation"].stage == Stage.FIRST_READING
    reading = bills["parking-regulation"].events.get(kind=EventKind.READING)
    assert reading.meeting.number == 24
    assert bills["property-management"].stage == Stage.DRAFTING


def test_demo_accounts_log_in_with_their_roles(demo, client):
    expected = {
        "admin": (roles.is_admin, True),
        "staff": (roles.is_legislative_staff, True),
        "clerk": (roles.is_clerk, False),
        "clerk2": (roles.is_clerk, False),
    }
    for username, (has_role, is_staff) in expected.items():
        user = get_user_model().objects.get(username=username)
        assert has_role(user), username
        assert user.is_staff is is_staff
        assert client.login(username=username, password="demo"), username
    assert not roles.is_legislative_staff(
        get_user_model().objects.get(username="clerk")
    )


def test_elevator_workspace_shows_its_timeline_from_plan_to_force(demo, client):
    client.login(username="staff", password="demo")
    bill = Bill.objects.get(title=ELEVATOR)

    page = client.get(bill.get_staff_url()).content.decode()

    timeline = page[page.index('id="timeline"') : page.index('id="versions"')]
    entries = re.findall(
        r'<span class="when">([\d-]+)</span>\s*<span class="what">([^<]+)</span>',
        timeline,
    )
    assert entries[0] == ("2024-02-05", "列入立法计划")
    assert entries[-1] == ("2025-03-01", "施行")
    kinds = [kind for _, kind in entries]
    for earlier, later in [
        ("列入立法计划", "启动起草"),
        ("启动起草", "提请审议"),
        ("提请审议", "审议"),
        ("审议", "表决"),
        ("表决", "报请批准"),
        ("报请批准", "省人大常委会审查批准"),
        ("省人大常委会审查批准", "公布"),
        ("公布", "施行"),
    ]:
        assert kinds.index(earlier) < kinds.index(later)
    assert ("2024-10-30", "表决") in entries
    vote = timeline[timeline.index('<span class="what">表决</span>') :][:600]
    assert "市十五届人大常委会第二十二次会议" in vote
    assert "赞成40票" in vote
    assert "已施行：2025年3月1日起施行" in page


# --- the commands ----------------------------------------------------------------


def test_seed_demo_runs_the_consultation_part_after_the_legislation_part(
    db, monkeypatch
):
    from consultation.demo import seed as consultation_seed

    calls = []
    monkeypatch.setattr(
        consultation_seed,
        "seed_consultation",
        lambda: calls.append(Bill.objects.filter(title=ELEVATOR).exists()),
    )
    out = io.StringIO()

    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=out)

    assert calls == [True]
    assert "Demo data ready." in out.getvalue()


def test_rundemo_refuses_politely_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("rundemo")


def test_rundemo_migrates_seeds_prints_the_logins_and_serves(db, settings, monkeypatch):
    settings.DEBUG = True
    served, called = [], []
    monkeypatch.setattr(rundemo.Command, "serve", lambda self: served.append(True))
    monkeypatch.setattr(
        rundemo, "call_command", lambda name, *a, **k: called.append(name)
    )
    out = io.StringIO()

    call_command("rundemo", stdout=out)

    assert called == ["migrate", "seed_demo", "build_open_data"]
    assert served == [True]
    text = out.getvalue()
    assert "http://127.0.0.1:8000/" in text
    for username in ("admin", "staff", "clerk", "clerk2"):
        assert re.search(rf"^\s+{username}\s", text, re.MULTILINE)
    assert "password: demo" in text


def test_rundemo_serves_on_the_loopback_address(monkeypatch):
    called = []
    monkeypatch.setattr(rundemo, "call_command", lambda *a, **k: called.append((a, k)))

    rundemo.Command().serve()

    assert called == [(("runserver", "127.0.0.1:8000"), {"use_reloader": False})]


def test_elevator_is_on_the_public_site(demo, client):
    response = client.get(
        reverse("public:bill-detail", kwargs={"slug": "elevator-safety"})
    )

    assert response.status_code == 200


def test_the_revisions_revise_earlier_regulations_with_their_texts(demo, client):
    for title, slug in (
        (QINHE, "qinhe-basin-protection"),
        (XINAN, "xinan-spring-protection"),
    ):
        revision = Bill.objects.get(slug=slug)
        regulation = revision.regulation_change.regulation
        texts = list(regulation.texts.order_by("effective_on"))
        assert regulation.title == title
        assert [t.bill for t in texts][-1] == revision
        assert len(texts) == 2
        page = client.get(f"/laws/{regulation.slug}/", {"on": "2020-01-01"})
        assert page.context["text"] == texts[0]
        assert f'href="/bills/{slug}/"' in page.content.decode()
    elevator = Bill.objects.get(title=ELEVATOR)
    assert elevator.regulation.texts.get().version == elevator.versions.last()
