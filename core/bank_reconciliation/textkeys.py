"""Text evidence for bank reconciliation: check numbers, reference anchors, nearness.

Banks print checks in many forms ("CHQ 0001234", "CHEQUE N 1234", "Check #1234",
"CHK NO. 1234", "Scheck Nr. 1234"); ``check_number`` reads the number (leading zeros
dropped). ``anchors`` are the digit runs of at least four digits of a reference: the
matcher indexes entries by them so a line's text finds the entries whose document
no. or external document no. it names without comparing every pair.
``text_score`` is BC's text test of §6 (string nearness with threshold 4 on the
entry's document no., external document no. and description against the line's
texts; "matched" at 80 or more), with a found reference scoring 100.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from core.matching.docno import bc_doc_found
from core.matching.nearness import bc_nearness

MATCHED = 80  # BC: nearness >= 80 counts as a text match
MIN_ANCHOR = 4
_CHECK = re.compile(
    r"\b(?:CHQ|CHEQUE|CHEQ|CHECK|CHECQUE|CHK|SCHECK)\b\.?\s*"
    r"(?:N(?:O\b|°|º|\b)\.?|NR\b\.?|NUM(?:BER)?\b\.?|#)?\s*[:#]?\s*(\d{1,12})\b", re.IGNORECASE)
_DIGITS = re.compile(r"\d{4,}")  # MIN_ANCHOR digits or more
_NON_ALNUM = re.compile(r"[^0-9A-Z]+")


def check_number(text: str) -> str:
    """The check number printed in ``text`` ('' when none), without leading zeros."""
    m = _CHECK.search(text or "")
    if m is None:
        return ""
    return m.group(1).lstrip("0") or "0"


def norm_check(no: str) -> str:
    """A stored check number in the form ``check_number`` returns."""
    digits = "".join(ch for ch in no if ch.isdigit())
    return (digits.lstrip("0") or "0") if digits else no.strip().upper()


def compact(text: str) -> str:
    """Upper-case letters and digits only ("INV-2026/0012" -> "INV20260012")."""
    return _NON_ALNUM.sub("", text.upper())


def anchors(text: str) -> set[str]:
    """The digit runs of four or more digits in ``text``, leading zeros dropped."""
    return {d.lstrip("0") or "0" for d in _DIGITS.findall(text or "")}


def reference_found(ref: str, line_text: str, line_compact: str) -> bool:
    """``ref`` (a document no.) named in the line: BC's whole-word test, or the same
    letters and digits with the separators the bank dropped or added."""
    if len(ref.strip()) < MIN_ANCHOR:
        return False
    if bc_doc_found(ref, line_text):
        return True
    key = compact(ref)
    return len(key) >= 6 and any(ch.isdigit() for ch in key) and key in line_compact


def text_score(entry_texts: Iterable[str], line_texts: Iterable[str]) -> int:
    """BC's best nearness of the entry's texts against the line's texts (0..100)."""
    best = 0
    lines = [t for t in line_texts if t]
    for et in entry_texts:
        if len(et) < MIN_ANCHOR:
            continue
        for lt in lines:
            score = bc_nearness(et, lt)
            if score > best:
                best = score
                if best >= 100:
                    return 100
    return best
