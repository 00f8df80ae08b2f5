"""
Same-point suggestions: groups on one article that may make the same point in
other words. Suggestions only; a person decides.

The measure is the cosine similarity of the groups' representatives' content
words, each weighted by its inverse document frequency among the groups
compared (TF-IDF). Words every comment on the article uses (电梯, 条例, the
article's subject) weigh little; the words that carry the point (半月, 保养,
物业费, 补贴) weigh most. Two further rules keep it precise:

* a pair is suggested only from SAME_POINT similarity, well above what two
  unrelated comments on one article reach, and only if the two share at least
  MIN_SHARED content words;
* two comments asking for different quantities (三十分钟 against 十五分钟,
  每半月 against 每月) ask for different things, however alike their words: a
  pair whose quantities are both given and share none is not suggested;
* opposite opinions on one article share most of their words ("应当半月保养一
  次" against "不赞成半月保养一次"): a comment that objects (OBJECTION_MARKERS)
  is never suggested with one that does not.

Why not an embedding model: the small multilingual sentence models on PyPI
download their weights at first use, or ship them as a few hundred megabytes
the app would have to carry; the measure here needs no model, runs in
microseconds per pair and can be read and argued about. It finds the same point
when the wordings share their key words, and misses paraphrases that share
none: its recall is low by design (reported by ``grouping_quality``), its
precision is what the staff rely on.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from itertools import combinations

from .signatures import STOP_WORDS, words

SAME_POINT = 0.22
MIN_SHARED = 3

# Words that object to what the draft or another comment proposes.
OBJECTION_MARKERS = (
    "不赞成",
    "不同意",
    "反对",
    "不宜",
    "不应当在",
    "不科学",
    "删去",
    "删除",
    "降低",
    "不能只",
    "不得突破",
)

_QUANTITY = re.compile(
    r"[零一二两三四五六七八九十百千万半\d]+个?(?:分钟|小时|天|日|周|月|年|元|万元|次|倍|%)"
)


def quantities(text: str) -> frozenset[str]:
    """The quantities ``text`` asks for (三十分钟, 半个月, 十万元)."""
    return frozenset(q.replace("个", "") for q in _QUANTITY.findall(text))


# Too general to carry a point on any article of any bill.
_GENERAL = frozenset(
    "建议 希望 应当 应该 规定 明确 条例 法规 草案 第 条 款 一 要 可以 进行 "
    "相关 有关 问题 情况 工作 方面 进一步 加强".split()
)


def content_words(text: str) -> list[str]:
    """The words of ``text`` that may carry its point."""
    return [
        w
        for w in words(text)
        if w not in STOP_WORDS and w not in _GENERAL and (len(w) > 1 or w.isdigit())
    ]


def objects(text: str) -> bool:
    """Whether ``text`` objects to something (see OBJECTION_MARKERS)."""
    return any(marker in text for marker in OBJECTION_MARKERS)


def suggest(
    items: Sequence[tuple[int, int | None, str]],
    *,
    threshold: float = SAME_POINT,
) -> list[tuple[int, int, float]]:
    """
    Return pairs (a, b, similarity), a < b, of ``items`` (id, article id, text:
    a bill's groups' representatives) on the same article that may make the
    same point, most similar first. The words' weights come from all of
    ``items``: a word the whole bill uses (电梯) carries no point on any article.
    """
    bags = {i: Counter(content_words(t)) for i, _a, t in items}
    stance = {i: objects(t) for i, _a, t in items}
    amounts = {i: quantities(t) for i, _a, t in items}
    df: Counter[str] = Counter()
    for bag in bags.values():
        df.update(bag.keys())
    n = len(items)
    idf = {w: math.log((1 + n) / (1 + c)) + 1 for w, c in df.items()}
    vectors = {}
    for i, bag in bags.items():
        vec = {w: c * idf[w] for w, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors[i] = {w: v / norm for w, v in vec.items()}
    by_article: dict[int | None, list[int]] = {}
    for i, article, _t in items:
        by_article.setdefault(article, []).append(i)
    pairs = []
    for ids in by_article.values():
        for a, b in combinations(sorted(ids), 2):
            if stance[a] != stance[b]:
                continue
            if amounts[a] and amounts[b] and not amounts[a] & amounts[b]:
                continue
            va, vb = vectors[a], vectors[b]
            shared = va.keys() & vb.keys()
            if len(shared) < MIN_SHARED:
                continue
            score = sum(va[w] * vb[w] for w in shared)
            if score >= threshold:
                pairs.append((a, b, round(score, 3)))
    pairs.sort(key=lambda p: (-p[2], p[0], p[1]))
    return pairs
