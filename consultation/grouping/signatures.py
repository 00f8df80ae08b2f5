"""
What makes two comments near-duplicates: MinHash signatures over jieba words.

A comment's text is cut into words by jieba (rjieba, as the search column is,
:mod:`consultation.search`), punctuation and spaces dropped, and its shingles are
the words and the pairs of neighbouring words, less STOP_WORDS: function words
and the formulas of a letter (greetings, thanks, "please adopt"), in which copies
of one text differ most and which say nothing of its content. A MinHash signature (datasketch,
NUM_PERM 32-bit values) estimates the Jaccard similarity of two comments'
shingle sets: the share of positions where their signatures agree. Two comments
whose estimate reaches THRESHOLD are near-duplicates.

To find a comment's near-duplicates without comparing it with every other
comment, the first BANDS × ROWS values of the signature are cut into BANDS bands
(locality-sensitive hashing); each band hashes, with the bill, to one 63-bit key.
Comments with the same text up to small edits share at least one key with high
probability (at similarity 0.7: 0.92; at 0.8: 0.99), unrelated comments almost
never (at 0.1: 1 in 1,000 per band). Keys are stored for each group's
representative, so grouping a new comment reads the keys and signatures of a
few groups, never another comment's text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence

import numpy as np
import rjieba
from datasketch import MinHash

NUM_PERM = 64
BANDS = 10
ROWS = 4
# Estimated Jaccard similarity of shingle sets from which two comments are
# near-duplicates (tuned on the labelled set, consultation/grouping/labelled.json).
THRESHOLD = 0.56
SEED = 18

STOP_WORDS = frozenset(
    "的 地 得 了 着 和 与 及 或 是 在 对 把 被 就 也 都 还 我 我们 你 您 您好 好 "
    "各位 领导 尊敬 谢谢 感谢 此致 敬礼 以上 请 请予 予以 考虑 望 恳请 采纳 "
    "个人 觉得 认为 确实 强烈 一名 普通".split()
)

# Words: runs of Chinese characters, letters and digits (jieba's blocks, less
# the punctuation jieba keeps inside them).
_BLOCK = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9]+")

# The permutations of every signature, drawn once (datasketch draws them per
# MinHash object otherwise, the larger part of its cost).
# The scheme is named: stored signatures stay comparable whatever the default of
# a later datasketch.
SCHEME = "affine32"
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)


def words(text: str) -> list[str]:
    """Return the words of ``text`` (jieba's precise mode, lower case)."""
    result: list[str] = []
    for block in _BLOCK.findall(text or ""):
        result.extend(w.lower() for w in rjieba.cut(block, False) if w.strip())
    return result


def shingles(text: str) -> set[bytes]:
    """Return the shingles of ``text``: its words and pairs of neighbouring words."""
    ws = [w for w in words(text) if w not in STOP_WORDS]
    found = {w.encode() for w in ws}
    found.update(f"{a} {b}".encode() for a, b in zip(ws, ws[1:], strict=False))
    return found


def signature(text: str) -> bytes:
    """Return the MinHash signature of ``text``: NUM_PERM 32-bit values, as bytes."""
    found = shingles(text)
    mh = MinHash(
        num_perm=NUM_PERM,
        seed=SEED,
        permutations=_TEMPLATE.permutations,
        scheme=SCHEME,
    )
    if found:
        mh.update_batch(list(found))
    return mh.hashvalues.astype("<u4").tobytes()


def signatures(texts: Iterable[str]) -> list[bytes]:
    """Return the signatures of ``texts``, in order."""
    return [signature(t) for t in texts]


def as_array(sig: bytes) -> np.ndarray:
    return np.frombuffer(sig, dtype="<u4")


def similarity(a: bytes | np.ndarray, b: bytes | np.ndarray) -> float:
    """Estimate the Jaccard similarity of two comments from their signatures."""
    x = a if isinstance(a, np.ndarray) else as_array(a)
    y = b if isinstance(b, np.ndarray) else as_array(b)
    return float(np.count_nonzero(x == y)) / NUM_PERM


def band_keys(sig: bytes, bill_id: int) -> list[int]:
    """
    Return the BANDS locality-sensitive keys of a signature within ``bill_id``'s
    comments: signed 63-bit integers (a bigint column), one per band.
    """
    step = ROWS * 4
    prefix = int(bill_id).to_bytes(8, "little")
    keys = []
    for band in range(BANDS):
        chunk = sig[band * step : (band + 1) * step]
        digest = hashlib.blake2b(
            chunk, digest_size=8, key=prefix, person=band.to_bytes(2, "little")
        ).digest()
        keys.append(int.from_bytes(digest, "little") >> 1)
    return keys


def best_match(
    sig: bytes, candidates: Sequence[tuple[int, bytes]]
) -> tuple[int | None, float]:
    """
    Return the candidate (id, signature) most similar to ``sig`` if it reaches
    THRESHOLD, and its similarity; (None, best similarity) otherwise. Ties go
    to the smaller id, so the outcome does not depend on the candidates' order.
    """
    mine = as_array(sig)
    best_id, best = None, 0.0
    for cid, other in sorted(candidates):
        score = similarity(mine, other)
        if score > best:
            best_id, best = cid, score
    if best >= THRESHOLD:
        return best_id, best
    return None, best
