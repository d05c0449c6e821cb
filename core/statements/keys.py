"""Duplicate keys and text comparison for bank statement lines (pure functions).

Why these rules (see peers.md §(c)): IDs built from the statement id or the line
number break when banks reuse statement ids or files overlap; a date high-water mark
drops late postings; loose matching drops genuine repeated payments. So:

* a line's **dedup key** comes from the bank's own reference when it gives one
  (with amount and booking date, because some banks restart their reference counters
  every day and several entries of one batch can share a reference), else from its
  content: booking date, amount, counterparty and remittance text, normalized;
* the **occurrence** numbers identical keys within one statement, so two genuinely
  identical payments on one day are both kept (1 and 2) and a re-import of the same
  statement finds both again;
* near duplicates (same amount, date within a day, similar text, other key) are only
  ever *flagged*, never dropped silently.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date

from rapidfuzz import fuzz

PLACEHOLDER_REFS = frozenset({"", "NONREF", "NOREF", "NOTPROVIDED", "NONE", "NULL", "NA",
                              "N/A", "0", "-", "UNKNOWN"})
SIMILARITY_THRESHOLD = 85  # rapidfuzz token_set_ratio, 0..100
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_SPACES = re.compile(r"\s+")


def clean_reference(value: str | None) -> str:
    """The bank reference, or '' when the bank gave none or a placeholder (NONREF)."""
    text = _SPACES.sub(" ", value or "").strip()
    return "" if text.upper() in PLACEHOLDER_REFS else text


def norm_text(value: str | None) -> str:
    """Accent-free, case-free, alphanumeric only: immune to re-wrapped :86: fields."""
    if value is None or value.isascii():  # fast path: nothing to decompose, lower = casefold
        return _NON_ALNUM.sub("", (value or "").lower())
    decomposed = unicodedata.normalize("NFKD", value or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _NON_ALNUM.sub("", plain)


def norm_iban(value: str | None) -> str:
    return re.sub(r"[^0-9A-Z]", "", (value or "").upper())


def _digest(prefix: str, *parts: object) -> str:
    text = "\x1f".join(map(str, parts))
    return prefix + hashlib.sha256(text.encode("utf-8")).hexdigest()[:39]


def content_key(day: date, amount_minor: int, currency: str, counterparty_iban: str | None,
                counterparty_name: str | None, remittance: str | None) -> str:
    """Key of what a line *says*: date, amount, counterparty (IBAN, else name), text."""
    party = norm_iban(counterparty_iban) or norm_text(counterparty_name)
    return _digest("C", day.isoformat(), amount_minor, currency.upper(), party,
                   norm_text(remittance))


def reference_key(reference: str, day: date, amount_minor: int) -> str:
    """Key of a line the bank gave a reference to (see the module docstring)."""
    return _digest("R", reference, day.isoformat(), amount_minor)


def similar_text(a_iban: str, a_text: str, b_iban: str, b_text: str) -> bool:
    """Whether two lines plausibly describe the same payment.

    Different counterparty IBANs say no outright; otherwise the normalized name and
    remittance texts are compared word-set-wise (order and extra words tolerated).
    """
    ia, ib = norm_iban(a_iban), norm_iban(b_iban)
    if ia and ib and ia != ib:
        return False
    ta, tb = a_text.strip().casefold(), b_text.strip().casefold()
    if not ta or not tb:
        return (not ta and not tb) or bool(ia and ia == ib)
    return fuzz.token_set_ratio(ta, tb) >= SIMILARITY_THRESHOLD
