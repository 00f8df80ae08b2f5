"""
The demo roster of the 15th Standing Committee and who attended a few meetings.

The names are made up for the demo and say so in each member's note (演示姓名),
which the public meeting page shows under the names. Attendance is recorded,
through the service, for the meetings that voted and one more, with at least as
many present as the largest tally there; a meeting whose attendance is recorded
is left as it is, so running the seed again changes nothing.
"""

from __future__ import annotations

from legislation import services
from legislation.models import Attendance, CommitteeMember, Meeting

DEMO_NOTE = "演示姓名，非真实人员"

_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏"
_GIVEN = (
    "建国", "秀兰", "志强", "丽华", "海涛", "晓燕", "文斌", "春梅", "国庆", "玉珍",
    "永红", "建华", "淑芬", "卫东", "红霞", "学军", "桂英", "振华", "美玲", "立新",
    "慧敏", "德明", "素琴", "伟光", "凤英", "长青", "雪莲", "宏伟", "静怡", "明远",
    "瑞芳", "胜利", "丽娟", "光辉", "玉兰", "新民", "晓东", "彩霞", "永福", "翠萍",
    "金生", "亚平", "志刚", "秋菊", "家宝",
)  # fmt: skip

# Who attended, by meeting number: (on leave, absent), by roster position.
ATTENDANCE: dict[int, tuple[tuple[int, ...], tuple[int, ...]]] = {
    20: ((12, 30), ()),
    22: ((8, 19, 41), ()),
    23: ((5, 17, 26, 38), (44,)),
}


def roster_names(size: int) -> list[str]:
    """``size`` distinct made-up names, the same on every run."""
    return [
        _SURNAMES[i % len(_SURNAMES)] + _GIVEN[i % len(_GIVEN)] for i in range(size)
    ]


def _position(index: int) -> str:
    if index == 0:
        return CommitteeMember.Position.CHAIR
    if index <= 5:
        return CommitteeMember.Position.VICE_CHAIR
    if index == 6:
        return CommitteeMember.Position.SECRETARY_GENERAL
    return CommitteeMember.Position.MEMBER


def seed_roster(term: int, size: int) -> list[CommitteeMember]:
    """Create (or leave as they are) the term's ``size`` members."""
    return [
        CommitteeMember.objects.get_or_create(
            term=term,
            name=name,
            defaults={"position": _position(i), "order": i + 1, "note": DEMO_NOTE},
        )[0]
        for i, name in enumerate(roster_names(size))
    ]


def seed_attendance(
    meetings: dict[int, Meeting], roster: list[CommitteeMember]
) -> None:
    """Record attendance at the meetings of ``ATTENDANCE`` that have none yet."""
    for number, (on_leave, absent) in ATTENDANCE.items():
        meeting = meetings.get(number)
        if meeting is None or meeting.attendance.exists():
            continue
        statuses = {member.pk: Attendance.Status.PRESENT for member in roster}
        for index in on_leave:
            statuses[roster[index].pk] = Attendance.Status.ON_LEAVE
        for index in absent:
            statuses[roster[index].pk] = Attendance.Status.ABSENT
        services.record_attendance(meeting=meeting, by=None, statuses=statuses)
