"""Reading the ``:86:`` information-to-account-owner field of MT940/MT942.

Three common layouts are recognised, anything else is kept as free text:

* German (DFÜ/FinTS) and Polish subfields: ``166?00GUTSCHRIFT?20...?32NAME`` with
  ``?``, ``~``, ``^`` or ``>`` as separator; ``?20``-``?29`` and ``?60``-``?63``
  remittance (with SEPA tags ``EREF+``, ``KREF+``, ``MREF+``, ``CRED+``, ``SVWZ+``),
  ``?30`` BIC, ``?31`` (and Polish ``~38``) IBAN, ``?32``/``?33`` name.
* Dutch keyword style: ``/EREF/.../NAME/.../IBAN/.../REMI/...`` (also ``/CNTP/``,
  ``/ORDP//NAME/``, ``/BENM//NAME/``, ``/ACCW/``).
* The German ``:NS:`` numbered layout (``01``-``14`` text, ``15``/``16`` name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LINE_WIDTH = 65  # a full :86: line; a shorter line ended a word


@dataclass(slots=True)
class Details:
    """What a :86: field says about one transaction."""

    name: str | None = None
    iban: str | None = None
    bic: str | None = None
    address: str | None = None
    remittance: str | None = None
    end_to_end_id: str | None = None
    mandate_id: str | None = None
    creditor_id: str | None = None
    code: str | None = None
    bank_text: str | None = None
    returned: bool = False
    return_reason: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def _join(lines: list[str], width: int = LINE_WIDTH) -> str:
    """Join wrapped lines: no space after a full-width line (a word was cut there)."""
    out = ""
    prev_len = width
    for index, line in enumerate(lines):
        if out and prev_len < width and not out.endswith(" ") and not line.startswith(" "):
            out += " "
        out += line
        # the first line of a field shares its width with the ":86:" tag
        prev_len = len(line) + (4 if index == 0 and width == LINE_WIDTH else 0)
    return " ".join(out.split())


_SUBFIELD_START = re.compile(r"^(\d{3})?\s*([?~^>])(\d\d)")
_DUTCH_KEYS = (
    "TRTP|IBAN|BIC|NAME|ADDR|REMI|EREF|PREF|MARF|CSID|CNTP|ORDP|BENM|ULTC|ULTD|ULTB|"
    "PURP|RTRN|ISDT|CODE|ACCW|SVCL|EXCH|CHGS|OCMT|COAM|RTYP|BUSP|OAMT|ID"
)
_DUTCH = re.compile(rf"/({_DUTCH_KEYS})/")
_SEPA = re.compile(r"(EREF|KREF|MREF|CRED|SVWZ|ABWA|ABWE|DEBT|COAM|OAMT|IBAN|BIC)\+")


def parse_details(lines: list[str]) -> Details:
    """Parse the continuation lines of one :86: field."""
    if not lines or not "".join(lines).strip():
        return Details()
    first = lines[0]
    if _SUBFIELD_START.match(first):
        return _subfields("".join(lines))
    flat = _join(lines)
    if _DUTCH.search(flat) and flat.lstrip().startswith("/"):
        return _dutch(flat)
    return Details(remittance=_join(lines) or None)


# --- German / Polish ?-subfields ------------------------------------------------------------


def _subfields(text: str) -> Details:
    match = _SUBFIELD_START.match(text)
    assert match is not None
    sep = match.group(2)
    code = match.group(1)
    parts: dict[str, list[str]] = {}
    for chunk in re.split(re.escape(sep) + r"(?=\d\d)", text[match.start(2):]):
        if len(chunk) >= 2 and chunk[:2].isdigit():
            parts.setdefault(chunk[:2], []).append(chunk[2:])
    remit_pieces = [p for key in [*(f"{n:02d}" for n in range(20, 30)), "60", "61", "62", "63"]
                    for p in parts.get(key, [])]
    remit = _join(remit_pieces, 27)
    details = Details(code=code, bank_text=_first(parts, "00"))
    _sepa_tags(remit, details)
    details.bic = _first(parts, "30")
    details.iban = _first(parts, "38") or _first(parts, "31")
    name = _join([p for key in ("32", "33") for p in parts.get(key, [])], 27)
    details.name = name or None
    if code and code in ("109", "159", "160", "161", "162", "163"):
        details.returned = True
    return details


def _first(parts: dict[str, list[str]], key: str) -> str | None:
    values = [v.strip() for v in parts.get(key, []) if v.strip()]
    return values[0] if values else None


def _sepa_tags(remit: str, details: Details) -> None:
    pieces = _SEPA.split(remit)
    if len(pieces) == 1:
        details.remittance = remit or None
        return
    free = pieces[0].strip()
    tags = dict(zip(pieces[1::2], (p.strip() for p in pieces[2::2]), strict=False))
    details.end_to_end_id = _not_provided(tags.get("EREF"))
    details.mandate_id = tags.get("MREF") or None
    details.creditor_id = tags.get("CRED") or None
    svwz = tags.get("SVWZ") or ""
    details.remittance = " ".join(p for p in (free, svwz) if p) or tags.get("KREF") or None
    details.extra = {k: v for k, v in tags.items() if k in ("KREF", "ABWA", "ABWE", "DEBT")}


def _not_provided(value: str | None) -> str | None:
    if not value or value.upper() in ("NOTPROVIDED", "NONREF"):
        return None
    return value


# --- Dutch /KEY/ layout -------------------------------------------------------------------


def _dutch(text: str) -> Details:
    pieces = _DUTCH.split(text)
    values: dict[str, str] = {}
    for key, value in zip(pieces[1::2], pieces[2::2], strict=False):
        values.setdefault(key, value.strip().strip("/").strip())
    details = Details(code=values.get("TRTP"))
    details.name = values.get("NAME") or None
    details.iban = values.get("IBAN") or None
    details.bic = values.get("BIC") or None
    details.address = values.get("ADDR") or None
    if "CNTP" in values:
        _cntp(values["CNTP"], details)
    if "ACCW" in values:
        account, _, bic = values["ACCW"].partition(",")
        details.iban = details.iban or account.strip() or None
        details.bic = details.bic or bic.strip() or None
    details.remittance = _remi(values.get("REMI", "")) or None
    details.end_to_end_id = _not_provided(values.get("EREF"))
    details.mandate_id = values.get("MARF") or None
    details.creditor_id = values.get("CSID") or None
    if "RTRN" in values:
        details.returned = True
        details.return_reason = values["RTRN"] or None
    return details


def _cntp(value: str, details: Details) -> None:
    parts = [p.strip() for p in value.split("/")]
    parts += [""] * (4 - len(parts))
    details.iban = details.iban or parts[0] or None
    details.bic = details.bic or parts[1] or None
    details.name = details.name or parts[2] or None
    details.address = details.address or parts[3] or None


def _remi(value: str) -> str:
    for prefix in ("USTD//", "USTD/", "STRD/CUR/", "STRD/ISO/"):
        if value.startswith(prefix):
            return value[len(prefix):].strip().strip("/")
    return value.strip()


# --- :NS: numbered layout ------------------------------------------------------------------


def parse_ns(lines: list[str]) -> Details:
    """German ``:NS:`` transaction details: two-digit numbered lines."""
    numbered: dict[int, list[str]] = {}
    for line in lines:
        if len(line) >= 2 and line[:2].isdigit():
            numbered.setdefault(int(line[:2]), []).append(line[2:].strip())
    remit = " ".join(v for n in range(1, 15) for v in numbered.get(n, []) if v)
    name = "".join(v for n in (15, 16) for v in numbered.get(n, []))
    text = " ".join(numbered.get(17, []))
    return Details(remittance=remit or None, name=name or None, bank_text=text or None)
