"""Document numbers in remittance text: BC's whole-token rule and tolerant forms.

BC rule (``bc_doc_found``): the document number, at least 4 characters long, occurs in
UPPER(text) and the characters right before and after its FIRST occurrence are not
alphanumeric.  So for document "103022": "INV-103022" -> yes, "X103022" -> no,
"INV1030221" -> no; a 3-character document "103" never matches.

Tolerant forms (our extension, all still whole-token):
  a number written in the text is read as an optional glued letter prefix plus digit
  groups joined by '-', '/' or '.' ("INV-103022", "Inv.103022", "RE 0103022",
  "2024/00123").  Its *key* is the digit groups with leading zeros removed, joined by
  '-' ("0103022" -> "103022", "2024/00123" -> "2024-123").  Every contiguous run of
  groups gives a key, so "4711/4712" yields "4711", "4712" and "4711-4712".
  A document's key is computed the same way from its own digit groups.
A tolerant hit needs: equal keys, at least ``MIN_TOLERANT_DIGITS`` significant digits,
the number not glued to letters or digits on its right, and a glued prefix (if any)
that is the document's own prefix or a generic invoice word (INV, RE, RG, FA, ...).
Compatibility with the BC cases: "X103022" has glued prefix X, which is neither
generic nor the prefix of document "103022" -> no; "INV1030221" has key "1030221"
-> no; "103" has 3 significant digits -> never.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import OSA

MIN_BC_LENGTH = 4
MIN_TOLERANT_DIGITS = 5

GENERIC_PREFIXES = frozenset({
    "", "INV", "INVOICE", "IN", "INVNO", "NO", "NR", "NUM", "RE", "REF", "RG", "RNG",
    "RECH", "RECHNUNG", "RECHNR", "RECHNUNGSNR", "FA", "FACT", "FACTURE", "FACTUUR", "F",
    "FV", "FAKTURA", "BILL", "DOC", "SI", "PI", "CM", "CN", "R", "N",
})

_NUMBER = re.compile(r"(?<![A-Z0-9])([A-Z]*)(\d+(?:[-/.]\d+)*)(?![A-Z0-9])")
_DIGIT_GROUPS = re.compile(r"\d+")
_LEADING_LETTERS = re.compile(r"^[^A-Z0-9]*([A-Z]*)")


def bc_doc_found(doc_no: str, search_text: str) -> bool:
    """BC's document-number test on UPPER(text) (first occurrence only)."""
    doc = doc_no.upper().strip()
    if len(doc) < MIN_BC_LENGTH:
        return False
    text = search_text.upper()
    pos = text.find(doc)
    if pos < 0:
        return False
    before = text[pos - 1] if pos > 0 else " "
    end = pos + len(doc)
    after = text[end] if end < len(text) else " "
    return not before.isalnum() and not after.isalnum()


def _key(groups: list[str]) -> str:
    return "-".join(g.lstrip("0") or "0" for g in groups)


def significant_digits(key: str) -> int:
    """Number of digits in a key (digit groups joined by '-', leading zeros gone)."""
    return len(key) - key.count("-")


@dataclass(frozen=True, slots=True)
class DocKey:
    prefix: str
    key: str


_SIMPLE_DOC = re.compile(r"([A-Z]*)(\d+)")


def doc_key_text(doc_no: str) -> str | None:
    """Only the key of ``doc_key`` (the index needs no prefix)."""
    simple = _SIMPLE_DOC.fullmatch(doc_no.upper())
    if simple is not None:
        return simple.group(2).lstrip("0") or "0"
    key = doc_key(doc_no)
    return key.key if key else None


def doc_key(doc_no: str) -> DocKey | None:
    """Tolerant key of a master-data document number, None if it has no digits."""
    upper = doc_no.upper()
    simple = _SIMPLE_DOC.fullmatch(upper)  # fast path: "103022", "PI0200001"
    if simple is not None:
        return DocKey(simple.group(1), simple.group(2).lstrip("0") or "0")
    groups = _DIGIT_GROUPS.findall(upper)
    if not groups:
        return None
    match = _LEADING_LETTERS.match(upper)
    prefix = match.group(1) if match else ""
    return DocKey(prefix, _key(groups))


@dataclass(frozen=True, slots=True)
class TextNumber:
    """A number written in the remittance text."""

    prefix: str  # letters glued to the number ('' when separated)
    key: str
    raw: str
    position: int


def text_numbers(text: str) -> list[TextNumber]:
    """All tolerant number keys found in ``text`` (see module doc)."""
    upper = text.upper()
    found: list[TextNumber] = []
    for m in _NUMBER.finditer(upper):
        prefix, body = m.group(1), m.group(2)
        groups = _DIGIT_GROUPS.findall(body)
        for i in range(len(groups)):
            for j in range(i + 1, min(len(groups), i + 4) + 1):
                glued = prefix if i == 0 else ""
                found.append(TextNumber(glued, _key(groups[i:j]), m.group(0), m.start()))
    return found


def tolerant_match(doc: DocKey, number: TextNumber) -> bool:
    """Does a number of the text designate the document (tolerant form)?"""
    if doc.key != number.key or significant_digits(number.key) < MIN_TOLERANT_DIGITS:
        return False
    return number.prefix in GENERIC_PREFIXES or number.prefix == doc.prefix


def one_typo_apart(a: str, b: str) -> bool:
    """Keys that differ by one typing error (insert, delete, replace or swap of adjacent
    characters), both with at least ``MIN_TOLERANT_DIGITS`` significant digits."""
    if a == b or min(significant_digits(a), significant_digits(b)) < MIN_TOLERANT_DIGITS:
        return False
    return OSA.distance(a, b, score_cutoff=1) <= 1
