"""Reasons kept language-neutral: worded in the reader's language when shown.

A :class:`Worded` is a ``str`` (the sentence in the current language, so the preview
and its tests read it as text) that also keeps its message id and parameters (dates,
numbers, text and nested ``Worded``). :func:`stored` is what the database keeps (a
suspicious line's ``suspect_reason``): ``{"id": ..., "params": {...}}`` as JSON;
:func:`shown` words a stored value in the current language, and shows a plain text
stored before (or a parser's own words) as it was written.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from core.i18n import LazyString
from core.kernel.errors import Text, render


class Worded(str):
    """A sentence in the current language that remembers its message id and params."""

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, params: dict[str, Any]) -> Worded:
        self = super().__new__(cls, _word(msgid, params))
        self.msgid, self.params = msgid, params
        return self

    def record(self) -> dict[str, Any]:
        return {"id": self.msgid, "params": {k: _param_record(v) for k, v in self.params.items()}}


def worded(message: str, /, **params: Any) -> Worded:
    """``message`` (marked with ``N_``) with ``params``."""
    msgid = message.msgid if isinstance(message, LazyString) and message.msgid else message
    return Worded(str(msgid), params)


def _word(msgid: str, params: dict[str, Any]) -> str:
    return render(msgid, {k: _param_value(v) for k, v in params.items()})


def record(text: Text | str) -> Any:
    """A warning or reason as JSON-able data: a ``Text`` or ``Worded`` as
    ``{"id": ..., "params": {...}}`` (dates and decimals kept typed), a plain text as is."""
    if isinstance(text, Worded):
        return text.record()
    if isinstance(text, Text):
        return {"id": text.message_id,
                "params": {k: _param_record(v) for k, v in text.params.items()}}
    return str(text)


def worded_record(data: Any) -> str:
    """A :func:`record` worded in the current language (a plain text as written)."""
    if isinstance(data, dict) and "id" in data:
        try:
            return _word(str(data["id"]), dict(data.get("params") or {}))
        except (ValueError, TypeError):
            return str(data["id"])
    return str(data)


def _param_record(value: Any) -> Any:
    if isinstance(value, Worded | Text):
        return record(value)
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    return value if value is None or isinstance(value, bool | int | float) else str(value)


def _param_value(value: Any) -> Any:
    """A stored parameter back to what ``render`` words (a date, a nested sentence)."""
    if isinstance(value, Worded):
        return _word(value.msgid, value.params)
    if isinstance(value, dict):
        if "date" in value:
            return date.fromisoformat(str(value["date"]))
        if "decimal" in value:
            return Decimal(str(value["decimal"]))
        if "id" in value:
            return _word(str(value["id"]), dict(value.get("params") or {}))
    return value


def stored(text: str) -> str:
    """What the database keeps: a ``Worded`` as its record, a plain text as it is."""
    return json.dumps(text.record(), ensure_ascii=False) if isinstance(text, Worded) else text


def stored_list(texts: Iterable[Text | str]) -> str:
    """What the database keeps for a list of warnings: a JSON list of records."""
    return json.dumps([record(t) for t in texts], ensure_ascii=False)


def shown_list(value: str) -> list[str]:
    """Stored warnings in the current language: a JSON list of records (or of plain
    texts, as imports stored them before), or one plain text."""
    if not value:
        return []
    try:
        data = json.loads(value)
    except ValueError:
        return [value]
    if not isinstance(data, list):
        return [value]
    return [worded_record(item) for item in data]


def shown(value: str) -> str:
    """A stored value in the current language (a plain text as it was written)."""
    if not value.startswith('{"id"'):
        return value
    try:
        data = json.loads(value)
        return _word(str(data["id"]), dict(data.get("params") or {}))
    except (ValueError, KeyError, TypeError):
        return value
