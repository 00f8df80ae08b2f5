"""
The legislation side of the demo (DESIGN §5): the city's 2024 picture.

The 15th Standing Committee's 2024 meetings (16th to 23rd, the 22nd on
2024-10-30) and the 24th of 2025-02-13; the three regulations of 2024 — the
elevator safety regulation, passed at the 22nd meeting, and the revised
沁河流域 and 辛安泉 regulations — with their drafts, readings, unified reviews,
votes, approval, promulgation, filing and entry into force; two bills of the 2025
plan, one in first reading and one in drafting; and the demo accounts.

Every step goes through ``services``, as staff would record it, so the timelines
are exactly what the staff pages produce. Texts written for the demo say so
(（演示文本，非正式法规文本）). Running the seed again changes nothing: meetings
and accounts are found by their natural keys, and a bill that exists is left as
it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction

from legislation import parsing, services
from legislation.models import Bill, Document, DraftVersion, Meeting
from npc.core import roles

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

ELEVATOR = "长治市电梯安全管理条例"
QINHE = "长治市沁河流域生态修复与保护条例"
XINAN = "长治市辛安泉饮用水水源地保护条例"
PARKING = "长治市停车场建设和管理条例"
PROPERTY = "长治市物业管理条例"


def seed_legislation() -> None:
    """Create (or leave as they are) the demo accounts, meetings and bills."""
    with transaction.atomic():
        users = _accounts()
        meetings = _meetings()
        for build in (_elevator, _qinhe, _xinan, _parking, _property):
            build(users["staff"], meetings)


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
        number: Meeting.objects.update_or_create(
            term=TERM,
            number=number,
            defaults={"date": date, "members": MEMBERS, "place": PLACE},
        )[0]
        for number, date in MEETINGS.items()
    }


def _text(name: str) -> str:
    return (TEXTS / name).read_text(encoding="utf-8")


# --- how a bill's history is written down ----------------------------------------


@dataclass
class _Bill:
    """Record one bill's history through the services, in date order."""

    bill: Bill
    by: AbstractBaseUser
    meetings: dict[int, Meeting]
    versions: list[DraftVersion] = field(default_factory=list)

    def version(self, name: str, kind: str, on: dt.date) -> DraftVersion:
        text = _text(name)
        version = services.add_draft_version(
            bill=self.bill,
            text=text,
            title=parsing.parse_draft(text).title,
            kind=kind,
            on=on,
            by=self.by,
            is_published=True,
        )
        self.versions.append(version)
        return version

    def advance(self, to: str, on: dt.date, note: str = "") -> None:
        services.advance_bill(bill=self.bill, to=to, on=on, note=note, by=self.by)

    def reading(self, meeting: int, note: str = "") -> None:
        services.record_reading(
            bill=self.bill,
            meeting=self.meetings[meeting],
            version=self.versions[-1],
            note=note,
            by=self.by,
        )

    def unified_review(self, on: dt.date, note: str) -> None:
        services.record_unified_review(
            bill=self.bill, on=on, version=self.versions[-1], note=note, by=self.by
        )

    def vote(self, meeting: int, yes: int, no: int, abstain: int) -> None:
        services.record_vote(
            bill=self.bill,
            meeting=self.meetings[meeting],
            yes=yes,
            no=no,
            abstain=abstain,
            version=self.versions[-1],
            by=self.by,
        )

    def document(
        self,
        kind: str,
        title: str,
        on: dt.date,
        text: str,
        meeting: int | None = None,
    ) -> None:
        services.add_document(
            bill=self.bill,
            kind=kind,
            title=title,
            on=on,
            text=f"{DEMO_MARK}\n\n{text}",
            meeting=self.meetings[meeting] if meeting else None,
            version=self.versions[-1] if self.versions else None,
            by=self.by,
        )

    def approve(self, requested: dt.date, approved: dt.date) -> None:
        services.request_approval(
            bill=self.bill,
            on=requested,
            note="报请山西省人民代表大会常务委员会审查批准。",
            by=self.by,
        )
        services.record_approval(
            bill=self.bill,
            approved=True,
            on=approved,
            note="经山西省人民代表大会常务委员会审查批准。",
            by=self.by,
        )
        self.document(
            Document.Kind.APPROVAL_DECISION,
            f"山西省人民代表大会常务委员会关于批准《{self.bill.title}》的决定",
            approved,
            f"山西省人民代表大会常务委员会对{self.meetings_text()}通过的《{self.bill.title}》"
            "进行了审查。经审查，该条例与宪法、法律、行政法规和本省的地方性法规不抵触，"
            "决定予以批准，由长治市人民代表大会常务委员会公布施行。",
        )

    def promulgate(
        self, on: dt.date, number: str, effective_on: dt.date, filed: dt.date
    ) -> None:
        announcement = f"长治市人民代表大会常务委员会公告〔十五届〕第{number}号"
        services.promulgate(
            bill=self.bill,
            on=on,
            announcement_number=announcement,
            effective_on=effective_on,
            by=self.by,
        )
        self.document(
            Document.Kind.ANNOUNCEMENT,
            announcement,
            on,
            f"《{self.bill.title}》已由{self.meetings_text()}通过，"
            f"经山西省人民代表大会常务委员会批准，现予公布，"
            f"自{effective_on.year}年{effective_on.month}月{effective_on.day}日起施行。",
        )
        services.record_filing(
            bill=self.bill,
            on=filed,
            note="报送山西省人民代表大会常务委员会，由其报全国人民代表大会常务委员会"
            "和国务院备案。",
            by=self.by,
        )
        services.enter_into_force(bill=self.bill, on=effective_on, by=self.by)

    def meetings_text(self) -> str:
        """Name the meeting that passed the bill."""
        return self.bill.votes.select_related("meeting").get().meeting.name


def _start(
    title: str,
    slug: str,
    by: AbstractBaseUser,
    meetings: dict[int, Meeting],
    *,
    planned_on: dt.date,
    **details: object,
) -> _Bill | None:
    """Create the bill, or return None when it exists (the seed ran before)."""
    if Bill.objects.filter(slug=slug).exists():
        return None
    bill = services.create_bill(
        title=title,
        slug=slug,
        by=by,
        on=planned_on,
        is_published=True,
        sponsor=Bill.Sponsor.GOVERNMENT,
        **details,
    )
    return _Bill(bill=bill, by=by, meetings=meetings)


def _explanation(title: str, body: str, points: str) -> str:
    return (
        f"一、制定（修订）的必要性\n{body}\n"
        "二、起草过程\n起草单位在深入调研、广泛征求有关部门、县（区）、基层立法联系点"
        "和社会公众意见的基础上，形成草案，经市人民政府常务会议讨论通过。\n"
        f"三、主要内容\n{points}\n以上说明，连同《{title}》草案，请予审议。"
    )


REVIEW_OPINION = (
    "常委会组成人员普遍认为，制定（修订）本条例是必要的，草案总体可行。同时提出以下意见：\n"
    "一是进一步明确部门职责，避免监管空白；\n"
    "二是增强条款的可操作性，细化相关主体的义务；\n"
    "三是法律责任应当与上位法相衔接，做到过罚相当。"
)


def _elevator(by: AbstractBaseUser, meetings: dict[int, Meeting]) -> None:
    """The elevator safety regulation: passed at the 22nd meeting on 2024-10-30."""
    record = _start(
        ELEVATOR,
        "elevator-safety",
        by,
        meetings,
        planned_on=dt.date(2024, 2, 5),
        plan_year=2024,
        planned_readings=2,
        kind=Bill.Kind.NEW,
        drafting_body="市市场监督管理局",
        committee="市人大常委会财政经济工作委员会",
        summary=(
            "围绕破解老旧电梯管理难题、提高公众电梯安全意识、强化智慧监管，"
            "对电梯的生产、使用、维护保养、检验检测、应急处置和监督管理作出规定。"
            "（演示数据）"
        ),
    )
    if record is None:
        return
    record.advance("drafting", dt.date(2024, 2, 20), "市市场监督管理局启动起草工作。")
    record.version(
        "elevator-1-draft.txt", DraftVersion.Kind.DRAFT, dt.date(2024, 6, 11)
    )
    record.advance(
        "submitted", dt.date(2024, 6, 14), "市人民政府提请市人大常委会审议。"
    )
    record.document(
        Document.Kind.DRAFTING_EXPLANATION,
        f"关于《{ELEVATOR}（草案）》的说明",
        dt.date(2024, 6, 14),
        _explanation(
            ELEVATOR,
            "本市在用电梯数量快速增长，老旧住宅电梯更新改造资金来源不明、"
            "维护保养质量参差不齐、困人故障处置不够及时等问题较为突出，"
            "有必要制定地方性法规予以规范。",
            "草案共八章四十六条，主要规定了各方责任、老旧电梯更新改造资金、"
            "按需维护保养、物联网监测和应急处置等内容。",
        ),
    )
    record.reading(19, "市十五届人大常委会第十九次会议对草案进行了第一次审议。")
    record.document(
        Document.Kind.REVIEW_OPINION,
        f"市十五届人大常委会第十九次会议对《{ELEVATOR}（草案）》的审议意见",
        dt.date(2024, 6, 27),
        REVIEW_OPINION,
        meeting=19,
    )
    record.version(
        "elevator-2-revised.txt", DraftVersion.Kind.REVISED, dt.date(2024, 8, 16)
    )
    record.unified_review(
        dt.date(2024, 8, 16),
        "法制委员会根据常委会组成人员的审议意见和各方面意见，对草案进行了统一审议，"
        "形成草案修改稿。",
    )
    record.document(
        Document.Kind.REVISION_REPORT,
        f"关于《{ELEVATOR}（草案）》修改情况的报告",
        dt.date(2024, 8, 28),
        "一、明确老旧电梯更新、改造、重大修理所需资金的来源和筹集方式；\n"
        "二、增加儿童等需要看护的人员应当在看护下乘用电梯的规定；\n"
        "三、完善电梯维护保养单位的义务和按需维护保养的条件。",
        meeting=21,
    )
    record.reading(21, "市十五届人大常委会第二十一次会议对草案修改稿进行了第二次审议。")
    record.version(
        "elevator-3-final.txt", DraftVersion.Kind.FOR_VOTE, dt.date(2024, 10, 25)
    )
    record.unified_review(
        dt.date(2024, 10, 25),
        "法制委员会根据第二次审议意见和基层立法联系点等各方面意见再次统一审议，形成表决稿。",
    )
    record.document(
        Document.Kind.REVIEW_RESULT_REPORT,
        f"关于《{ELEVATOR}（草案修改稿）》审议结果的报告",
        dt.date(2024, 10, 30),
        "法制委员会认为，草案修改稿已经比较成熟，建议本次常委会会议审议通过。"
        "根据常委会组成人员和各方面的意见，对部分条款作了修改，形成表决稿。",
        meeting=22,
    )
    record.vote(22, yes=40, no=0, abstain=1)
    record.approve(dt.date(2024, 11, 8), dt.date(2024, 11, 28))
    record.promulgate(
        dt.date(2024, 12, 10),
        "十九",
        effective_on=dt.date(2025, 3, 1),
        filed=dt.date(2024, 12, 18),
    )


def _qinhe(by: AbstractBaseUser, meetings: dict[int, Meeting]) -> None:
    """The revised 沁河流域 regulation: passed in July, in force on 2025-01-01."""
    record = _start(
        QINHE,
        "qinhe-basin-protection",
        by,
        meetings,
        planned_on=dt.date(2024, 2, 5),
        plan_year=2024,
        planned_readings=2,
        kind=Bill.Kind.REVISION,
        drafting_body="市水务局",
        committee="市人大常委会城乡建设环境保护工作委员会",
        summary=(
            "全面修订沁河流域生态修复与保护的规定，加强流域生态修复、"
            "水资源保护和水污染防治，落实河湖长制。（演示数据）"
        ),
    )
    if record is None:
        return
    record.advance("drafting", dt.date(2024, 2, 20), "市水务局启动修订起草工作。")
    record.version("qinhe-1-draft.txt", DraftVersion.Kind.DRAFT, dt.date(2024, 4, 12))
    record.advance(
        "submitted", dt.date(2024, 4, 15), "市人民政府提请市人大常委会审议。"
    )
    record.document(
        Document.Kind.DRAFTING_EXPLANATION,
        f"关于《{QINHE}（修订草案）》的说明",
        dt.date(2024, 4, 15),
        _explanation(
            QINHE,
            "条例施行以来，沁河流域生态环境明显改善，但流域生态修复任务依然繁重，"
            "部分规定已不适应新的上位法和工作实际，有必要进行全面修订。",
            "修订草案共七章三十九条，完善了流域规划、生态修复、水资源保护、"
            "污染防治和监督管理等制度。",
        ),
    )
    record.reading(17, "市十五届人大常委会第十七次会议对修订草案进行了第一次审议。")
    record.document(
        Document.Kind.REVIEW_OPINION,
        f"市十五届人大常委会第十七次会议对《{QINHE}（修订草案）》的审议意见",
        dt.date(2024, 4, 25),
        REVIEW_OPINION,
        meeting=17,
    )
    record.version(
        "qinhe-2-revised.txt", DraftVersion.Kind.REVISED, dt.date(2024, 5, 20)
    )
    record.unified_review(
        dt.date(2024, 5, 20),
        "法制委员会对修订草案进行了统一审议，形成修订草案修改稿。",
    )
    record.document(
        Document.Kind.REVISION_REPORT,
        f"关于《{QINHE}（修订草案）》修改情况的报告",
        dt.date(2024, 5, 29),
        "一、增加流域横向生态保护补偿的规定；\n二、完善河湖长制有关规定；\n"
        "三、调整部分法律责任条款，与上位法相衔接。",
        meeting=18,
    )
    record.reading(
        18, "市十五届人大常委会第十八次会议对修订草案修改稿进行了第二次审议。"
    )
    record.version(
        "qinhe-3-final.txt", DraftVersion.Kind.FOR_VOTE, dt.date(2024, 7, 26)
    )
    record.unified_review(
        dt.date(2024, 7, 26), "法制委员会根据第二次审议意见再次统一审议，形成表决稿。"
    )
    record.document(
        Document.Kind.REVIEW_RESULT_REPORT,
        f"关于《{QINHE}（修订草案修改稿）》审议结果的报告",
        dt.date(2024, 7, 30),
        "法制委员会认为，修订草案修改稿已经比较成熟，建议本次常委会会议审议通过。",
        meeting=20,
    )
    record.vote(20, yes=41, no=0, abstain=1)
    record.approve(dt.date(2024, 8, 9), dt.date(2024, 9, 27))
    record.promulgate(
        dt.date(2024, 10, 15),
        "十七",
        effective_on=dt.date(2025, 1, 1),
        filed=dt.date(2024, 10, 24),
    )


def _xinan(by: AbstractBaseUser, meetings: dict[int, Meeting]) -> None:
    """The revised 辛安泉 regulation: read twice, passed at the 22nd meeting."""
    record = _start(
        XINAN,
        "xinan-spring-protection",
        by,
        meetings,
        planned_on=dt.date(2024, 2, 5),
        plan_year=2024,
        planned_readings=2,
        kind=Bill.Kind.REVISION,
        drafting_body="市生态环境局",
        committee="市人大常委会城乡建设环境保护工作委员会",
        summary=(
            "修订辛安泉饮用水水源地保护的规定，调整水源保护区管理措施，"
            "强化饮用水水源安全保障。（演示数据）"
        ),
    )
    if record is None:
        return
    record.advance("drafting", dt.date(2024, 3, 1), "市生态环境局启动修订起草工作。")
    record.version("xinan-1-draft.txt", DraftVersion.Kind.DRAFT, dt.date(2024, 7, 16))
    record.advance(
        "submitted", dt.date(2024, 7, 18), "市人民政府提请市人大常委会审议。"
    )
    record.document(
        Document.Kind.DRAFTING_EXPLANATION,
        f"关于《{XINAN}（修订草案）》的说明",
        dt.date(2024, 7, 18),
        _explanation(
            XINAN,
            "辛安泉是本市重要的饮用水水源地。随着水源保护区范围调整和上位法修改，"
            "条例部分规定需要修改完善。",
            "修订草案共六章三十一条，调整了保护区划定、准入管理、"
            "风险防控和应急处置等规定。",
        ),
    )
    record.reading(20, "市十五届人大常委会第二十次会议对修订草案进行了第一次审议。")
    record.document(
        Document.Kind.REVIEW_OPINION,
        f"市十五届人大常委会第二十次会议对《{XINAN}（修订草案）》的审议意见",
        dt.date(2024, 7, 30),
        REVIEW_OPINION,
        meeting=20,
    )
    record.version(
        "xinan-2-final.txt", DraftVersion.Kind.FOR_VOTE, dt.date(2024, 10, 25)
    )
    record.unified_review(
        dt.date(2024, 10, 25),
        "法制委员会根据第一次审议意见和各方面意见进行统一审议，形成修订草案表决稿。",
    )
    record.document(
        Document.Kind.REVIEW_RESULT_REPORT,
        f"关于《{XINAN}（修订草案）》审议结果的报告",
        dt.date(2024, 10, 30),
        "法制委员会认为，修订草案经修改后已经比较成熟，建议本次常委会会议审议通过。",
        meeting=22,
    )
    record.reading(22, "市十五届人大常委会第二十二次会议进行了第二次审议。")
    record.vote(22, yes=41, no=0, abstain=0)
    record.approve(dt.date(2024, 11, 8), dt.date(2024, 11, 28))
    record.promulgate(
        dt.date(2024, 12, 10),
        "二十",
        effective_on=dt.date(2025, 3, 1),
        filed=dt.date(2024, 12, 18),
    )


def _parking(by: AbstractBaseUser, meetings: dict[int, Meeting]) -> None:
    """A bill of the 2025 plan, read once at the 24th meeting (demo only)."""
    record = _start(
        PARKING,
        "parking-regulation",
        by,
        meetings,
        planned_on=dt.date(2025, 1, 10),
        plan_year=2025,
        planned_readings=2,
        kind=Bill.Kind.NEW,
        drafting_body="市城市管理局",
        committee="市人大常委会城乡建设环境保护工作委员会",
        summary="规范停车场的规划、建设、经营和道路停车泊位管理，缓解停车难。（演示数据）",
    )
    if record is None:
        return
    record.advance("drafting", dt.date(2025, 1, 15), "市城市管理局启动起草工作。")
    record.version("parking-1-draft.txt", DraftVersion.Kind.DRAFT, dt.date(2025, 1, 24))
    record.advance(
        "submitted", dt.date(2025, 1, 27), "市人民政府提请市人大常委会审议。"
    )
    record.document(
        Document.Kind.DRAFTING_EXPLANATION,
        f"关于《{PARKING}（草案）》的说明",
        dt.date(2025, 1, 27),
        _explanation(
            PARKING,
            "本市机动车保有量持续增长，停车设施供给不足、布局不合理、"
            "管理不规范等问题日益突出，有必要制定地方性法规。",
            "草案共六章二十一条，规定了停车场规划建设、经营使用、"
            "道路停车泊位管理和法律责任。",
        ),
    )
    record.reading(24, "市十五届人大常委会第二十四次会议对草案进行了第一次审议。")


def _property(by: AbstractBaseUser, meetings: dict[int, Meeting]) -> None:
    """A bill of the 2025 plan still being drafted (demo only)."""
    record = _start(
        PROPERTY,
        "property-management",
        by,
        meetings,
        planned_on=dt.date(2025, 1, 10),
        plan_year=2025,
        planned_readings=2,
        kind=Bill.Kind.NEW,
        drafting_body="市住房和城乡建设局",
        committee="市人大常委会城乡建设环境保护工作委员会",
        summary="规范物业管理活动，维护业主和物业服务人的合法权益。（演示数据）",
    )
    if record is None:
        return
    record.advance("drafting", dt.date(2025, 3, 10), "市住房和城乡建设局启动起草工作。")
