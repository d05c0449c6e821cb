"""Document numbers in remittance text: BC's whole-token rule and tolerant forms.

BC rule (``bc_doc_found``): the document number, at least 4 characters long, occurs in
UPPER(text) and the characters right before and after its FIRST occurrence are not
alphanumeric.  So for document "103022": "INV-103022" -> yes, "X103022" -> no,
"INV1030221" -> no; a 3-character document "103" never matches.

Tolerant forms (our extension, all still whole-token):
  a number written in the text is read as an optional glued letter prefix plus digit
  groups joined by '-', '/', '.' or up to two spaces ("INV-103022", "Inv.103022",
  "RE 0103022", "2024/00123", "F2026 71640").  Its *key* is the digit groups with
  leading zeros removed, joined by '-' ("0103022" -> "103022", "2024/00123" ->
  "2024-123").  Every contiguous run of groups gives a key, so "4711/4712" yields
  "4711", "4712" and "4711-4712".
  A document's key is computed the same way from its own digit groups.
A tolerant hit needs: equal keys, at least ``MIN_TOLERANT_DIGITS`` significant digits,
the number not glued to letters or digits on its right, and a glued prefix (if any)
that is the document's own prefix or a generic invoice word (INV, RE, RG, FA, ...).
Compatibility with the BC cases: "X103022" has glued prefix X, which is neither
generic nor the prefix of document "103022" -> no; "INV1030221" has key "1030221"
-> no; "103" has 3 significant digits -> never.

Forms of a document with several digit groups ("F2026-71640"), see ``read_as``: the
groups spaced, slashed or dotted ("F2026 71640", "/ROC/F2026/67891/"), joined
("F202671640", "INV20260042" for INV-2026-0042), and the last group alone ("FACT
57621", "Facture n° 69261", "#71640": the *tail*; the caller accepts it only when it
names one open document of the party, or of everybody). Numbers inside structured
creditor references (RF..., Belgian +++123/4567/89012+++, Swiss QR references) are read
from their payload without check digits. The form read is reported for the evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from core.i18n import N_, _

MIN_BC_LENGTH = 4
MIN_TOLERANT_DIGITS = 5

GENERIC_PREFIXES = frozenset({
    "", "INV", "INVOICE", "IN", "INVNO", "NO", "NR", "NUM", "RE", "REF", "RG", "RNG",
    "RECH", "RECHNUNG", "RECHNR", "RECHNUNGSNR", "FA", "FACT", "FACTURE", "FACTUUR", "F",
    "FV", "FAKTURA", "BILL", "DOC", "SI", "PI", "CM", "CN", "R", "N",
    "FRA", "FAC", "FACTURA", "FATTURA", "FAKT", "FT", "FAT", "NUMMER", "NUMBER",
})

_DIGIT_GROUPS = re.compile(r"\d+")
_NON_ALNUM = re.compile(r"[^A-Z0-9]")  # as normalize.norm_account
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
    """Tolerant keys of a master-data document number ("F2026-071640": prefix "F", key
    "2026-71640", compact "202671640", tail "71640", 2 groups)."""

    prefix: str
    key: str
    compact: str = ""
    tail: str = ""
    groups: int = 1
    sep: str = ""  # the separator between the first two digit groups ('' for one group)
    zeros: bool = False  # a digit group has leading zeros ("PI0200001", "INV-2026-0042")


_SIMPLE_DOC = re.compile(r"([A-Z]*)(\d+)")
_TWO_GROUPS = re.compile(r"([A-Z]*)(\d+)([-/. ])(\d+)")  # fast path: "F2026-71640"
_SEP = re.compile(r"\d([^0-9]+)\d")


def _compact(groups: list[str]) -> str:
    return "".join(groups).lstrip("0") or "0"


def doc_index_keys(doc_no: str) -> tuple[str | None, str | None, str | None]:
    """(key, compact, tail) of a document number for the index; compact and tail only
    for numbers with several digit groups (for one group they equal the key)."""
    upper = doc_no.upper()
    simple = _SIMPLE_DOC.fullmatch(upper)
    if simple is not None:
        return simple.group(2).lstrip("0") or "0", None, None
    two = _TWO_GROUPS.fullmatch(upper)
    if two is not None:
        head, tail = two.group(2), two.group(4)
        tail_key = tail.lstrip("0") or "0"
        return (f"{head.lstrip('0') or '0'}-{tail_key}",
                (head + tail).lstrip("0") or "0", tail_key)
    key = doc_key(doc_no)
    if key is None:
        return None, None, None
    if key.groups < 2:
        return key.key, None, None
    return key.key, key.compact, key.tail


def index_keys(doc_no: str) -> tuple[str, str | None, str | None, str | None]:
    """Everything the index files a document number under, in one pass over it:
    (exact form (``norm_account``), key when it has at least 4 significant digits,
    compact, tail when at least 3 digits). Runs for each of 100,000 open entries: the
    common shapes ("103022", "F2026-71640") take one regular expression."""
    upper = doc_no.upper()
    exact = upper if upper.isalnum() and upper.isascii() else _NON_ALNUM.sub("", upper)
    simple = _SIMPLE_DOC.fullmatch(upper)
    if simple is not None:
        key = simple.group(2).lstrip("0") or "0"
        return exact, (key if len(key) >= 4 else None), None, None
    two = _TWO_GROUPS.fullmatch(upper)
    if two is not None:
        head, tail = two.group(2), two.group(4)
        tail_key = tail.lstrip("0") or "0"
        head_key = head.lstrip("0") or "0"
        return (exact, f"{head_key}-{tail_key}" if len(head_key) + len(tail_key) >= 4
                else None, (head + tail).lstrip("0") or "0",
                tail_key if len(tail_key) >= 3 else None)
    tolerant, compact, tail_key = doc_index_keys(doc_no)
    return (exact, tolerant if tolerant is not None and significant_digits(tolerant) >= 4
            else None, compact, tail_key if tail_key is not None and len(tail_key) >= 3
            else None)


def doc_key_text(doc_no: str) -> str | None:
    """Only the key of ``doc_key`` (the index needs no prefix)."""
    return doc_index_keys(doc_no)[0]


@lru_cache(maxsize=65536)
def doc_key(doc_no: str) -> DocKey | None:
    """Tolerant key of a master-data document number, None if it has no digits."""
    upper = doc_no.upper()
    simple = _SIMPLE_DOC.fullmatch(upper)  # fast path: "103022", "PI0200001"
    if simple is not None:
        digits = simple.group(2)
        key = digits.lstrip("0") or "0"
        return DocKey(simple.group(1), key, key, zeros=len(key) < len(digits))
    groups = _DIGIT_GROUPS.findall(upper)
    if not groups:
        return None
    match = _LEADING_LETTERS.match(upper)
    prefix = match.group(1) if match else ""
    sep = _SEP.search(upper)
    return DocKey(prefix, _key(groups), _compact(groups),
                  groups[-1].lstrip("0") or "0", len(groups), sep.group(1) if sep else "",
                  any(len(g) > 1 and g.startswith("0") for g in groups))


@dataclass(frozen=True, slots=True)
class TextNumber:
    """A number written in the remittance text (or read from a structured reference)."""

    prefix: str  # letters glued to the number ('' when separated)
    key: str
    raw: str
    position: int
    sep: str = ""  # what separates the first two digit groups as written
    whole: bool = True  # the whole written number (not a run of some of its groups)
    compact: str = ""  # several groups: their digits joined
    label: str = ""  # a label word written just before ("FACT", "FACTURE N", "NR")
    structured: str = ""  # the kind of structured reference it was read from
    zeros: bool = False  # a digit group was written with leading zeros


# Separators between the digit groups of one written number: '-', '/', '.'; glued
# letters before the first group are its prefix. A second pass also joins numbers
# written with up to two spaces between them ("F2026 71640"); those joined readings are
# never "whole" (so "26448 14.02.2026" still has the whole number 26448).
_NUMBER = re.compile(r"(?<![A-Z0-9])([A-Z]*)(\d+(?:[-/.]\d+)*)(?![A-Z0-9])")
_SPACED = re.compile(r"(?<![A-Z0-9])([A-Z]*)(\d+(?:(?:[-/.]| {1,2})\d+)*)(?![A-Z0-9])")
_GROUP_SEP = re.compile(r"\d+|[^0-9]+")
_LABEL = re.compile(r"([A-Z]+)[^A-Z0-9]{0,3}(?:([A-Z]+)[^A-Z0-9]{0,3})?$")
LABEL_WORDS = GENERIC_PREFIXES | {"FRA", "FAC", "FACTURA", "FATTURA", "FAKT", "FT", "ROC",
                                  "NO", "NR", "NUMMER", "NUMBER", "NUMERO", "N", "ABRECHNUNG"}


# Words that say the number after them is NOT an invoice ("PO 46763", "Kd-Nr 3893").
OTHER_NUMBER_WORDS = frozenset({
    "PO", "ORDER", "BESTELLUNG", "BEST", "AUFTRAG", "KD", "KDNR", "KUNDE", "KUNDENNR",
    "CUSTOMER", "CUST", "CLIENT", "CONTRACT", "VERTRAG", "MANDATE", "MANDAT", "TEL", "PHONE",
    "ACCOUNT", "KONTO", "ACCT", "COMMANDE", "CDE", "BON", "LIEFERSCHEIN", "DELIVERY",
})


def _label(upper: str, start: int) -> tuple[str, int]:
    """The label words written right before a number ("FACTURE N° 69261" -> "FACTURE N")
    and where they start."""
    base = max(0, start - 24)
    m = _LABEL.search(upper[base:start])
    if m is None:
        return "", start
    words = [w for w in m.groups() if w]
    if any(w in OTHER_NUMBER_WORDS for w in words):
        return "!" + words[0], start  # not a document number: see read_as
    if all(w in LABEL_WORDS for w in words):
        return " ".join(words), base + m.start()
    if words[-1] in LABEL_WORDS:
        return words[-1], base + m.start(len(words))
    return "", start


def _numbers_in(upper: str, found: list[TextNumber], structured: str = "",
                offset: int = 0) -> None:
    for spaced in (False, True):
        for m in (_SPACED if spaced else _NUMBER).finditer(upper):
            prefix, body = m.group(1), m.group(2)
            if spaced and " " not in body:
                continue
            parts = _GROUP_SEP.findall(body)
            groups, seps = parts[0::2], parts[1::2]
            zeros = any(len(g) > 1 and g.startswith("0") for g in groups)
            label, begin = (("", m.start()) if prefix or structured
                            else _label(upper, m.start()))
            raw = upper[begin:m.end()]
            n = len(groups)
            for i in range(n):
                for j in range(i + 2 if spaced else i + 1, min(n, i + 4) + 1):
                    if spaced and not any(" " in x for x in seps[i:j - 1]):
                        continue
                    found.append(TextNumber(
                        prefix if i == 0 else "", _key(groups[i:j]), raw,
                        offset + m.start(), seps[i] if j - i > 1 else "",
                        not spaced and i == 0 and j == n,
                        _compact(groups[i:j]) if j - i > 1 else "",
                        label if i == 0 else "", structured, zeros))


# Structured creditor references (ISO 11649 RF, Belgian OGM/VCS, Swiss QR reference):
# their payload (without check digits) is read as a number written on its own.
_RF = re.compile(r"(?<![A-Z0-9])RF\d{2}((?: ?[A-Z0-9]{1,4}){1,6})(?![A-Z0-9])")
_OGM = re.compile(r"[+*]{3} ?(\d{3}) ?/ ?(\d{4}) ?/ ?(\d{5}) ?[+*]{3}")
_QR = re.compile(r"(?<![0-9])(\d{2}(?: ?\d{5}){5})(?![0-9])")
RF_REF = "RF creditor reference"
OGM_REF = "Belgian structured communication"
QR_REF = "Swiss QR reference"
_INSIDE = {RF_REF: N_("inside an RF creditor reference"),
           OGM_REF: N_("inside a Belgian structured communication"),
           QR_REF: N_("inside a Swiss QR reference")}


def structured_numbers(upper: str, found: list[TextNumber]) -> str:
    """Numbers inside structured references; returns the text with them blanked out."""
    def payload(kind: str, m: re.Match[str], digits: str) -> str:
        _numbers_in(digits, found, kind, m.start())
        found[:] = [n if n.structured != kind or n.raw != digits else
                    TextNumber(n.prefix, n.key, m.group(0).strip(), n.position, n.sep,
                               n.whole, n.compact, "", kind, n.zeros) for n in found]
        return " " * len(m.group(0))

    upper = _OGM.sub(lambda m: payload(OGM_REF, m, "".join(m.groups())[:10]), upper)
    upper = _RF.sub(lambda m: payload(RF_REF, m, m.group(1).replace(" ", "")), upper)
    return _QR.sub(lambda m: payload(QR_REF, m, m.group(1).replace(" ", "")[:26]), upper)


def text_numbers(text: str) -> list[TextNumber]:
    """All tolerant number keys found in ``text`` (see module doc)."""
    found: list[TextNumber] = []
    rest = structured_numbers(text.upper(), found)
    _numbers_in(rest, found)
    return found


def _prefix_ok(doc: DocKey, number: TextNumber) -> bool:
    glued = number.prefix
    return (glued in GENERIC_PREFIXES or glued == doc.prefix
            or (bool(doc.prefix) and glued.startswith(doc.prefix)))


_SEP_WORDS = {" ": "spaced", "  ": "spaced", "/": "slashed", ".": "dotted",
              "-": "hyphenated"}
# The form read, in the words of the evidence (worded when the evidence is written).
_FORMS = {
    ("prefix", "spaced"): N_("prefix spaced"), ("prefix", "slashed"): N_("prefix slashed"),
    ("prefix", "dotted"): N_("prefix dotted"),
    ("prefix", "hyphenated"): N_("prefix hyphenated"),
    ("prefix", "joined"): N_("prefix joined"),
    ("groups", "spaced"): N_("groups spaced"), ("groups", "slashed"): N_("groups slashed"),
    ("groups", "dotted"): N_("groups dotted"),
    ("groups", "hyphenated"): N_("groups hyphenated"),
    ("groups", "joined"): N_("groups joined"),
    ("digits", "spaced"): N_("digits spaced"), ("digits", "slashed"): N_("digits slashed"),
    ("digits", "dotted"): N_("digits dotted"),
    ("digits", "hyphenated"): N_("digits hyphenated"),
    ("digits", "joined"): N_("digits joined"),
}
_SEPARATED = {"prefix": N_("prefix separated by '{sep}'"),
              "groups": N_("groups separated by '{sep}'"),
              "digits": N_("digits separated by '{sep}'")}


def _form(head: str, word: str | None, sep: str = "") -> str:
    """"prefix spaced", "digits joined", "groups separated by '_'"... in words."""
    if word is None:
        return _(_SEPARATED[head]).format(sep=sep)
    return _(_FORMS[head, word])


def read_as(doc: DocKey, number: TextNumber, tail_digits: int = 0) -> str | None:
    """How a number of the text designates the document, or None when it does not.

    Returns the form that was read: "prefix spaced" ("F2026 71640" for F2026-71640),
    "prefix joined" ("F202671640"), "prefix slashed", "leading zeros dropped", "numeric
    part only" (the last digit group alone; only when ``tail_digits`` > 0, the minimum
    number of digits the caller accepts for it), and so on."""
    if not _prefix_ok(doc, number) or number.label.startswith("!"):
        return None
    extra = _extras(doc, number)
    if doc.groups >= 2:
        head = "prefix" if doc.prefix or doc.groups == 2 else "groups"
        if number.key == doc.key and significant_digits(doc.key) >= MIN_TOLERANT_DIGITS:
            same = number.sep == doc.sep and not extra
            return _join(_form(head, _SEP_WORDS.get(number.sep), number.sep.strip())
                         if not same else _("separators as written"), extra)
        if (not number.compact and number.key == doc.compact
                and significant_digits(doc.compact) >= MIN_TOLERANT_DIGITS):
            head = head if number.prefix or number.label or doc.groups > 2 else "digits"
            return _join(_form(head, "joined"), _extras(doc, number, zeros=False))
        if (tail_digits and number.whole and not number.compact
                and number.key == doc.tail and len(doc.tail) >= tail_digits):
            return _join(_("numeric part only"), extra)
        return None
    if significant_digits(number.key) < MIN_TOLERANT_DIGITS:
        return None
    if number.key == doc.key:
        return _join("", extra) or _("prefix or separators differ")
    if number.compact and number.compact == doc.key:
        return _join(_form("digits", _SEP_WORDS.get(number.sep), number.sep.strip()), extra)
    return None


def _extras(doc: DocKey, number: TextNumber, zeros: bool = True) -> list[str]:
    if number.structured:  # payloads are zero-padded digits by design
        inside = _INSIDE.get(number.structured)
        return [_(inside) if inside is not None else number.structured]
    out: list[str] = []
    if number.label and number.label != doc.prefix:
        out.append(_("labelled '{label}'").format(label=number.label))
    elif number.prefix and number.prefix != doc.prefix:
        out.append(_("prefix '{written}' instead of '{prefix}'").format(
            written=number.prefix, prefix=doc.prefix) if doc.prefix
            else _("prefix '{written}' added").format(written=number.prefix))
    elif doc.prefix and not number.prefix and not number.label:
        out.append(_("prefix left out"))
    if not zeros:
        return out
    if doc.zeros and not number.zeros:
        out.append(_("leading zeros dropped"))
    elif number.zeros and not doc.zeros:
        out.append(_("leading zeros added"))
    return out


def _join(head: str, extra: list[str]) -> str:
    return ", ".join(p for p in (head, *extra) if p)


def tolerant_match(doc: DocKey, number: TextNumber) -> bool:
    """Does a number of the text designate the document (tolerant form, no tail)?"""
    return read_as(doc, number) is not None


def one_typo_apart(a: str, b: str) -> bool:
    """Keys that differ by one typing error (insert, delete, replace or swap of adjacent
    characters), both with at least ``MIN_TOLERANT_DIGITS`` significant digits."""
    if a == b or min(significant_digits(a), significant_digits(b)) < MIN_TOLERANT_DIGITS:
        return False
    return OSA.distance(a, b, score_cutoff=1) <= 1
