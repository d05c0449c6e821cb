"""The TUI side of core.i18n: Textual reads ``Binding`` descriptions as plain strings
captured at import time, so after the language changes (or when an app starts in a
language other than the one current at import) they are re-made in the new language."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from textual.app import App
from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from core.i18n import LazyString


def _subclasses(cls: type[Any]) -> Iterator[type[Any]]:
    sub: type[Any]
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _again(text: str) -> str:
    """``text`` in the current language; Textual's own plain descriptions become lazy
    strings too (their French is in parts/textual.po), so they switch back as well."""
    if isinstance(text, LazyString):
        return LazyString(text.msgid, text.context)
    return LazyString(text) if text else text


def _retranslate_map(bindings: BindingsMap | None, seen: set[int]) -> int:
    if bindings is None:
        return 0
    changed = 0
    for items in bindings.key_to_bindings.values():
        if id(items) in seen:  # maps copied from a class share its lists
            continue
        seen.add(id(items))
        for i, binding in enumerate(items):
            if binding.description or binding.tooltip:
                items[i] = replace(binding, description=_again(binding.description),
                                   tooltip=_again(binding.tooltip))
                changed += 1
    return changed


def retranslate(app: App[Any]) -> int:
    """Re-make every marked binding description in the current language: on every
    widget class and every live node, then refresh the footers. Returns how many."""
    seen: set[int] = set()
    changed = 0
    for cls in _subclasses(DOMNode):
        # The class's own BINDINGS too: a screen class imported later merges its
        # bases' BINDINGS, which must then already be in the current language.
        own = cls.__dict__.get("BINDINGS")
        if isinstance(own, list):
            for i, item in enumerate(own):
                if isinstance(item, Binding) and (item.description or item.tooltip):
                    own[i] = replace(item, description=_again(item.description),
                                     tooltip=_again(item.tooltip))
        if "_merged_bindings" in cls.__dict__:
            changed += _retranslate_map(cls.__dict__["_merged_bindings"], seen)
    nodes: list[DOMNode] = [app]
    for screen in app.screen_stack:
        nodes.append(screen)
        nodes.extend(screen.walk_children(with_self=False))
    for node in nodes:
        changed += _retranslate_map(node._bindings, seen)
    for screen in app.screen_stack:
        screen.refresh_bindings()
    return changed


__all__ = ["Binding", "retranslate"]
