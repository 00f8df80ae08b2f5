"""
Comparison benchmark: ``python -m bench.comparison [--rounds 5]``.

Times the comparison of two versions (``comparison.align`` as when a version is
saved, then ``comparison.compare`` as for every comparison page and API
request) for the pathological cases of issue 17 — one article of 100,000
characters, 99.4 % identical between the versions, alone and among 60 ordinary
articles; an article split in two — and reports each as a ratio to a baseline
measured in the same run: the comparison of two ordinary 60-article versions
with a dozen articles changed. Medians of ``--rounds`` runs. No database.

The "kept" column times what a repeated request does instead (see
selectors.compare_versions): the fingerprint of the inputs, and the kept table
read back from its JSON (the database's read of the row itself not included).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable

PHRASES = (
    "市人民政府 区人民政府 市场监督管理部门 使用单位 维护保养单位 应当 建立健全 "
    "安全管理制度 组织开展 监督检查 制定 应急救援预案 公开相关信息 接受社会监督 "
    "配备 专职管理人员 宣传教育 培训 投诉举报 水库 保护范围 禁止 依法 处罚"
).split()


def text(characters: int, seed: int) -> str:
    chooser = random.Random(seed)
    parts: list[str] = []
    length = 0
    while length < characters:
        words = [chooser.choice(PHRASES) for _ in range(chooser.randint(6, 18))]
        part = "".join(words) + chooser.choice("，；。")
        parts.append(part)
        length += len(part)
    return "".join(parts)


def amended(original: str, share: float, seed: int) -> str:
    chooser = random.Random(seed)
    return "。".join(
        p + "并报告" if chooser.random() < share else p for p in original.split("。")
    )


_NO_STOPS = str.maketrans("，；。", "的和与")


def cases() -> dict[str, tuple[list, list]]:
    from legislation.comparison import Side

    def sides(texts: list[str], version: str) -> list[Side]:
        return [Side((version, n), n, t) for n, t in enumerate(texts, start=1)]

    ordinary = [text(160, seed) for seed in range(60)]
    revised = [amended(t, 0.5, n) if n % 5 == 0 else t for n, t in enumerate(ordinary)]
    long_old = text(100_000, 1000)
    long_new = amended(long_old, 0.6, 1001)
    first, second = text(400, 2000), text(400, 2001)
    return {
        "baseline: 60 articles, 12 changed": (
            sides(ordinary, "a"),
            sides(revised, "b"),
        ),
        "one 100,000-character article, 99.4 % identical": (
            sides([long_old], "a"),
            sides([long_new], "b"),
        ),
        "the same among 60 articles": (
            sides([*ordinary, long_old], "a"),
            sides([*revised, long_new], "b"),
        ),
        "one 100,000-character article rewritten throughout": (
            sides([long_old], "a"),
            sides([text(100_000, 1002)], "b"),
        ),
        "100,000 characters without punctuation, one insertion": (
            sides([long_old.translate(_NO_STOPS)], "a"),
            sides([("插入" + long_old).translate(_NO_STOPS)], "b"),
        ),
        "an article split in two, among 60": (
            sides([*ordinary, first + second], "a"),
            sides([*ordinary, first, second], "b"),
        ),
    }


def timed(run: Callable[[], object], rounds: int) -> float:
    from legislation import textdiff
    from legislation.comparison import _canonical

    times = []
    for _ in range(rounds):
        _canonical.cache_clear()  # each round starts cold, as a new request
        textdiff._spans.cache_clear()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from legislation.comparison import (
        align,
        compare,
        fingerprint,
        rows_from_data,
        rows_to_data,
    )

    results = {}
    kept = {}
    for name, (old, new) in cases().items():
        results[name] = timed(
            lambda o=old, n=new: compare(o, n, align(o, n)), args.rounds
        )
        pairs = align(old, new)
        stored = json.dumps(rows_to_data(compare(old, new, pairs)))

        def read_back(o=old, n=new, p=pairs, s=stored) -> None:
            fingerprint(o, n, p)
            rows_from_data(json.loads(s))

        kept[name] = timed(read_back, args.rounds)
    baseline = next(iter(results.values()))
    print(f"{'case':56} {'median s':>9} {'ratio':>7} {'kept s':>8}")
    for name, seconds in results.items():
        print(f"{name:56} {seconds:9.3f} {seconds / baseline:7.1f} {kept[name]:8.4f}")


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "npc.test_settings")
    django.setup()
    main()
