"""String nearness: BC's "Record Match Mgt." algorithm and a fuzzy name similarity.

``bc_nearness`` ports CalculateStringNearness: uppercase both strings; repeatedly take
the longest common substring; while it is at least ``threshold`` characters long add
its length to the total and delete its first occurrence from both strings.
Result = 100 * total div length of the shorter original string.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from core.matching.normalize import name_key

NAME_THRESHOLD = 95  # BC: nearness >= 95 -> related party "Partially"


def longest_common_substring(a: str, b: str, min_len: int = 1) -> str:
    """Longest common substring of ``a`` and ``b``; leftmost in the shorter on ties.

    Returns '' when no common substring of at least ``min_len`` characters exists.
    Scans lengths from long to short and uses C-level ``in`` for each probe.
    """
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    for length in range(len(short), max(min_len, 1) - 1, -1):
        for start in range(len(short) - length + 1):
            piece = short[start:start + length]
            if piece in long_:
                return piece
    return ""


def bc_nearness(first: str, second: str, threshold: int = 4, factor: int = 100) -> int:
    """BC CalculateStringNearness (integer, 0..factor)."""
    first, second = first.upper(), second.upper()
    min_len = min(len(first), len(second)) or 1
    total = 0
    piece = longest_common_substring(first, second, threshold)
    while len(piece) >= threshold and len(piece) > 1:
        total += len(piece)
        first = first.replace(piece, "", 1)
        second = second.replace(piece, "", 1)
        piece = longest_common_substring(first, second, threshold)
    return factor * total // min_len


def bc_name_nearness(name: str, text: str, need: int = 0) -> int:
    """BC related-party name test: 0 if text < 0.65 x name, else nearness.

    With ``need`` > 0, 0 is returned without running the (slow) nearness when it
    provably stays below ``need``: every character the algorithm counts is removed from
    both strings, so the total is at most the size of the common character multiset.
    """
    text = text.strip()
    if not name or len(text) < 0.65 * len(name):
        return 0
    upper_name, upper_text = name.upper(), text.upper()
    if upper_name in upper_text or upper_text in upper_name:
        return 100  # fast path: whole shorter string is one common substring
    if need:
        shorter = min(len(upper_name), len(upper_text)) or 1
        required = -(-need * shorter // 100)  # ceil: common characters needed
        if _common_chars(upper_name, upper_text, required) < required:
            return 0
    return bc_nearness(name, text)


@lru_cache(maxsize=65536)
def _sorted_chars(text: str) -> str:
    return "".join(sorted(text))


def _common_chars(a: str, b: str, cutoff: int = 0) -> int:
    """Size of the common character multiset of ``a`` and ``b`` (0 when below
    ``cutoff``): the longest common subsequence of the two strings sorted."""
    return int(LCSseq.similarity(_sorted_chars(a), _sorted_chars(b), score_cutoff=cutoff))


def exact_with_permutations(name: str, text: str) -> bool:
    """BC "Exact Match with Permutations": name, or name with first word moved last."""
    upper_text, upper_name = text.upper(), name.upper().strip()
    if not upper_name:
        return False
    if upper_name in upper_text:
        return True
    parts = upper_name.split(" ", 1)
    return len(parts) == 2 and f"{parts[1]} {parts[0]}" in upper_text


@dataclass(frozen=True, slots=True)
class NameScore:
    """How well a statement name/text matches a party name."""

    bc: int  # BC string nearness 0..100
    fuzzy: int  # normalised similarity 0..100 (legal forms, accents, punctuation)

    @property
    def best(self) -> int:
        return max(self.bc, self.fuzzy)


def fuzzy_name_similarity(party_name: str, stated: str, is_name: bool,
                          cutoff: int = 0) -> int:
    """Similarity after normalising legal forms, accents and punctuation.

    ``is_name``: the statement gave a related-party name (compare whole names, order
    insensitive); otherwise ``stated`` is free text and the party name must appear in it.
    With ``cutoff``, any similarity below it is returned as 0 (faster: rapidfuzz skips
    pairs whose lengths alone rule the cutoff out).
    """
    return fuzzy_key_similarity(name_key(party_name), name_key(stated), is_name, cutoff)


def fuzzy_key_similarity(a: str, b: str, is_name: bool, cutoff: int = 0) -> int:
    """``fuzzy_name_similarity`` on names already normalised by ``name_key``."""
    if not a or not b:
        return 0
    if is_name:
        return int(max(fuzz.ratio(a, b, score_cutoff=cutoff),
                       fuzz.token_sort_ratio(a, b, score_cutoff=cutoff)))
    if len(a) < 5:
        return 100 if f" {a} " in f" {b} " else 0
    return int(fuzz.partial_ratio(a, b, score_cutoff=cutoff))
