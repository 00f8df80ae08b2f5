"""
The consultation side of the demo: the city's 2024 picture (DESIGN §5).

32 liaison points over the 12 districts and counties, the clerks ``clerk`` (of
the 淮海社区 point) and ``clerk2``, the consultations on the three 2024 bills —
among them 11 symposia, the September 2024 立法意见征询座谈会 at 淮海社区 on the
elevator draft, an online comment period of at least 30 days per bill, expert
hearings and meetings at every point — and 2,163 comments with their decisions,
decision history and feedback.

Everything is drawn from a ``random.Random`` with a fixed seed and written under
natural keys (point names, usernames, consultation titles, receipt codes), so a
second run finds every row and writes nothing. The bills come from the
legislation side's demo and are found by title.

Comments are generated as a stream (:func:`generate_comments`) and written in
chunks with bulk inserts, so the same generator, with a larger ``n_comments``,
feeds the benchmarks. The rows keep every rule the services enforce; the demo's
tests check them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from legislation import comparison
from legislation.models import Bill, DraftVersion, EventKind
from legislation.selectors import compare_versions
from npc.core import roles

from .. import counters, search, services
from ..grouping.services import group_ungrouped
from ..models import (
    NEEDS_REASON,
    RECEIPT_ALPHABET,
    RECEIPT_LENGTH,
    AdoptionLink,
    Channel,
    Comment,
    Consultation,
    Contributor,
    Decision,
    DecisionRecord,
    District,
    Feedback,
    LiaisonPoint,
    Reason,
)
from ..services import ADOPTING
from . import corpus

SEED = 20241030
DEMO_COMMENTS = 2163
YEAR = 2024
CHUNK = 5000
PASSWORD = "demo"

BILLS: dict[str, str] = {
    "elevator": "长治市电梯安全管理条例",
    "qinhe": "长治市沁河流域生态修复与保护条例",
    "xinan": "长治市辛安泉饮用水水源地保护条例",
}

H = LiaisonPoint.HostKind
D = District

# (name, district, host kind, address, bills its people care most about)
# fmt: off
POINTS: list[tuple[str, str, str, str, tuple[str, ...]]] = [
    ("潞州区延安南路街道淮海社区基层立法联系点", D.LUZHOU, H.COMMUNITY, "潞州区延安南路淮海社区党群服务中心", ("elevator",)),
    ("潞州区英雄南路街道解放东社区基层立法联系点", D.LUZHOU, H.COMMUNITY, "潞州区英雄南路解放东社区居委会", ("elevator",)),
    ("潞州区太行西街街道基层立法联系点", D.LUZHOU, H.STREET, "潞州区太行西街街道办事处", ("elevator", "xinan")),
    ("潞州区英雄中路人大代表联络站基层立法联系点", D.LUZHOU, H.DEPUTIES_STATION, "潞州区英雄中路人大代表联络站", ("elevator",)),
    ("山西太行正衡律师事务所基层立法联系点", D.LUZHOU, H.LAW_FIRM, "潞州区府后西街某大厦十二层", ("elevator", "qinhe", "xinan")),
    ("长治学院立法咨询基地基层立法联系点", D.LUZHOU, H.SCHOOL, "潞州区城北东街长治学院", ("qinhe", "xinan")),
    ("长治高新区产业园基层立法联系点", D.LUZHOU, H.PARK, "长治高新区漳泽大道园区服务中心", ("elevator", "xinan")),
    ("上党区韩店街道基层立法联系点", D.SHANGDANG, H.STREET, "上党区韩店街道办事处", ("elevator", "xinan")),
    ("上党区荫城镇基层立法联系点", D.SHANGDANG, H.TOWNSHIP, "上党区荫城镇人民政府", ("xinan",)),
    ("山西太行电梯工程有限公司基层立法联系点", D.SHANGDANG, H.ENTERPRISE, "上党区东厂路某工业园三号", ("elevator",)),
    ("屯留区麟绛街道基层立法联系点", D.TUNLIU, H.STREET, "屯留区麟绛街道办事处", ("elevator",)),
    ("屯留区余吾镇基层立法联系点", D.TUNLIU, H.TOWNSHIP, "屯留区余吾镇人民政府", ("qinhe",)),
    ("潞城区潞华街道基层立法联系点", D.LUCHENG, H.STREET, "潞城区潞华街道办事处", ("elevator", "xinan")),
    ("潞城区店上镇基层立法联系点", D.LUCHENG, H.TOWNSHIP, "潞城区店上镇人民政府", ("xinan",)),
    ("潞城区辛安泉镇辛安村基层立法联系点", D.LUCHENG, H.VILLAGE, "潞城区辛安泉镇辛安村村民委员会", ("xinan",)),
    ("襄垣县古韩镇基层立法联系点", D.XIANGYUAN, H.TOWNSHIP, "襄垣县古韩镇人民政府", ("elevator", "xinan")),
    ("襄垣县王桥镇基层立法联系点", D.XIANGYUAN, H.TOWNSHIP, "襄垣县王桥镇人民政府", ("qinhe",)),
    ("平顺县青羊镇基层立法联系点", D.PINGSHUN, H.TOWNSHIP, "平顺县青羊镇人民政府", ("xinan",)),
    ("平顺县西沟乡西沟村基层立法联系点", D.PINGSHUN, H.VILLAGE, "平顺县西沟乡西沟村村民委员会", ("xinan", "qinhe")),
    ("黎城县黎侯镇基层立法联系点", D.LICHENG, H.TOWNSHIP, "黎城县黎侯镇人民政府", ("elevator", "xinan")),
    ("黎城县人大代表联络站基层立法联系点", D.LICHENG, H.DEPUTIES_STATION, "黎城县人大代表联络总站", ("xinan",)),
    ("壶关县龙泉镇基层立法联系点", D.HUGUAN, H.TOWNSHIP, "壶关县龙泉镇人民政府", ("elevator", "xinan")),
    ("壶关县树掌镇基层立法联系点", D.HUGUAN, H.TOWNSHIP, "壶关县树掌镇人民政府", ("qinhe",)),
    ("长子县丹朱镇基层立法联系点", D.ZHANGZI, H.TOWNSHIP, "长子县丹朱镇人民政府", ("elevator", "qinhe")),
    ("长子县鲍店镇基层立法联系点", D.ZHANGZI, H.TOWNSHIP, "长子县鲍店镇人民政府", ("qinhe",)),
    ("武乡县丰州镇基层立法联系点", D.WUXIANG, H.TOWNSHIP, "武乡县丰州镇人民政府", ("elevator", "qinhe")),
    ("武乡县人大代表联络站基层立法联系点", D.WUXIANG, H.DEPUTIES_STATION, "武乡县人大代表联络总站", ("qinhe",)),
    ("沁县定昌镇基层立法联系点", D.QINXIAN, H.TOWNSHIP, "沁县定昌镇人民政府", ("qinhe", "elevator")),
    ("沁县漳源镇基层立法联系点", D.QINXIAN, H.TOWNSHIP, "沁县漳源镇人民政府", ("qinhe",)),
    ("沁源县沁河镇基层立法联系点", D.QINYUAN, H.TOWNSHIP, "沁源县沁河镇人民政府", ("qinhe",)),
    ("沁源县郭道镇基层立法联系点", D.QINYUAN, H.TOWNSHIP, "沁源县郭道镇人民政府", ("qinhe",)),
    ("沁源县灵空山镇基层立法联系点", D.QINYUAN, H.TOWNSHIP, "沁源县灵空山镇人民政府", ("qinhe",)),
]
# fmt: on
HUAIHAI = POINTS[0][0]
HANDIAN = "上党区韩店街道基层立法联系点"
CLERKS = {"clerk": HUAIHAI, "clerk2": HANDIAN}

# The two remarks the report quotes from the 淮海社区 symposium; both adopted.
HUAIHAI_QUOTES = (
    "儿童应在看护下乘用电梯。",
    "老旧电梯需要进行更新、改造、重大修理的情况时有发生，明确所需资金来源十分重要。",
)

# Who speaks through each channel: (kind, weight).
KINDS_BY_CHANNEL: dict[str, list[tuple[str, int]]] = {
    Channel.LIAISON_POINT: [
        ("resident", 62),
        ("deputy", 9),
        ("enterprise", 8),
        ("organisation", 8),
        ("lawyer", 5),
        ("government_body", 3),
        ("other", 5),
    ],
    Channel.SYMPOSIUM: [
        ("resident", 30),
        ("deputy", 20),
        ("enterprise", 18),
        ("organisation", 12),
        ("government_body", 12),
        ("expert", 5),
        ("lawyer", 3),
    ],
    Channel.EXPERT_HEARING: [("expert", 70), ("lawyer", 30)],
    Channel.ONLINE: [
        ("resident", 72),
        ("enterprise", 9),
        ("lawyer", 5),
        ("expert", 4),
        ("organisation", 3),
        ("other", 7),
    ],
    Channel.WRITTEN: [("government_body", 80), ("organisation", 20)],
    Channel.DEPUTIES: [("deputy", 100)],
}

# Decisions: under a tenth adopted, most decided, many not adopted with reasons.
DECISIONS: list[tuple[str, int]] = [
    (Decision.ADOPTED, 7),
    (Decision.PARTIALLY_ADOPTED, 5),
    (Decision.NOT_ADOPTED, 31),
    (Decision.FOR_REFERENCE, 24),
    (Decision.OUT_OF_SCOPE, 8),
    (Decision.DUPLICATE, 12),
    (Decision.PENDING, 4),
]
NOT_ADOPTED_REASONS: list[tuple[str, int]] = [
    (Reason.HIGHER_LAW_PROVIDES, 30),
    (Reason.ALREADY_IN_DRAFT, 15),
    (Reason.IMPLEMENTATION, 15),
    (Reason.BEYOND_POWER, 10),
    (Reason.CONFLICTS_HIGHER_LAW, 5),
    (Reason.NOT_MATURE, 10),
    (Reason.BALANCED, 10),
    (Reason.OTHER, 5),
]
PARTIAL_REASONS: list[tuple[str, int]] = [
    (Reason.IMPLEMENTATION, 40),
    (Reason.BALANCED, 35),
    (Reason.NOT_MATURE, 25),
]
ARTICLE_SHARE = 0.7


def _pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _receipt(rng: random.Random) -> str:
    return "".join(rng.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


# --- points and people ---------------------------------------------------------


def _user(username: str, group: str) -> object:
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_password(PASSWORD)
        user.is_staff = group in (roles.ADMINISTRATOR, roles.LEGISLATIVE_STAFF)
        user.save()
    user.groups.add(Group.objects.get(name=group))
    return user


def seed_points(rng: random.Random) -> dict[str, LiaisonPoint]:
    """Create the 32 liaison points (by name) and the two demo clerks."""
    points: dict[str, LiaisonPoint] = {}
    for name, district, host, address, _bills in POINTS:
        surname = rng.choice(corpus.SURNAMES)
        title = rng.choice(("主任", "书记", "老师", "科长"))
        phone = f"0355-{rng.randrange(2_000_000, 8_000_000)}"
        points[name], _ = LiaisonPoint.objects.get_or_create(
            name=name,
            defaults={
                "district": district,
                "host_kind": host,
                "address": f"长治市{address}",
                "contact_name": surname + title,
                "contact_phone": phone,
            },
        )
    for username, point in CLERKS.items():
        points[point].clerks.add(_user(username, roles.LIAISON_CLERK))
    return points


# --- consultations -------------------------------------------------------------


@dataclass
class Plan:
    """One consultation to hold, and the share of the comments it gathers."""

    bill_key: str
    version: DraftVersion
    channel: str
    title: str
    weight: float
    point: str | None = None
    held_on: dt.date | None = None
    opens_on: dt.date | None = None
    closes_on: dt.date | None = None
    place: str = ""
    participants: int = 0
    consultation: Consultation | None = field(default=None, repr=False)

    @property
    def last_day(self) -> dt.date:
        return self.held_on or self.closes_on


def _versions(bill: Bill) -> list[DraftVersion]:
    """The versions that were put out for comment: drafts, not vote or final texts."""
    drafts = [
        v
        for v in bill.versions.order_by("number")
        if v.kind
        in (
            DraftVersion.Kind.DRAFT,
            DraftVersion.Kind.REVISED,
            DraftVersion.Kind.SECOND_REVISED,
        )
    ]
    return drafts or list(bill.versions.order_by("number")[:1])


def _window(
    versions: list[DraftVersion], index: int, cap: dt.date
) -> tuple[dt.date, dt.date]:
    """
    The days of 2024 when ``versions[index]`` was the one under consultation:
    from its date to shortly before the next version, and before ``cap`` (the
    vote). Never shorter than ten days, so an online period fits the year.
    """
    last = min(cap, dt.date(YEAR, 11, 30))
    start = min(max(versions[index].date, dt.date(YEAR, 1, 8)), last)
    if index + 1 < len(versions):
        end = versions[index + 1].date - dt.timedelta(days=3)
    else:
        end = start + dt.timedelta(days=70)
    end = min(end, last)
    if end < start + dt.timedelta(days=10):
        start = max(dt.date(YEAR, 1, 8), end - dt.timedelta(days=10))
    return start, max(end, start)


def _vote_day(bill: Bill) -> dt.date:
    """The day the bill was put to the vote, or the end of November."""
    vote = bill.events.filter(kind=EventKind.VOTE).order_by("on").first()
    return vote.on - dt.timedelta(days=2) if vote else dt.date(YEAR, 11, 30)


def _cap(bill: Bill, drafts: list[DraftVersion]) -> dt.date:
    """
    The last day a draft of ``bill`` is consulted on: before the vote, and a
    few days before a later text (the one for the vote) replaces the drafts.
    """
    cap = _vote_day(bill)
    later = bill.versions.filter(number__gt=drafts[-1].number).order_by("number")
    if later:
        cap = min(cap, later[0].date - dt.timedelta(days=3))
    return cap


def _day(rng: random.Random, window: tuple[dt.date, dt.date]) -> dt.date:
    start, end = window
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _version_on(versions: list[DraftVersion], day: dt.date) -> DraftVersion:
    """The version under consultation on ``day``: the latest one dated by then."""
    current = versions[0]
    for version in versions:
        if version.date <= day:
            current = version
    return current


def plan_consultations(
    rng: random.Random, bills: dict[str, Bill], points: dict[str, LiaisonPoint]
) -> list[Plan]:
    """Lay out the year's consultations on the three bills (not yet written)."""
    plans: list[Plan] = []
    versions = {key: _versions(bill) for key, bill in bills.items()}
    caps = {key: _cap(bill, versions[key]) for key, bill in bills.items()}
    windows = {key: _window(vs, 0, caps[key]) for key, vs in versions.items()}

    def book(key: str) -> str:
        return f"《{BILLS[key]}（{'草案' if key == 'elevator' else '修订草案'}）》"

    # The symposium the report tells of: September 2024 at 淮海社区, on the
    # text then current: the 修改稿 of August, read at the second reading.
    huaihai_day = dt.date(YEAR, 9, 12)
    huaihai_version = _version_on(versions["elevator"], huaihai_day)
    plans.append(
        Plan(
            "elevator",
            huaihai_version,
            Channel.SYMPOSIUM,
            f"《{BILLS['elevator']}（{huaihai_version.get_kind_display()}）》"
            "立法意见征询座谈会",
            weight=40,
            point=HUAIHAI,
            held_on=huaihai_day,
            place="淮海社区党群服务中心会议室",
            participants=26,
        )
    )
    # The other ten symposia (11 in all).
    symposia = [
        ("elevator", "物业服务企业和电梯维保单位座谈会", None, 30),
        ("elevator", "人大代表座谈会", None, 28),
        ("elevator", "有关部门协调座谈会", None, 18),
        ("elevator", "修改稿征求意见座谈会", None, 22),
        ("qinhe", "沿河村民代表座谈会", "沁源县沁河镇基层立法联系点", 34),
        ("qinhe", "有关部门协调座谈会", None, 20),
        ("qinhe", "企业代表座谈会", None, 22),
        ("xinan", "村民代表座谈会", "潞城区辛安泉镇辛安村基层立法联系点", 30),
        ("xinan", "有关部门协调座谈会", None, 18),
        ("xinan", "立法咨询专家座谈会", None, 16),
    ]
    for key, name, point, weight in symposia:
        window = windows[key]
        day = _day(rng, window)
        version = versions[key][0]
        if name.startswith("修改稿") and len(versions[key]) > 1:
            version = versions[key][1]
            day = _day(rng, _window(versions[key], 1, caps[key]))
        plans.append(
            Plan(
                key,
                version,
                Channel.SYMPOSIUM,
                f"{book(key)}{name}",
                weight=weight,
                point=point,
                held_on=day,
                place=f"{point.removesuffix('基层立法联系点')}会议室"
                if point
                else "市人大常委会机关会议室",
                participants=rng.randrange(14, 32),
            )
        )
    # An online comment period of 30 days or more on each bill's first draft.
    for key, weight in (("elevator", 260), ("qinhe", 150), ("xinan", 120)):
        opens = min(windows[key][0], dt.date(YEAR, 11, 20))
        plans.append(
            Plan(
                key,
                versions[key][0],
                Channel.ONLINE,
                f"{book(key)}网上公开征求意见",
                weight=weight,
                opens_on=opens,
                closes_on=opens + dt.timedelta(days=rng.choice((30, 31, 35))),
                place="市人大常委会门户网站",
            )
        )
    # Expert hearings, written requests to bodies, deputies' views.
    for key, name, channel, weight, people in (
        ("elevator", "专家论证会", Channel.EXPERT_HEARING, 16, 9),
        ("qinhe", "专家论证会", Channel.EXPERT_HEARING, 14, 8),
        ("xinan", "法律顾问论证会", Channel.EXPERT_HEARING, 10, 7),
        (
            "elevator",
            "书面征求市直有关部门和县区人大常委会意见",
            Channel.WRITTEN,
            34,
            0,
        ),
        ("qinhe", "书面征求市直有关部门和县区人大常委会意见", Channel.WRITTEN, 30, 0),
        ("xinan", "书面征求市直有关部门和县区人大常委会意见", Channel.WRITTEN, 24, 0),
        ("elevator", "征求市人大代表意见", Channel.DEPUTIES, 36, 0),
        ("qinhe", "征求市人大代表意见", Channel.DEPUTIES, 24, 0),
    ):
        plans.append(
            Plan(
                key,
                versions[key][0],
                channel,
                f"{book(key)}{name}",
                weight=weight,
                held_on=_day(rng, windows[key]),
                place="市人大常委会机关" if people else "",
                participants=people,
            )
        )
    # Meetings at the points, on the bills their people care about.
    for name, _district, _host, _address, keys in POINTS:
        for key in keys:
            if (name, key) in ((HUAIHAI, "elevator"),):
                continue  # that point's meeting on the elevator is the symposium
            day = _day(rng, windows[key])
            plans.append(
                Plan(
                    key,
                    _version_on(versions[key], day),
                    Channel.LIAISON_POINT,
                    f"{name.removesuffix('基层立法联系点')}{book(key)}意见征询会",
                    weight=rng.randrange(14, 34),
                    point=name,
                    held_on=day,
                    place=f"{name.removesuffix('基层立法联系点')}会议室",
                    participants=rng.randrange(8, 40),
                )
            )
    return plans


def _share(plans: Sequence[Plan], n_comments: int) -> list[int]:
    """Split ``n_comments`` over the plans in proportion to their weights, exactly."""
    total = sum(p.weight for p in plans)
    raw = [p.weight * n_comments / total for p in plans]
    counts = [int(x) for x in raw]
    by_remainder = sorted(
        range(len(plans)), key=lambda i: raw[i] - counts[i], reverse=True
    )
    for i in by_remainder[: n_comments - sum(counts)]:
        counts[i] += 1
    return counts


def seed_consultations(
    plans: list[Plan], bills: dict[str, Bill], points: dict[str, LiaisonPoint], staff
) -> None:
    """Write the planned consultations (through the service) unless they exist."""
    clerks = {point: username for username, point in CLERKS.items()}
    User = get_user_model()
    for plan in plans:
        bill = bills[plan.bill_key]
        existing = Consultation.objects.filter(bill=bill, title=plan.title).first()
        if existing is None:
            by = staff
            if plan.point in clerks:
                by = User.objects.get(username=clerks[plan.point])
            existing = services.record_consultation(
                by=by,
                bill=bill,
                version=plan.version,
                channel=plan.channel,
                title=plan.title,
                point=points[plan.point] if plan.point else None,
                held_on=plan.held_on,
                opens_on=plan.opens_on,
                closes_on=plan.closes_on,
                place=plan.place,
                participants=plan.participants,
            )
        plan.consultation = existing


# --- comments ------------------------------------------------------------------


@dataclass(slots=True)
class DemoComment:
    """One generated comment, its contributor and its decision."""

    plan: Plan
    receipt_code: str
    text: str
    article_id: int | None
    submitted_on: dt.date
    name: str
    contact: str
    kind: str
    affiliation: str
    status: str
    reason: str
    explanation: str
    decided_on: dt.date | None
    duplicate_of: str | None  # the kept comment's receipt code
    revised_from: tuple[str, str, str] | None  # an earlier decision, if revised


def generate_comments(
    rng: random.Random,
    plans: Sequence[Plan],
    n_comments: int,
    articles: dict[int, list[tuple[int, int]]],
    adoptable_until: dict[int, dt.date] | None = None,
) -> Iterator[DemoComment]:
    """
    Yield ``n_comments`` comments spread over ``plans``, each with its decision.

    ``articles`` maps a version's pk to its ``(article pk, number)`` pairs. About
    70% of the comments point at an article, a few articles drawing many. A
    duplicate repeats an earlier kept comment on the same bill and points at it.
    Memory stays flat: only a short window of recent comments is kept.
    ``adoptable_until`` maps a version's pk to the date of the last later
    version: a comment made after it (or on a version with none) cannot have
    changed the text, and is kept for reference instead of adopted.
    """
    recent: dict[str, deque[tuple[str, str, int | None]]] = {}
    for plan, count in zip(plans, _share(plans, n_comments), strict=True):
        version_articles = articles[plan.version.pk]
        # Some articles draw many comments: weight them unevenly, per version.
        hot = random.Random(f"{plan.bill_key}-{plan.version.number}").choices(
            range(1, 8), k=len(version_articles)
        )
        kinds = KINDS_BY_CHANNEL[plan.channel]
        pool = recent.setdefault(plan.bill_key, deque(maxlen=200))
        quotes = list(HUAIHAI_QUOTES) if plan.point == HUAIHAI else []
        for _ in range(count):
            code = _receipt(rng)
            article = None
            if version_articles and rng.random() < ARTICLE_SHARE:
                article = rng.choices(version_articles, weights=hot)[0]
            status = _pick(rng, DECISIONS)
            if quotes:
                text, status, article = quotes.pop(0), Decision.ADOPTED, None
            elif status == Decision.DUPLICATE and pool:
                kept_code, text, kept_article = rng.choice(pool)
                article = next(
                    (a for a in version_articles if a[0] == kept_article), article
                )
            else:
                if status == Decision.DUPLICATE:
                    status = Decision.FOR_REFERENCE
                text = corpus.comment_text(
                    rng, plan.bill_key, article[1] if article else None
                )
            kind = _pick(rng, kinds)
            anonymous = plan.channel == Channel.ONLINE and rng.random() < 0.25
            submitted_on = plan.held_on or _day(rng, (plan.opens_on, plan.closes_on))
            if adoptable_until is not None and status in ADOPTING:
                until = adoptable_until.get(plan.version.pk)
                if until is None or submitted_on > until:
                    status = Decision.FOR_REFERENCE
            reason = ""
            if status == Decision.NOT_ADOPTED:
                reason = _pick(rng, NOT_ADOPTED_REASONS)
            elif status == Decision.PARTIALLY_ADOPTED:
                reason = _pick(rng, PARTIAL_REASONS)
            explanation = (
                corpus.explanation(rng, status, plan.bill_key, reason or None)
                if status != Decision.PENDING
                else ""
            )
            decided_on = None
            if status != Decision.PENDING:
                decided_on = min(
                    plan.last_day + dt.timedelta(days=rng.randrange(5, 40)),
                    max(dt.date(YEAR, 12, 20), plan.last_day),
                )
            revised_from = None
            if status == Decision.PARTIALLY_ADOPTED and rng.random() < 0.3:
                earlier = _pick(rng, NOT_ADOPTED_REASONS)
                revised_from = (
                    Decision.NOT_ADOPTED,
                    earlier,
                    corpus.explanation(rng, Decision.NOT_ADOPTED, None, earlier),
                )
            comment = DemoComment(
                plan=plan,
                receipt_code=code,
                text=text,
                article_id=article[0] if article else None,
                submitted_on=submitted_on,
                name="" if anonymous else corpus.fake_name(rng),
                contact=""
                if anonymous or rng.random() < 0.08
                else corpus.fake_mobile(rng),
                kind=kind,
                affiliation=corpus.affiliation(rng, kind) if rng.random() < 0.6 else "",
                status=status,
                reason=reason,
                explanation=explanation,
                decided_on=decided_on,
                duplicate_of=kept_code if status == Decision.DUPLICATE else None,
                revised_from=revised_from,
            )
            if status != Decision.DUPLICATE:
                pool.append((code, text, comment.article_id))
            yield comment


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time(rng.randrange(9, 18), rng.randrange(60)))
    )


def write_comments(rng: random.Random, rows: Iterator[DemoComment], staff) -> int:
    """
    Write the generated comments that do not exist yet, chunk by chunk:
    comments (kept ones before the duplicates pointing at them), contributors,
    decision records and feedback. ``rng`` draws times and feedback only, apart
    from the generator's, so a rerun that writes nothing generates the same
    rows. Return the number of comments written.
    """
    written = 0
    while chunk := list(islice(rows, CHUNK)):
        codes = [row.receipt_code for row in chunk]
        existing = set(
            Comment.objects.filter(receipt_code__in=codes).values_list(
                "receipt_code", flat=True
            )
        )
        fresh = [row for row in chunk if row.receipt_code not in existing]
        kept = [row for row in fresh if row.status != Decision.DUPLICATE]
        duplicates = [row for row in fresh if row.status == Decision.DUPLICATE]
        pks = _insert(kept, staff, {}, rng)
        targets = dict(
            Comment.objects.filter(
                receipt_code__in={row.duplicate_of for row in duplicates}
            ).values_list("receipt_code", "pk")
        )
        pks += _insert(duplicates, staff, targets, rng)
        write_feedback(
            rng,
            [
                (pk, row)
                for pk, row in zip(pks, kept + duplicates, strict=True)
                if row.status != Decision.PENDING
            ],
            staff,
        )
        written += len(pks)
    return written


def _insert(
    rows: list[DemoComment], staff, targets: dict[str, int], rng: random.Random
) -> list[int]:
    if not rows:
        return []
    comments = Comment.objects.bulk_create(
        [
            Comment(
                consultation=row.plan.consultation,
                bill_id=row.plan.consultation.bill_id,
                point_id=row.plan.consultation.point_id,
                article_id=row.article_id,
                text=row.text,
                search_text=search.search_words(row.text),
                submitted_on=row.submitted_on,
                receipt_code=row.receipt_code,
                status=row.status,
                reason=row.reason,
                explanation=row.explanation,
                duplicate_of_id=targets.get(row.duplicate_of),
                decided_by=staff if row.decided_on else None,
                decided_at=_at(row.decided_on, rng) if row.decided_on else None,
                # One more for each decision taken on it.
                revision=1 + bool(row.decided_on) + bool(row.revised_from),
                created_by=staff,
            )
            for row in rows
        ]
    )
    Contributor.objects.bulk_create(
        [
            Contributor(
                comment=comment,
                name=row.name,
                contact=row.contact,
                kind=row.kind,
                affiliation=row.affiliation,
            )
            for comment, row in zip(comments, rows, strict=True)
        ]
    )
    records = []
    for comment, row in zip(comments, rows, strict=True):
        if not row.decided_on:
            continue
        if row.revised_from:
            status, reason, explanation = row.revised_from
            records.append(
                DecisionRecord(
                    comment=comment,
                    status=status,
                    reason=reason,
                    explanation=explanation,
                    decided_by=staff,
                    decided_at=comment.decided_at - dt.timedelta(days=7),
                )
            )
        records.append(
            DecisionRecord(
                comment=comment,
                status=comment.status,
                reason=comment.reason,
                explanation=comment.explanation,
                duplicate_of_id=comment.duplicate_of_id,
                decided_by=staff,
                decided_at=comment.decided_at,
            )
        )
    DecisionRecord.objects.bulk_create(records)
    return [comment.pk for comment in comments]


FEEDBACK_BY_CHANNEL = {
    Channel.LIAISON_POINT: Feedback.Channel.POINT,
    Channel.SYMPOSIUM: Feedback.Channel.LETTER,
    Channel.ONLINE: Feedback.Channel.WEBSITE,
    Channel.EXPERT_HEARING: Feedback.Channel.LETTER,
    Channel.WRITTEN: Feedback.Channel.LETTER,
    Channel.DEPUTIES: Feedback.Channel.PHONE,
}


def write_feedback(
    rng: random.Random, decided: list[tuple[int, DemoComment]], staff
) -> None:
    """
    Tell contributors what became of their comments: per consultation, one
    feedback covering its decided comments (through the point, a letter, the
    website); besides, SMS or phone calls to some, and a few unreachable.
    """
    by_plan: dict[int, list[tuple[int, DemoComment]]] = {}
    for pk, row in decided:
        by_plan.setdefault(id(row.plan), []).append((pk, row))
    through = Feedback.comments.through
    links = []
    clerks = {point: username for username, point in CLERKS.items()}
    User = get_user_model()
    for group in by_plan.values():
        plan = group[0][1].plan
        consultation = plan.consultation
        last = max(row.decided_on for _, row in group)
        by = staff
        if plan.point in clerks:
            by = User.objects.get(username=clerks[plan.point])
        feedback = Feedback.objects.create(
            channel=FEEDBACK_BY_CHANNEL[plan.channel],
            given_on=min(
                last + dt.timedelta(days=rng.randrange(3, 15)), dt.date(YEAR, 12, 28)
            ),
            text=f"{consultation.title}所提意见的研究处理情况已反馈。",
            point=consultation.point,
            recorded_by=by,
        )
        links += [through(feedback_id=feedback.pk, comment_id=pk) for pk, _ in group]
        for pk, row in group:
            if row.kind != "deputy" and rng.random() > 0.08:
                continue
            channel = (
                Feedback.Channel.SMS if row.contact else Feedback.Channel.UNREACHABLE
            )
            if row.contact and rng.random() < 0.4:
                channel = Feedback.Channel.PHONE
            personal = Feedback.objects.create(
                channel=channel,
                given_on=min(
                    row.decided_on + dt.timedelta(days=rng.randrange(1, 10)),
                    dt.date(YEAR, 12, 28),
                ),
                text=""
                if channel == Feedback.Channel.UNREACHABLE
                else "已告知意见的处理结果和理由。",
                point=consultation.point,
                recorded_by=staff,
            )
            links.append(through(feedback_id=personal.pk, comment_id=pk))
    through.objects.bulk_create(links, batch_size=CHUNK)


# --- where adopted comments went ------------------------------------------------


def adoptable_until(plans: Sequence[Plan]) -> dict[int, dt.date]:
    """For each consulted version, the date of the last later version of its bill."""
    until = {}
    for plan in plans:
        last = plan.version.bill.versions.order_by("-number").first()
        if last.number > plan.version.number:
            until[plan.version.pk] = last.date
    return until


def _target(versions: list[DraftVersion], number: int, day: dt.date) -> DraftVersion:
    """The first version after version ``number`` dated on or after ``day``."""
    return next(v for v in versions if v.number > number and v.date >= day)


def _changes(old: DraftVersion, new: DraftVersion, cache: dict) -> list:
    key = (old.pk, new.pk)
    if key not in cache:
        cache[key] = [
            row
            for row in compare_versions(old=old, new=new)
            if row.status in (comparison.CHANGED, comparison.ADDED)
        ]
    return cache[key]


def link_adoptions(rng: random.Random, bills: Iterable[Bill], staff) -> int:
    """
    Point each adopted or partially adopted comment at a change it led to: a
    changed or added article of the first later version dated after it; the
    one it commented on where that changed, the 淮海社区 quotes at the articles
    that took them up.
    """
    links: list[AdoptionLink] = []
    cache: dict = {}
    for bill in bills:
        versions = list(bill.versions.order_by("number"))
        by_pk = {v.pk: v for v in versions}
        adopted = (
            Comment.objects.filter(bill=bill, status__in=ADOPTING)
            .exclude(adoption_links__isnull=False)
            .values_list(
                "pk", "text", "article_id", "submitted_on", "consultation__version_id"
            )
            .order_by("pk")
        )
        for pk, text, article_id, day, version_id in adopted:
            old = by_pk[version_id]
            rows = _changes(old, _target(versions, old.number, day), cache)
            row = next((r for r in rows if r.old and r.old.key == article_id), None)
            if text in HUAIHAI_QUOTES:
                word = "儿童" if text == HUAIHAI_QUOTES[0] else "资金来源"
                row = next(r for r in rows if word in r.new.text)
            links.append(
                AdoptionLink(
                    comment_id=pk,
                    article_id=(row or rng.choice(rows)).new.key,
                    linked_by=staff,
                )
            )
    AdoptionLink.objects.bulk_create(links, batch_size=CHUNK)
    return len(links)


def check_adoptions() -> list[str]:
    """
    Return the adopted comments that point at no real change (empty if none):
    each needs an article of a later version of its bill, dated on or after the
    comment, changed or added there against the version commented on; and each
    consultation is on the version current at its date.
    """
    problems: list[str] = []
    cache: dict = {}
    linked = AdoptionLink.objects.select_related(
        "comment__consultation__version", "article__version"
    ).filter(article__isnull=False)
    seen = set()
    for link in linked.iterator(chunk_size=CHUNK):
        comment, article = link.comment, link.article
        old, new = comment.consultation.version, article.version
        where = comment.receipt_code
        if new.bill_id != comment.bill_id or new.number <= old.number:
            problems.append(f"{where}: not a later version of its bill")
        elif new.date < comment.submitted_on:
            problems.append(f"{where}: a version dated before the comment")
        elif article.pk not in {r.new.key for r in _changes(old, new, cache)}:
            problems.append(f"{where}: the article did not change")
        else:
            seen.add(comment.pk)
    for code in (
        Comment.objects.filter(status__in=ADOPTING)
        .exclude(pk__in=seen)
        .values_list("receipt_code", flat=True)
    ):
        problems.append(f"{code}: adopted without a change in the text")
    for c in Consultation.objects.select_related("version"):
        day = c.held_on or c.opens_on
        current = (
            DraftVersion.objects.filter(bill_id=c.bill_id, date__lte=day)
            .order_by("-number")
            .first()
        )
        if current != c.version:
            problems.append(f"{c.title}: not on the version current on {day}")
    return problems


# --- the whole ---------------------------------------------------------------------


def demo_bills() -> dict[str, Bill]:
    """Find the three 2024 demo bills by title; fail clearly if one is missing."""
    found = {b.title: b for b in Bill.objects.filter(title__in=BILLS.values())}
    missing = [title for title in BILLS.values() if title not in found]
    if missing:
        raise LookupError(
            f"The legislation demo must be seeded first; missing: {', '.join(missing)}"
        )
    return {key: found[title] for key, title in BILLS.items()}


@transaction.atomic
def seed_consultation(*, n_comments: int = DEMO_COMMENTS, seed: int = SEED) -> None:
    """
    Seed the consultation side of the demo; idempotent (a second run writes
    nothing). ``n_comments`` scales the comments for benchmarks.
    """
    rng = random.Random(seed)
    bills = demo_bills()
    staff = _user("staff", roles.LEGISLATIVE_STAFF)
    points = seed_points(rng)
    plans = plan_consultations(rng, bills, points)
    seed_consultations(plans, bills, points, staff)
    articles: dict[int, list[tuple[int, int]]] = {}
    for plan in plans:
        if plan.version.pk not in articles:
            articles[plan.version.pk] = list(
                plan.version.articles.order_by("position").values_list("pk", "number")
            )
    rows = generate_comments(rng, plans, n_comments, articles, adoptable_until(plans))
    write_comments(random.Random(seed + 1), rows, staff)
    link_adoptions(random.Random(seed + 2), bills.values(), staff)
    counters.recount([plan.consultation.pk for plan in plans])
    explain_undecided(bills.values())
    # Written in bulk above: grouped here, as an import's comments are.
    group_ungrouped(bill_ids=[bill.pk for bill in bills.values()])


# Why the demo's voted bills went to the vote with comments still undecided:
# the vote requires the reason, and the public reads it on those comments.
UNDECIDED_REASON = (
    "这部分意见在表决前不久送达，未及逐条研究；所涉问题已在统一审议中综合考虑，"
    "并转请实施部门在制定配套规定时研究。（演示文本）"
)


def explain_undecided(bills: Iterable[Bill]) -> None:
    """
    Give each voted demo bill's vote the reason its still pending comments were
    not decided first, with their number, as recording the vote requires (the
    demo writes the votes before the comments). Idempotent.
    """
    for bill in bills:
        vote = bill.votes.order_by("meeting__date", "pk").first()
        if vote is None:
            continue
        pending = Comment.objects.filter(bill=bill, status=Decision.PENDING).count()
        bill.votes.filter(pk=vote.pk).update(
            undecided_comments=pending,
            undecided_reason=UNDECIDED_REASON if pending else "",
        )


def check_invariants() -> list[str]:
    """
    Return the comments that break a rule the services enforce (empty if none):
    text, article in the consulted version, bill and point as the consultation's,
    reasons and explanations, duplicates, decision fields and history.
    """
    problems: list[str] = []
    for c in Comment.objects.select_related(
        "consultation", "article", "duplicate_of"
    ).iterator(chunk_size=CHUNK):
        where = c.receipt_code
        if not c.text or c.text != c.text.strip() or len(c.text) > 5000:
            problems.append(f"{where}: text")
        if c.article_id and c.article.version_id != c.consultation.version_id:
            problems.append(f"{where}: article of another version")
        if (c.bill_id, c.point_id) != (c.consultation.bill_id, c.consultation.point_id):
            problems.append(f"{where}: bill or point differs from its consultation")
        if (c.status in NEEDS_REASON) != bool(c.reason):
            problems.append(f"{where}: reason")
        if c.reason == Reason.OTHER and not c.explanation:
            problems.append(f"{where}: other reason without explanation")
        if (c.status == Decision.DUPLICATE) != (c.duplicate_of_id is not None):
            problems.append(f"{where}: duplicate_of")
        if c.duplicate_of_id and (
            c.duplicate_of.status == Decision.DUPLICATE
            or c.duplicate_of.bill_id != c.bill_id
        ):
            problems.append(f"{where}: duplicate of a duplicate or of another bill")
        if (c.status == Decision.PENDING) != (c.decided_at is None):
            problems.append(f"{where}: decided_at")
        if (c.decided_at is None) != (c.decided_by_id is None):
            problems.append(f"{where}: decided_by")
    return problems
