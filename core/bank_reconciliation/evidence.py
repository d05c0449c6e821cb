"""Match evidence kept language-neutral: worded in the reader's language when shown.

The matcher says why it matched with :func:`said`: a ``str`` (the sentence in the
current language, so the matcher's callers and tests read it as text) that also keeps
its message id and parameters. What the database stores (``details_json``) is
:func:`records` of them: ``{"id": message id, "params": {...}}``, with an amount as
``{"minor": units}`` and a nested sentence as a record of its own. :func:`render` words
stored records in the current language, so a French clerk reads French evidence for a
match an English clerk made, and the other way round. A plain string in the store (a
line matched before evidence was stored this way) is shown as it was written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from core.i18n import LazyString, _, format_amount
from core.kernel.money import from_minor

Record = dict[str, Any]


class Minor(int):
    """An amount in minor units, worded as the locale's amount."""


class Said(str):
    """A sentence in the current language that remembers its message id and params."""

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, params: dict[str, Any]) -> Said:
        self = super().__new__(cls, _word(msgid, params))
        self.msgid, self.params = msgid, params
        return self

    def record(self) -> Record:
        return {"id": self.msgid, "params": {k: _param_record(v) for k, v in self.params.items()}}


def said(message: str, /, **params: Any) -> Said:
    """``message`` (marked with ``N_``) with ``params``; amounts as :class:`Minor`."""
    msgid = message.msgid if isinstance(message, LazyString) and message.msgid else message
    return Said(str(msgid), params)


def _param_record(value: Any) -> Any:
    if isinstance(value, Said):
        return value.record()
    if isinstance(value, Minor):
        return {"minor": int(value)}
    return value


def _param_text(value: Any) -> Any:
    if isinstance(value, Mapping):
        if "minor" in value:
            return format_amount(from_minor(int(value["minor"])))
        if "id" in value:
            return _word(str(value["id"]), dict(value.get("params") or {}))
    if isinstance(value, Minor):
        return format_amount(from_minor(int(value)))
    if isinstance(value, Said):
        return _word(value.msgid, value.params)
    return value


def _word(msgid: str, params: Mapping[str, Any]) -> str:
    shown = {k: _param_text(v) for k, v in params.items()}
    try:
        return _(msgid).format(**shown)
    except (KeyError, IndexError, ValueError):  # a broken translation: the English text
        return msgid.format(**shown)


def records(evidence: Iterable[str]) -> list[Record | str]:
    """What to store for ``evidence`` (plain strings stay as they are)."""
    return [e.record() if isinstance(e, Said) else str(e) for e in evidence]


def render(stored: Iterable[Any]) -> tuple[str, ...]:
    """Stored evidence as sentences in the current language."""
    out: list[str] = []
    for item in stored:
        if isinstance(item, Mapping) and "id" in item:
            out.append(_word(str(item["id"]), dict(item.get("params") or {})))
        else:
            out.append(str(item))
    return tuple(out)
