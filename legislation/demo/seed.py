"""
The legislation side of the demo (DESIGN §5): the city's 2024 picture.

The 15th Standing Committee's 2024 meetings (16th to 23rd, the 22nd on
2024-10-30) and the 24th of 2025-02-13; the three regulations of 2024 — the
elevator safety regulation, passed at the 22nd meeting, and the revised
沁河流域 and 辛安泉 regulations — with their drafts, readings, unified reviews,
votes, approval, promulgation, filing and entry into force; two bills of the 2025
plan, one in first reading and one in drafting; the term's roster (made-up
names, marked as such) with attendance at a few meetings; and the demo accounts.

Each bill is a record in ``bills.py``, its history a list of steps; one function
here, ``_record``, walks any record through ``services``, as staff would record
it, so the timelines are exactly what the staff pages produce. Texts written for
the demo say so (（演示文本，非正式法规文本）). Running the seed again changes
nothing: meetings and accounts are found by their natural keys, and a bill that
exists is left as it is.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction

from legislation import parsing, services
from legislation.models import Bill, Document, DraftVersion, Meeting, Regulation
from npc.core import roles

from .bills import (
    BILLS,
    Advance,
    Approval,
    DemoBill,
    Draft,
    Paper,
    Promulgation,
    Reading,
    UnifiedReview,
    Vote,
)
from .roster import seed_attendance, seed_roster

PASSWORD = "demo"
TEXTS = Path(__file__).resolve().parent / "texts"
DEMO_MARK = "（演示文本，非正式法规文本）"

TERM = 15
MEMBERS = 45
PLACE = "市人大常委会四楼会议厅"
# The 15th Standing Committee's meetings of 2024 (the 22nd on 2024-10-30, as the
# 2024 work report says) and the 24th, on 2025-02-13, from the same report.
MEETINGS: dict[int, dt.date] = {
    16: dt.date(2024, 2, 27),
    17: dt.date(2024, 4, 25),
    18: dt.date(2024, 5, 29),
    19: dt.date(2024, 6, 27),
    20: dt.date(2024, 7, 30),
    21: dt.date(2024, 8, 28),
    22: dt.date(2024, 10, 30),
    23: dt.date(2024, 12, 26),
    24: dt.date(2025, 2, 13),
}

# The demo accounts (DESIGN §5). The consultation side attaches the clerks to
# their liaison points.
ACCOUNTS: tuple[tuple[str, str, str, bool], ...] = (
    ("admin", roles.ADMINISTRATOR, "演示管理员", True),
    ("staff", roles.LEGISLATIVE_STAFF, "法工委工作人员（演示）", False),
    ("clerk", roles.LIAISON_CLERK, "淮海社区联络员（演示）", False),
    ("clerk2", roles.LIAISON_CLERK, "联系点联络员（演示）", False),
)


def seed_legislation() -> None:
    """Create (or leave as they are) the demo accounts, meetings and bills."""
    with transaction.atomic():
        users = _accounts()
        meetings = _meetings()
        for demo in BILLS:
            _record(demo, by=users["staff"], meetings=meetings)
        seed_attendance(meetings, seed_roster(TERM, MEMBERS))


def _accounts() -> dict[str, AbstractBaseUser]:
    User = get_user_model()
    users = {}
    for username, role, name, superuser in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": name,
                "is_staff": role != roles.LIAISON_CLERK,
                "is_superuser": superuser,
            },
        )
        if created:
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=role))
        users[username] = user
    return users


def _meetings() -> dict[int, Meeting]:
    return {
        # Found, never rewritten: a meeting on record changes only by correction.
        number: Meeting.objects.get_or_create(
            term=TERM,
            number=number,
            defaults={"date": date, "members": MEMBERS, "place": PLACE},
        )[0]
        for number, date in MEETINGS.items()
    }


# The regulations the demo's revision bills revise, as they stood before (demo
# texts, made from the revision drafts): announcement, promulgated, in force.
EARLIER: dict[str, tuple[str, str, dt.date, dt.date]] = {
    "qinhe-basin-protection": (
        "qinhe-1-draft.txt",
        "长治市人民代表大会常务委员会公告〔十四届〕第八号",
        dt.date(2016, 11, 28),
        dt.date(2017, 3, 1),
    ),
    "xinan-spring-protection": (
        "xinan-1-draft.txt",
        "长治市人民代表大会常务委员会公告〔十四届〕第十二号",
        dt.date(2017, 12, 5),
        dt.date(2018, 3, 1),
    ),
}


def _earlier_regulation(demo: DemoBill, by: AbstractBaseUser) -> Regulation:
    """The regulation a revision bill of the demo revises, with its earlier text."""
    file, announcement, promulgated_on, effective_on = EARLIER[demo.slug]
    slug = f"{demo.slug}-{promulgated_on.year}"
    existing = Regulation.objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    text = _text(file).replace("（修订草案）", "", 1)
    return services.record_earlier_regulation(
        title=demo.title,
        slug=slug,
        text=text,
        announcement_number=announcement,
        promulgated_on=promulgated_on,
        effective_on=effective_on,
        by=by,
        summary=f"{demo.title}修订前的文本。（演示数据）",
    )


def _text(name: str) -> str:
    return (TEXTS / name).read_text(encoding="utf-8")


# --- one function writes any bill's history --------------------------------------


def _record(
    demo: DemoBill, *, by: AbstractBaseUser, meetings: dict[int, Meeting]
) -> None:
    """
    Create the bill of ``demo`` and record its steps through the services.

    A bill that exists (the seed ran before) is left as it is. Readings, reviews,
    votes and papers are on the latest draft laid before them.
    """
    if Bill.objects.filter(slug=demo.slug).exists():
        return
    earlier = _earlier_regulation(demo, by) if demo.slug in EARLIER else None
    bill = services.create_bill(
        title=demo.title,
        slug=demo.slug,
        by=by,
        on=demo.planned_on,
        is_published=True,
        sponsor=demo.sponsor,
        plan_year=demo.plan_year,
        planned_readings=demo.planned_readings,
        kind=demo.kind,
        drafting_body=demo.drafting_body,
        committee=demo.committee,
        summary=demo.summary,
    )
    if earlier is not None:
        services.name_regulation(bill=bill, regulation=earlier, by=by)
    latest: DraftVersion | None = None
    passed_at: Meeting | None = None

    def add(paper: Paper) -> None:
        meeting = meetings[paper.meeting] if paper.meeting else None
        services.add_document(
            bill=bill,
            kind=paper.kind,
            title=paper.title,
            on=paper.on or meeting.date,
            text=f"{DEMO_MARK}\n\n{paper.text}",
            meeting=meeting,
            version=latest,
            by=by,
        )

    for step in demo.steps:
        match step:
            case Advance(to=to, on=on, note=note):
                services.advance_bill(bill=bill, to=to, on=on, note=note, by=by)
            case Draft(file=file, kind=kind, on=on):
                text = _text(file)
                latest = services.add_draft_version(
                    bill=bill,
                    text=text,
                    title=parsing.parse_draft(text).title,
                    kind=kind,
                    on=on,
                    by=by,
                    is_published=True,
                )
            case Paper():
                add(step)
            case Reading(meeting=number, note=note):
                services.record_reading(
                    bill=bill,
                    meeting=meetings[number],
                    version=latest,
                    note=note,
                    by=by,
                )
            case UnifiedReview(on=on, note=note):
                services.record_unified_review(
                    bill=bill, on=on, version=latest, note=note, by=by
                )
            case Vote(meeting=number, yes=yes, no=no, abstain=abstain):
                passed_at = services.record_vote(
                    bill=bill,
                    meeting=meetings[number],
                    yes=yes,
                    no=no,
                    abstain=abstain,
                    version=latest,
                    by=by,
                ).meeting
            case Approval(requested=requested, approved=approved):
                services.request_approval(
                    bill=bill,
                    on=requested,
                    note="报请山西省人民代表大会常务委员会审查批准。",
                    by=by,
                )
                services.record_approval(
                    bill=bill,
                    approved=True,
                    on=approved,
                    note="经山西省人民代表大会常务委员会审查批准。",
                    by=by,
                )
                add(
                    Paper(
                        Document.Kind.APPROVAL_DECISION,
                        f"山西省人民代表大会常务委员会关于批准《{bill.title}》的决定",
                        f"山西省人民代表大会常务委员会对{passed_at.name}通过的"
                        f"《{bill.title}》进行了审查。经审查，该条例与宪法、法律、"
                        "行政法规和本省的地方性法规不抵触，决定予以批准，"
                        "由长治市人民代表大会常务委员会公布施行。",
                        on=approved,
                    )
                )
            case Promulgation(
                on=on, number=number, effective_on=effective, filed=filed
            ):
                announcement = f"长治市人民代表大会常务委员会公告〔十五届〕第{number}号"
                services.promulgate(
                    bill=bill,
                    on=on,
                    announcement_number=announcement,
                    effective_on=effective,
                    by=by,
                )
                add(
                    Paper(
                        Document.Kind.ANNOUNCEMENT,
                        announcement,
                        f"《{bill.title}》已由{passed_at.name}通过，"
                        "经山西省人民代表大会常务委员会批准，现予公布，"
                        f"自{effective.year}年{effective.month}月{effective.day}日起施行。",
                        on=on,
                    )
                )
                services.record_filing(
                    bill=bill,
                    on=filed,
                    note="报送山西省人民代表大会常务委员会，由其报全国人民代表大会"
                    "常务委员会和国务院备案。",
                    by=by,
                )
                services.enter_into_force(bill=bill, on=effective, by=by)
