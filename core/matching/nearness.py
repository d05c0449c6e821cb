"""String nearness: BC's "Record Match Mgt." algorithm and a fuzzy name similarity.

``bc_nearness`` ports CalculateStringNearness: uppercase both strings; repeatedly take
the longest common substring; while it is at least ``threshold`` characters long add
its length to the total and delete its first occurrence from both strings.
Result = 100 * total div length of the shorter original string.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

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


def bc_name_nearness(name: str, text: str) -> int:
    """BC related-party name test: 0 if text < 0.65 x name, else nearness."""
    text = text.strip()
    if not name or len(text) < 0.65 * len(name):
        return 0
    upper_name, upper_text = name.upper(), text.upper()
    if upper_name in upper_text or upper_text in upper_name:
        return 100  # fast path: whole shorter string is one common substring
    return bc_nearness(name, text)


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


def fuzzy_name_similarity(party_name: str, stated: str, is_name: bool) -> int:
    """Similarity after normalising legal forms, accents and punctuation.

    ``is_name``: the statement gave a related-party name (compare whole names, order
    insensitive); otherwise ``stated`` is free text and the party name must appear in it.
    """
    a, b = name_key(party_name), name_key(stated)
    if not a or not b:
        return 0
    if is_name:
        return int(max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b)))
    if len(a) < 5:
        return 100 if f" {a} " in f" {b} " else 0
    return int(fuzz.partial_ratio(a, b))
