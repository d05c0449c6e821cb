"""Text encoding of statement files: BOM, XML declaration, declared, or sniffed.

UTF-8, Latin-1, CP1252 and CP852 occur in real bank files. Detection order:
byte-order mark, the encoding a caller declares (CSV profile, OFX header),
strict UTF-8, then charset-normalizer limited to the code pages banks use,
and finally CP1252 with replacement characters.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CANDIDATES = ["cp1252", "cp852", "cp1250", "latin_1"]
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""")
SNIFF_BYTES = 256 * 1024


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark announces, if the data starts with one."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def xml_declared_encoding(data: bytes) -> str | None:
    match = _XML_DECL.match(data[:200])
    return match.group(1).decode("ascii").lower() if match else None


def normalize_name(name: str) -> str:
    """Canonical codec name (``cp1252``, ``utf-8``...) or ValueError when unknown."""
    return codecs.lookup(name).name


def sniff_encoding(data: bytes) -> str:
    """Best guess for undeclared bytes (never fails)."""
    bom = bom_encoding(data)
    if bom:
        return bom
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data[:SNIFF_BYTES], cp_isolation=_CANDIDATES).best()
    guess = normalize_name(best.encoding) if best is not None else "cp1252"
    if guess != "cp1252" and guess != "cp852" and _same_as_cp1252(data, guess):
        return "cp1252"
    return guess


def _same_as_cp1252(data: bytes, other: str) -> bool:
    high = bytes(sorted({b for b in data[:SNIFF_BYTES] if b >= 0x80}))
    try:
        return high.decode("cp1252") == high.decode(other)
    except (UnicodeDecodeError, LookupError):
        return False


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data``; return ``(text, encoding)``. Undecodable bytes become U+FFFD."""
    encoding = bom_encoding(data) or (normalize_name(declared) if declared else None)
    if encoding is None:
        encoding = sniff_encoding(data)
    text = data.decode(encoding, errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, encoding
