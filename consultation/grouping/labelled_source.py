"""
The source of the labelled set (``labelled.json``), written for the purpose.

Comments on one bill, an elevator safety regulation, each with its true
near-duplicate group and its true point. A POINT is an opinion on an article,
written in two or three wordings by different people (same point, different
words); each wording is then copied with the small edits of a campaign or a
form letter (a greeting, a signature, punctuation, a word added or swapped),
which makes its near-duplicate group. The hard negatives are written beside
them: on the same article the opposite opinion, and one template with
different demands (a long shared frame, a different request inside it), each
its own point. ``python -m consultation.grouping.labelled_source`` writes the
JSON; the quality command reads only the JSON.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

# (key, article number, wordings). Keys ending in "_opp" are the opposite of
# the key before them: same article, contrary opinion.
POINTS: list[tuple[str, int, list[str]]] = [
    (
        "maint_fortnight",
        12,
        [
            "建议明确电梯维护保养单位每半个月至少对电梯进行一次清洁、润滑、调整和检查，并如实填写维保记录。",
            "维保频次应当写进条例，电梯每十五天必须保养一次，保养情况要有书面记录备查。",
            "第十二条只说定期维护保养，太笼统了，应该规定半月一次的最低保养频率。",
        ],
    ),
    (
        "maint_fortnight_opp",
        12,
        [
            "不赞成在条例中硬性规定半月一次的保养频次，应允许按照电梯实际运行状况实行按需维保，减轻小区负担。",
            "统一要求每半月保养一次并不科学，新电梯和使用少的电梯完全可以延长保养周期，建议删去固定频次的规定。",
        ],
    ),
    (
        "fee_property",
        18,
        [
            "电梯日常维护保养费用应由物业服务企业从物业费中列支，不得另行向业主收取。",
            "物业公司已经收了物业费，就不应该再单独向住户收电梯保养的钱，条例要写清楚。",
            "建议第十八条规定电梯维保费用包含在物业服务费中，禁止物业企业重复收费。",
        ],
    ),
    (
        "fee_property_opp",
        18,
        [
            "电梯维保费用应当由全体业主按照专有部分面积比例分摊，单独列支，不宜全部包含在物业费里，否则物业企业没有积极性。",
            "建议维保费用单独核算、由业主共同承担，并每年公示收支情况，而不是笼统地放进物业费。",
        ],
    ),
    (
        "trapped_30min",
        23,
        [
            "电梯困人后，维保单位救援人员应当在三十分钟内到达现场，条例应当把这个时限写明确。",
            "建议规定发生困人故障时救援人员到场时间不得超过半小时，超时要追究维保单位责任。",
            "被困电梯里等了一个多小时才有人来，希望条例明确规定接到报警后三十分钟内必须赶到。",
        ],
    ),
    (
        "trapped_15min",
        23,
        [
            "中心城区电梯困人救援到场时限应当缩短为十五分钟，偏远县城可以放宽，建议分区域规定到场时间。",
            "三十分钟对被困的老人和孩子来说太长了，城区应当要求十五分钟内到达，并配备就近的应急救援站点。",
        ],
    ),
    (
        "old_elevator_fund",
        30,
        [
            "建议设立老旧电梯更新改造专项资金，对使用超过十五年的住宅电梯更新给予财政补贴。",
            "很多老小区电梯用了快二十年，业主拿不出钱换，政府应当拿出专项资金补助老旧电梯改造。",
            "第三十条应当增加财政支持条款，对老旧住宅电梯的大修、更新改造按比例给予补助。",
        ],
    ),
    (
        "old_elevator_fund_opp",
        30,
        [
            "电梯是业主的共有财产，更新改造费用应当由业主使用住宅专项维修资金解决，不应动用财政资金补贴个别小区。",
            "不同意用财政资金补贴老旧电梯改造，这对没有电梯的居民不公平，应当由业主自己负担。",
        ],
    ),
    (
        "camera_car",
        25,
        [
            "建议要求住宅电梯轿厢内安装视频监控和电动自行车识别阻止装置，禁止电动自行车进入电梯。",
            "电动车进电梯上楼充电非常危险，条例应当规定电梯必须加装电瓶车阻车系统。",
            "第二十五条应当明确禁止携带电动自行车及其电池乘坐电梯，并推广安装智能识别装置。",
        ],
    ),
    (
        "insurance",
        27,
        [
            "鼓励电梯使用单位投保电梯安全责任保险，发生事故后受害人能够及时得到赔偿。",
            "建议推行电梯责任险，由保险公司参与事故理赔和风险评估，减轻业主和物业的赔偿压力。",
        ],
    ),
    (
        "insurance_opp",
        27,
        [
            "不宜在条例中推行电梯责任保险，保费最终会转嫁到业主身上，增加群众负担，建议删去该条。",
            "电梯保险的事由市场决定就行，地方性法规不应当鼓励或者变相强制投保，建议删除第二十七条。",
        ],
    ),
    (
        "sign_public",
        15,
        [
            "电梯使用标志、维保单位名称和应急救援电话应当张贴在轿厢内显著位置，方便乘客查看和报警。",
            "轿厢里要贴出维保公司和救援电话，出了事乘客才知道打给谁，建议第十五条写上公示要求。",
        ],
    ),
    (
        "inspection_notice",
        20,
        [
            "电梯定期检验前，使用单位应当提前三日在小区公告栏告知业主停梯时间，避免影响老人出行。",
            "检验停梯前要提前通知住户，最好提前三天贴出通知，让行动不便的人有所准备。",
        ],
    ),
    (
        "accessible",
        33,
        [
            "既有住宅加装电梯的审批程序过于繁琐，建议简化规划和施工许可手续，实行一站式办理。",
            "老楼加装电梯要跑好几个部门盖章，希望条例规定联合审批、限时办结，方便群众。",
            "第三十三条应当明确加装电梯审批由一个窗口受理，相关部门并联审查，缩短办理时间。",
        ],
    ),
    (
        "accessible_consent",
        33,
        [
            "加装电梯需要本单元全体业主同意的要求过高，一两户不同意就加不成，建议改为三分之二以上业主同意即可。",
            "建议降低加装电梯的业主表决门槛，按照民法典的规定由参与表决的业主多数同意就可以实施。",
        ],
    ),
    (
        "accessible_consent_opp",
        33,
        [
            "低层住户因加装电梯受到采光和噪音影响，条例应当保留全体业主同意的要求，保护低楼层业主的合法权益。",
            "不能只看多数人的意见，一楼二楼的住户利益受损，应当先协商补偿，取得他们同意后才能加装电梯。",
        ],
    ),
    (
        "penalty_raise",
        40,
        [
            "第四十条对维保单位弄虚作假的罚款数额偏低，建议将罚款上限提高到十万元，增强威慑力。",
            "维保单位伪造保养记录的，处罚太轻了，罚几千块根本不起作用，应当大幅提高罚款金额。",
        ],
    ),
    (
        "penalty_raise_opp",
        40,
        [
            "第四十条的罚款已经高于上位法规定的幅度，地方性法规不得突破，建议按照特种设备安全法的规定调整罚款数额。",
            "罚款过重会把小型维保企业挤出市场，建议第四十条降低罚款标准，以教育整改为主。",
        ],
    ),
    (
        "training",
        36,
        [
            "建议加强电梯安全管理人员和维保人员的培训考核，每年至少组织一次应急救援演练。",
            "物业的电梯管理员很多不懂技术，应当规定定期培训并持证上岗，每年搞一次困人救援演练。",
        ],
    ),
    (
        "school_kids",
        38,
        [
            "建议将电梯安全知识纳入中小学安全教育内容，教育孩子正确乘梯，不在电梯内打闹蹦跳。",
            "学校应当给学生上电梯安全课，很多小孩在电梯里跳、扒门，非常危险。",
        ],
    ),
]

# One frame, different demands: each a point of its own (the hard negative of
# a campaign letter whose request is changed).
FRAME = (
    "尊敬的市人大常委会：我们是潞州区英雄南路某小区的业主，小区共有电梯十二部，"
    "多数已运行十年以上，近年来故障频发。针对电梯安全管理条例草案第{n}条，"
    "我们提出如下意见：{demand}以上意见恳请予以采纳。"
)
FRAME_DEMANDS: list[tuple[str, int, str]] = [
    ("frame_meter", 18, "建议电梯用电单独装表计量，电费按户分摊并每季度公示。"),
    (
        "frame_fund",
        30,
        "建议允许直接提取住宅专项维修资金用于电梯应急维修，免于业主表决。",
    ),
    (
        "frame_owner",
        10,
        "建议明确小区电梯的安全责任主体是物业服务企业而不是业主委员会。",
    ),
    ("frame_noise", 33, "建议规定夜间十点以后禁止进行电梯维修施工作业，保障居民休息。"),
]

# The corpus's own generic forms (consultation/demo/corpus.py), on one article:
# one frame, opposite demands.
GENERIC: list[tuple[str, int, str]] = [
    (
        "generic_must",
        21,
        "建议将第二十一条中的“可以”修改为“应当”，增强规定的刚性约束。",
    ),
    (
        "generic_may",
        21,
        "建议将第二十一条中的“应当”修改为“可以”，给基层留出一定的工作空间。",
    ),
]

GREETINGS = [
    "",
    "各位领导好！",
    "尊敬的市人大常委会：",
    "您好，",
    "我是一名普通市民，",
    "我是淮海社区居民。",
]
SIGN_OFFS = [
    "",
    "谢谢！",
    "以上建议，请予考虑。",
    "——延安南路街道居民",
    "此致敬礼！",
    "望采纳，谢谢。",
]
SWAPS = [
    ("建议", "希望"),
    ("应当", "应该"),
    ("明确", "规定"),
    ("条例", "法规"),
    ("非常", "十分"),
    ("不得", "不能"),
]
FILLERS = ["我认为", "个人觉得", "强烈", "确实"]


def _variant(text: str, rng: random.Random) -> str:
    """A copy of ``text`` with the small edits a copied campaign text gets."""
    edits = rng.sample(
        ["greet", "sign", "punct", "swap", "filler"], k=rng.randint(1, 3)
    )
    if "swap" in edits:
        old, new = rng.choice([s for s in SWAPS if s[0] in text] or [("", "")])
        if old:
            text = text.replace(old, new, 1)
    if "filler" in edits:
        cut = text.find("，")
        if cut > 0:
            text = text[: cut + 1] + rng.choice(FILLERS) + text[cut + 1 :]
    if "punct" in edits:
        text = rng.choice(
            [
                text.replace("，", ", ").replace("。", ". "),
                text.replace("，", " "),
                text.replace("。", "！"),
                text.rstrip("。"),
            ]
        )
    if "greet" in edits:
        text = rng.choice(GREETINGS[1:]) + text
    if "sign" in edits:
        text = text + rng.choice(SIGN_OFFS[1:])
    return text


def build(seed: int = 18) -> list[dict]:
    """Return the labelled comments: id, article, text, dup (group) and point."""
    rng = random.Random(seed)
    rows: list[dict] = []

    def add(text: str, article: int, dup: str, point: str) -> None:
        rows.append({"article": article, "text": text, "dup": dup, "point": point})

    for key, article, wordings in POINTS:
        for w, wording in enumerate(wordings):
            dup = f"{key}/{w}"
            add(wording, article, dup, key)
            for _ in range(rng.randint(2, 6)):
                add(_variant(wording, rng), article, dup, key)
    for key, article, demand in FRAME_DEMANDS:
        text = FRAME.format(n=article, demand=demand)
        add(text, article, key, key)
        for _ in range(rng.randint(2, 5)):
            add(_variant(text, rng), article, key, key)
    for key, article, text in GENERIC:
        add(text, article, key, key)
        for _ in range(rng.randint(2, 4)):
            add(_variant(text, rng), article, key, key)
    rng.shuffle(rows)
    for i, row in enumerate(rows, start=1):
        row["id"] = i
    return [{"id": r["id"], **{k: v for k, v in r.items() if k != "id"}} for r in rows]


LABELLED = Path(__file__).with_name("labelled.json")


if __name__ == "__main__":
    data = build()
    LABELLED.write_text(
        json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"{len(data)} comments written to {LABELLED.name}")
