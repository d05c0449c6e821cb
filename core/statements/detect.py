"""Format detection by content (never by file name).

Returns ``camt.052``/``camt.053``/``camt.054`` (from the namespace or root element),
``ofx`` (SGML 1.x, XML 2.x, QFX), ``mt940``/``mt942``, ``csv`` or ``zip``. Payment
initiation files (pain), XML schemas and other XML are refused with a message.
"""

from __future__ import annotations

import re

from core.i18n import N_, _
from core.kernel.errors import Text
from core.statements.encoding import bom_encoding
from core.statements.errors import StatementError

HEAD_BYTES = 64 * 1024

_ROOT = re.compile(rb"<(?!\?|!)([A-Za-z_][\w.:-]*)([^>]*)>", re.DOTALL)
_XMLNS = re.compile(rb"""xmlns(?::[\w.-]+)?\s*=\s*["']([^"']*)["']""")
_CAMT_NS = re.compile(rb"camt\.05([234])\.\d{3}\.\d{2}")
_CAMT_ROOT = {b"BkToCstmrAcctRpt": "camt.052", b"BkToCstmrStmt": "camt.053",
              b"BkToCstmrDbtCdtNtfctn": "camt.054"}
_MT_TAG = re.compile(rb"(^|[\r\n{])\s*:(20|25|28C?|60[FM]|61|62[FM]|86|34F|13D):", re.MULTILINE)


def _view(data: bytes) -> bytes:
    head = data[:HEAD_BYTES]
    enc = bom_encoding(head)
    if (enc and enc.startswith("utf-16")) or (enc and enc.startswith("utf-32")):
        return head.decode(enc, errors="replace").encode("utf-8", errors="replace")
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return head


def detect_format(data: bytes, name: str = "<data>") -> str:
    """The statement format of ``data``; StatementError for non-statements."""
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    head = _view(data)
    stripped = head.lstrip(b" \t\r\n\x00")
    if not stripped:
        raise StatementError(name, Text(N_("the file is empty")),
                             expected=Text(N_("a bank statement")))
    if _is_ofx(stripped):
        return "ofx"
    if stripped.startswith(b"<"):
        return _xml_format(stripped, name)
    if _MT_TAG.search(head):
        return "mt942" if re.search(rb"(^|[\r\n]):(34F|13D):", head) else "mt940"
    if _looks_like_csv(head):
        return "csv"
    raise StatementError(name, Text(N_("not a recognised bank statement format")),
                         expected=Text(N_("CAMT XML, OFX/QFX, MT940/MT942 or CSV")))


def _is_ofx(head: bytes) -> bool:
    upper = head[:4096].upper()
    if upper.startswith(b"OFXHEADER") or b"<?OFX" in upper:
        return True
    return bool(re.match(rb"\s*<OFX>", upper)) or (
        upper.startswith(b"<?XML") and b"<OFX>" in upper)


def _xml_format(head: bytes, name: str) -> str:
    root = None
    for match in _ROOT.finditer(head):
        root = match
        break
    if root is None:
        raise StatementError(name, Text(N_("XML without a root element")),
                             expected=Text(N_("a CAMT document")))
    tag = root.group(1).split(b":")[-1]
    namespaces = b" ".join(_XMLNS.findall(root.group(2)))
    if tag == b"schema":
        raise StatementError(name, Text(N_("this is an XML schema (XSD), not a bank "
                                            "statement")))
    if b"pain." in namespaces:
        raise StatementError(name, Text(N_("this is a payment initiation (pain) file, not a "
                                            "bank statement")),
                             expected=Text(N_("a camt.052, camt.053 or camt.054 file")))
    camt = _CAMT_NS.search(namespaces)
    if camt:
        return f"camt.05{camt.group(1).decode()}"
    inner = _ROOT.search(head, root.end())
    inner_tag = inner.group(1).split(b":")[-1] if inner else b""
    if b"camt" in namespaces:
        raise StatementError(name, Text(N_("camt namespace without message type and "
                                            "version")),
                             expected="urn:iso:std:iso:20022:tech:xsd:camt.05x.001.nn")
    if inner_tag in _CAMT_ROOT or tag in _CAMT_ROOT:
        found = namespaces.decode("ascii", "replace") or _("no namespace")
        raise StatementError(name, Text(N_("camt-like document without the ISO 20022 camt "
                                            "namespace ({found})"), found=found),
                             expected="urn:iso:std:iso:20022:tech:xsd:camt.05x.001.nn")
    ns = namespaces.decode("ascii", "replace") or _("no namespace")
    raise StatementError(name, Text(N_("XML root <{tag}> ({namespace}) is not a bank "
                                        "statement"), tag=tag.decode("ascii", "replace"),
                                     namespace=ns),
                         expected=Text(N_("a camt.052, camt.053 or camt.054 document")))


def _looks_like_csv(head: bytes) -> bool:
    text = head.decode("latin-1")
    lines = [ln for ln in text.splitlines()[:40] if ln.strip()]
    if len(lines) < 2:
        return False
    if sum(ch < " " and ch not in "\t\r\n" for ch in text[:4096]) > 2:
        return False
    return any(sum(d in ln for ln in lines) >= max(2, len(lines) // 2) for d in ",;\t|")
