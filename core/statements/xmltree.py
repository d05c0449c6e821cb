"""Namespace-agnostic flattening of small XML subtrees (one CAMT entry at a time).

``flatten`` walks an element once and records every leaf text under its path of
local names relative to that element (``"RltdPties/Dbtr/Nm"``), plus ``@Ccy``
attributes, while collecting named sub-elements (``TxDtls``, ``Strd``, ``Bal``)
for separate treatment. One pass per entry keeps a 50,000-entry file fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_LOCAL: dict[str, str] = {}


def local_name(tag: str) -> str:
    """``{urn:...}Ntry`` -> ``Ntry`` (cached)."""
    name = _LOCAL.get(tag)
    if name is None:
        name = tag.rsplit("}", 1)[-1]
        _LOCAL[tag] = name
    return name


class DepthError(Exception):
    """Raised by :func:`flatten` when nesting exceeds the allowed depth."""

    def __init__(self, element: Any) -> None:
        super().__init__("nesting too deep")
        self.element = element


@dataclass(slots=True)
class Flat:
    """Leaf texts by relative path, and collected sub-elements by local name."""

    texts: dict[str, list[str]] = field(default_factory=dict)
    subs: dict[str, list[Any]] = field(default_factory=dict)

    def first(self, *paths: str) -> str | None:
        """The first non-empty text among ``paths``."""
        for path in paths:
            values = self.texts.get(path)
            if values:
                for value in values:
                    if value:
                        return value
        return None

    def all(self, path: str) -> list[str]:
        return [v for v in self.texts.get(path, ()) if v]

    def under(self, prefix: str) -> list[str]:
        """Every leaf text below ``prefix`` in document order of paths."""
        start = prefix + "/"
        out: list[str] = []
        for key, values in self.texts.items():
            if key.startswith(start) and "@" not in key:
                out.extend(v for v in values if v)
        return out


def flatten(element: Any, stops: frozenset[str], depth: int, max_depth: int) -> Flat:
    """Flatten ``element`` (at absolute ``depth``); sub-elements named in ``stops``
    are collected in ``Flat.subs`` instead of being walked."""
    flat = Flat()
    _walk(element, "", flat, stops, depth, max_depth)
    return flat


# tag -> (local name, whether it is an amount whose currency attribute is kept)
_TAGS: dict[str, tuple[str, bool]] = {}


def _tag(tag: str) -> tuple[str, bool]:
    name = local_name(tag)
    info = _TAGS[tag] = (name, name.endswith("Amt"))
    return info


def _walk(el: Any, prefix: str, flat: Flat, stops: frozenset[str], depth: int,
          max_depth: int) -> None:
    if depth >= max_depth:
        raise DepthError(el)
    texts = flat.texts
    tags = _TAGS
    for child in el:
        tag = child.tag
        if tag.__class__ is not str:
            continue
        name, amount = tags.get(tag) or _tag(tag)
        if name in stops:
            flat.subs.setdefault(name, []).append(child)
            continue
        if len(child):
            _walk(child, prefix + name + "/", flat, stops, depth + 1, max_depth)
            continue
        path = prefix + name
        text = child.text
        value = text.strip() if text else ""
        found = texts.get(path)
        if found is None:
            texts[path] = [value]
        else:
            found.append(value)
        if amount:
            ccy = child.get("Ccy")
            if ccy is not None:
                texts.setdefault(path + "@Ccy", []).append(ccy.strip())


def max_depth_of(element: Any, depth: int, limit: int) -> None:
    """Raise DepthError when any descendant of ``element`` is deeper than ``limit``."""
    if depth >= limit:
        raise DepthError(element)
    for child in element:
        if isinstance(child.tag, str) and len(child):
            max_depth_of(child, depth + 1, limit)


def element_path(element: Any) -> str:
    """``Document/BkToCstmrStmt/Stmt/Ntry`` for an lxml element."""
    names: list[str] = []
    node = element
    while node is not None:
        if isinstance(node.tag, str):
            names.append(local_name(node.tag))
        node = node.getparent()
    return "/".join(reversed(names))
