"""
The demo's bills as data (DESIGN §5): one record per bill, its history as steps.

A record says what staff would have recorded, in the order they recorded it:
the stage moves, the drafts laid, the readings and unified reviews, the papers
before each meeting, the vote, the province's approval and the promulgation.
``seed.py`` walks every record through the services; nothing here writes.

The draft texts are files in ``texts/``; a paper laid before a meeting is dated
that meeting's day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from legislation.models import Bill, Document, DraftVersion

ELEVATOR = "长治市电梯安全管理条例"
QINHE = "长治市沁河流域生态修复与保护条例"
XINAN = "长治市辛安泉饮用水水源地保护条例"
PARKING = "长治市停车场建设和管理条例"
PROPERTY = "长治市物业管理条例"

SUBMITTED_BY_GOVERNMENT = "市人民政府提请市人大常委会审议。"


# --- the steps of a bill's history -----------------------------------------------


@dataclass(frozen=True)
class Advance:
    """Move the bill to the stage ``to`` (drafting, submitted)."""

    to: str
    on: dt.date
    note: str = ""


@dataclass(frozen=True)
class Draft:
    """Lay the draft text in ``texts/<file>``, published; later steps refer to it."""

    file: str
    kind: str
    on: dt.date


@dataclass(frozen=True)
class Paper:
    """Add a document on the latest draft, before ``meeting`` if it names one."""

    kind: str
    title: str
    text: str
    on: dt.date | None = None
    meeting: int | None = None


@dataclass(frozen=True)
class Reading:
    """Read the latest draft at the meeting numbered ``meeting``."""

    meeting: int
    note: str = ""


@dataclass(frozen=True)
class UnifiedReview:
    """The law committee's unified review of the latest draft."""

    on: dt.date
    note: str


@dataclass(frozen=True)
class Vote:
    """Vote on the latest draft at the meeting numbered ``meeting``."""

    meeting: int
    yes: int
    no: int
    abstain: int


@dataclass(frozen=True)
class Approval:
    """
    Ask the province's standing committee for approval, and receive it.

    Follows the ``Vote``: the approval decision names the meeting that passed it.
    """

    requested: dt.date
    approved: dt.date


@dataclass(frozen=True)
class Promulgation:
    """
    Promulgate under announcement 第``number``号, file, and enter into force.

    Follows the ``Vote``: the announcement names the meeting that passed it.
    """

    on: dt.date
    number: str
    effective_on: dt.date
    filed: dt.date


Step = (
    Advance | Draft | Paper | Reading | UnifiedReview | Vote | Approval | Promulgation
)


@dataclass(frozen=True)
class DemoBill:
    """One bill of the demo: its particulars and its history, in date order."""

    title: str
    slug: str
    kind: str
    plan_year: int
    planned_on: dt.date
    drafting_body: str
    committee: str
    summary: str
    steps: tuple[Step, ...]
    planned_readings: int = 2
    sponsor: str = Bill.Sponsor.GOVERNMENT


# --- texts shared by the bills ---------------------------------------------------


def explanation(title: str, body: str, points: str) -> str:
    """The drafting body's explanation (说明) of the draft of ``title``."""
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


# --- the bills -------------------------------------------------------------------

# Passed at the 22nd meeting on 2024-10-30, in force on 2025-03-01.
ELEVATOR_BILL = DemoBill(
    title=ELEVATOR,
    slug="elevator-safety",
    kind=Bill.Kind.NEW,
    plan_year=2024,
    planned_on=dt.date(2024, 2, 5),
    drafting_body="市市场监督管理局",
    committee="市人大常委会财政经济工作委员会",
    summary=(
        "围绕破解老旧电梯管理难题、提高公众电梯安全意识、强化智慧监管，"
        "对电梯的生产、使用、维护保养、检验检测、应急处置和监督管理作出规定。"
        "（演示数据）"
    ),
    steps=(
        Advance("drafting", dt.date(2024, 2, 20), "市市场监督管理局启动起草工作。"),
        Draft("elevator-1-draft.txt", DraftVersion.Kind.DRAFT, dt.date(2024, 6, 11)),
        Advance("submitted", dt.date(2024, 6, 14), SUBMITTED_BY_GOVERNMENT),
        Paper(
            Document.Kind.DRAFTING_EXPLANATION,
            f"关于《{ELEVATOR}（草案）》的说明",
            explanation(
                ELEVATOR,
                "本市在用电梯数量快速增长，老旧住宅电梯更新改造资金来源不明、"
                "维护保养质量参差不齐、困人故障处置不够及时等问题较为突出，"
                "有必要制定地方性法规予以规范。",
                "草案共八章四十六条，主要规定了各方责任、老旧电梯更新改造资金、"
                "按需维护保养、物联网监测和应急处置等内容。",
            ),
            on=dt.date(2024, 6, 14),
        ),
        Reading(19, "市十五届人大常委会第十九次会议对草案进行了第一次审议。"),
        Paper(
            Document.Kind.REVIEW_OPINION,
            f"市十五届人大常委会第十九次会议对《{ELEVATOR}（草案）》的审议意见",
            REVIEW_OPINION,
            meeting=19,
        ),
        Draft(
            "elevator-2-revised.txt", DraftVersion.Kind.REVISED, dt.date(2024, 8, 16)
        ),
        UnifiedReview(
            dt.date(2024, 8, 16),
            "法制委员会根据常委会组成人员的审议意见和各方面意见，对草案进行了统一审议，"
            "形成草案修改稿。",
        ),
        Paper(
            Document.Kind.REVISION_REPORT,
            f"关于《{ELEVATOR}（草案）》修改情况的报告",
            "一、明确老旧电梯更新、改造、重大修理所需资金的来源和筹集方式；\n"
            "二、增加儿童等需要看护的人员应当在看护下乘用电梯的规定；\n"
            "三、完善电梯维护保养单位的义务和按需维护保养的条件。",
            meeting=21,
        ),
        Reading(21, "市十五届人大常委会第二十一次会议对草案修改稿进行了第二次审议。"),
        Draft(
            "elevator-3-final.txt", DraftVersion.Kind.FOR_VOTE, dt.date(2024, 10, 25)
        ),
        UnifiedReview(
            dt.date(2024, 10, 25),
            "法制委员会根据第二次审议意见和基层立法联系点等各方面意见再次统一审议，"
            "形成表决稿。",
        ),
        Paper(
            Document.Kind.REVIEW_RESULT_REPORT,
            f"关于《{ELEVATOR}（草案修改稿）》审议结果的报告",
            "法制委员会认为，草案修改稿已经比较成熟，建议本次常委会会议审议通过。"
            "根据常委会组成人员和各方面的意见，对部分条款作了修改，形成表决稿。",
            meeting=22,
        ),
        Vote(22, yes=40, no=0, abstain=1),
        Approval(requested=dt.date(2024, 11, 8), approved=dt.date(2024, 11, 28)),
        Promulgation(
            dt.date(2024, 12, 10),
            "十九",
            effective_on=dt.date(2025, 3, 1),
            filed=dt.date(2024, 12, 18),
        ),
    ),
)

# Revised: passed at the 20th meeting in July, in force on 2025-01-01.
QINHE_BILL = DemoBill(
    title=QINHE,
    slug="qinhe-basin-protection",
    kind=Bill.Kind.REVISION,
    plan_year=2024,
    planned_on=dt.date(2024, 2, 5),
    drafting_body="市水务局",
    committee="市人大常委会城乡建设环境保护工作委员会",
    summary=(
        "全面修订沁河流域生态修复与保护的规定，加强流域生态修复、"
        "水资源保护和水污染防治，落实河湖长制。（演示数据）"
    ),
    steps=(
        Advance("drafting", dt.date(2024, 2, 20), "市水务局启动修订起草工作。"),
        Draft("qinhe-1-draft.txt", DraftVersion.Kind.DRAFT, dt.date(2024, 4, 12)),
        Advance("submitted", dt.date(2024, 4, 15), SUBMITTED_BY_GOVERNMENT),
        Paper(
            Document.Kind.DRAFTING_EXPLANATION,
            f"关于《{QINHE}（修订草案）》的说明",
            explanation(
                QINHE,
                "条例施行以来，沁河流域生态环境明显改善，但流域生态修复任务依然繁重，"
                "部分规定已不适应新的上位法和工作实际，有必要进行全面修订。",
                "修订草案共七章三十九条，完善了流域规划、生态修复、水资源保护、"
                "污染防治和监督管理等制度。",
            ),
            on=dt.date(2024, 4, 15),
        ),
        Reading(17, "市十五届人大常委会第十七次会议对修订草案进行了第一次审议。"),
        Paper(
            Document.Kind.REVIEW_OPINION,
            f"市十五届人大常委会第十七次会议对《{QINHE}（修订草案）》的审议意见",
            REVIEW_OPINION,
            meeting=17,
        ),
        Draft("qinhe-2-revised.txt", DraftVersion.Kind.REVISED, dt.date(2024, 5, 20)),
        UnifiedReview(
            dt.date(2024, 5, 20),
            "法制委员会对修订草案进行了统一审议，形成修订草案修改稿。",
        ),
        Paper(
            Document.Kind.REVISION_REPORT,
            f"关于《{QINHE}（修订草案）》修改情况的报告",
            "一、增加流域横向生态保护补偿的规定；\n二、完善河湖长制有关规定；\n"
            "三、调整部分法律责任条款，与上位法相衔接。",
            meeting=18,
        ),
        Reading(18, "市十五届人大常委会第十八次会议对修订草案修改稿进行了第二次审议。"),
        Draft("qinhe-3-final.txt", DraftVersion.Kind.FOR_VOTE, dt.date(2024, 7, 26)),
        UnifiedReview(
            dt.date(2024, 7, 26),
            "法制委员会根据第二次审议意见再次统一审议，形成表决稿。",
        ),
        Paper(
            Document.Kind.REVIEW_RESULT_REPORT,
            f"关于《{QINHE}（修订草案修改稿）》审议结果的报告",
            "法制委员会认为，修订草案修改稿已经比较成熟，建议本次常委会会议审议通过。",
            meeting=20,
        ),
        Vote(20, yes=41, no=0, abstain=1),
        Approval(requested=dt.date(2024, 8, 9), approved=dt.date(2024, 9, 27)),
        Promulgation(
            dt.date(2024, 10, 15),
            "十七",
            effective_on=dt.date(2025, 1, 1),
            filed=dt.date(2024, 10, 24),
        ),
    ),
)

# Revised: read at the 20th meeting, then again and passed at the 22nd.
XINAN_BILL = DemoBill(
    title=XINAN,
    slug="xinan-spring-protection",
    kind=Bill.Kind.REVISION,
    plan_year=2024,
    planned_on=dt.date(2024, 2, 5),
    drafting_body="市生态环境局",
    committee="市人大常委会城乡建设环境保护工作委员会",
    summary=(
        "修订辛安泉饮用水水源地保护的规定，调整水源保护区管理措施，"
        "强化饮用水水源安全保障。（演示数据）"
    ),
    steps=(
        Advance("drafting", dt.date(2024, 3, 1), "市生态环境局启动修订起草工作。"),
        Draft("xinan-1-draft.txt", DraftVersion.Kind.DRAFT, dt.date(2024, 7, 16)),
        Advance("submitted", dt.date(2024, 7, 18), SUBMITTED_BY_GOVERNMENT),
        Paper(
            Document.Kind.DRAFTING_EXPLANATION,
            f"关于《{XINAN}（修订草案）》的说明",
            explanation(
                XINAN,
                "辛安泉是本市重要的饮用水水源地。随着水源保护区范围调整和上位法修改，"
                "条例部分规定需要修改完善。",
                "修订草案共六章三十一条，调整了保护区划定、准入管理、"
                "风险防控和应急处置等规定。",
            ),
            on=dt.date(2024, 7, 18),
        ),
        Reading(20, "市十五届人大常委会第二十次会议对修订草案进行了第一次审议。"),
        Paper(
            Document.Kind.REVIEW_OPINION,
            f"市十五届人大常委会第二十次会议对《{XINAN}（修订草案）》的审议意见",
            REVIEW_OPINION,
            meeting=20,
        ),
        Draft("xinan-2-final.txt", DraftVersion.Kind.FOR_VOTE, dt.date(2024, 10, 25)),
        UnifiedReview(
            dt.date(2024, 10, 25),
            "法制委员会根据第一次审议意见和各方面意见进行统一审议，形成修订草案表决稿。",
        ),
        Paper(
            Document.Kind.REVIEW_RESULT_REPORT,
            f"关于《{XINAN}（修订草案）》审议结果的报告",
            "法制委员会认为，修订草案经修改后已经比较成熟，建议本次常委会会议审议通过。",
            meeting=22,
        ),
        Reading(22, "市十五届人大常委会第二十二次会议进行了第二次审议。"),
        Vote(22, yes=41, no=0, abstain=0),
        Approval(requested=dt.date(2024, 11, 8), approved=dt.date(2024, 11, 28)),
        Promulgation(
            dt.date(2024, 12, 10),
            "二十",
            effective_on=dt.date(2025, 3, 1),
            filed=dt.date(2024, 12, 18),
        ),
    ),
)

# Of the 2025 plan: read once, at the 24th meeting (demo only).
PARKING_BILL = DemoBill(
    title=PARKING,
    slug="parking-regulation",
    kind=Bill.Kind.NEW,
    plan_year=2025,
    planned_on=dt.date(2025, 1, 10),
    drafting_body="市城市管理局",
    committee="市人大常委会城乡建设环境保护工作委员会",
    summary="规范停车场的规划、建设、经营和道路停车泊位管理，缓解停车难。（演示数据）",
    steps=(
        Advance("drafting", dt.date(2025, 1, 15), "市城市管理局启动起草工作。"),
        Draft("parking-1-draft.txt", DraftVersion.Kind.DRAFT, dt.date(2025, 1, 24)),
        Advance("submitted", dt.date(2025, 1, 27), SUBMITTED_BY_GOVERNMENT),
        Paper(
            Document.Kind.DRAFTING_EXPLANATION,
            f"关于《{PARKING}（草案）》的说明",
            explanation(
                PARKING,
                "本市机动车保有量持续增长，停车设施供给不足、布局不合理、"
                "管理不规范等问题日益突出，有必要制定地方性法规。",
                "草案共六章二十一条，规定了停车场规划建设、经营使用、"
                "道路停车泊位管理和法律责任。",
            ),
            on=dt.date(2025, 1, 27),
        ),
        Reading(24, "市十五届人大常委会第二十四次会议对草案进行了第一次审议。"),
    ),
)

# Of the 2025 plan: still being drafted (demo only).
PROPERTY_BILL = DemoBill(
    title=PROPERTY,
    slug="property-management",
    kind=Bill.Kind.NEW,
    plan_year=2025,
    planned_on=dt.date(2025, 1, 10),
    drafting_body="市住房和城乡建设局",
    committee="市人大常委会城乡建设环境保护工作委员会",
    summary="规范物业管理活动，维护业主和物业服务人的合法权益。（演示数据）",
    steps=(
        Advance("drafting", dt.date(2025, 3, 10), "市住房和城乡建设局启动起草工作。"),
    ),
)

# In the order they are seeded: their primary keys follow it.
BILLS: tuple[DemoBill, ...] = (
    ELEVATOR_BILL,
    QINHE_BILL,
    XINAN_BILL,
    PARKING_BILL,
    PROPERTY_BILL,
)
