"""Safety rules for XML statement files (CAMT, OFX 2.x).

Refuses DTDs that declare entities (billion laughs) or external entities (XXE),
caps file size and nesting depth, and builds the lxml parser settings used for
every XML parse: no entity resolution, no network, no DTD loading, no huge trees.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from core.i18n import N_
from core.kernel.errors import Text
from core.kernel.files import MAX_FILE_BYTES  # one cap for every file a clerk gives

__all__ = ["MAX_FILE_BYTES"]

MAX_DEPTH = 64
"""Deepest element nesting accepted in an XML statement."""

PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "huge_tree": False,
    "load_dtd": False,
    "remove_comments": True,
    "remove_pis": True,
}

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_EXTERNAL = re.compile(rb"\b(SYSTEM|PUBLIC)\b", re.IGNORECASE)


def _ascii_view(data: bytes) -> bytes:
    """Bytes to scan for markup even when the file is UTF-16/32 encoded."""
    head = data[:4]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(head) == 4 and b"\x00" in head):
        return data.replace(b"\x00", b"")
    return data


def dtd_problem(data: bytes) -> Text | None:
    """Why ``data`` must be refused for its DTD, or None when it is harmless.

    Any entity declaration (internal: billion laughs; external: XXE) and any DOCTYPE
    that points to an external DTD (SYSTEM/PUBLIC) is refused.
    """
    view = _ascii_view(data)
    if re.search(rb"<!ENTITY", view, re.IGNORECASE):
        return Text(N_("contains a DTD/entity declaration, refused for safety"))
    match = _DOCTYPE.search(view)
    if match is None:
        return None
    close = view.find(b">", match.end())
    doctype = view[match.start(): close if close >= 0 else len(view)]
    if _EXTERNAL.search(doctype):
        return Text(N_("contains a DTD/entity declaration (external DTD), refused for "
                        "safety"))
    return None


def size_problem(data: bytes) -> Text | None:
    if len(data) > MAX_FILE_BYTES:
        return Text(N_("is {size} bytes, larger than the {cap} bytes accepted"),
                    size=Decimal(len(data)), cap=Decimal(MAX_FILE_BYTES))
    return None
