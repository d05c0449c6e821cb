"""Writing the audit trail (``core.audit.models.AuditEntry``).

Services call ``record`` inside the same write session as the change, so the trail
entry and the change commit or roll back together. ``changes`` maps a field to its
``(before, after)`` values; ``snapshot`` and ``diff`` build it from a record before and
after the change. Values are stored as JSON text (Decimals and dates as strings).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from core.audit.models import AuditEntry
from core.i18n import LazyString
from core.kernel.errors import Text, TextList, render


def _plain(value: Any) -> Any:
    if isinstance(value, Text):  # a part of a note, worded when the note is shown
        return {"msg": value.message_id, "params": {k: _plain(v) for k, v in
                                                    value.params.items()}}
    if isinstance(value, TextList):
        return {"list": [_plain(v) for v in value.items], "sep": value.sep}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def snapshot(record: Any, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The plain values of ``record``'s fields (all its columns when ``fields`` is None)."""
    if fields is None:
        fields = [c.name for c in record.__table__.columns]
    return {f: _plain(getattr(record, f)) for f in fields}


def diff(before: Mapping[str, Any], after: Mapping[str, Any],
         ignore: Iterable[str] = ("version",)) -> dict[str, tuple[Any, Any]]:
    """Fields whose value differs, as ``{field: (before, after)}``."""
    skip = set(ignore)
    return {k: (before.get(k), after.get(k)) for k in sorted(set(before) | set(after))
            if k not in skip and before.get(k) != after.get(k)}


_MESSAGE = '{"msg": '


def message(message_id: str, **params: Any) -> str:
    """A note stored language-neutral: the marked English text (``N_``) and its
    parameters; ``note_text`` shows it in the reader's language."""
    msgid = message_id.msgid if isinstance(message_id, LazyString) else str(message_id)
    return json.dumps({"msg": msgid, "params": {k: _plain(v) for k, v in params.items()}},
                      ensure_ascii=False)


def note_text(note: str) -> str:
    """A stored note in the current language (plain notes are shown as written)."""
    if not note.startswith(_MESSAGE):
        return note
    try:
        data = json.loads(note)
        return render(str(data["msg"]), {k: _revive(v) for k, v in
                                         dict(data.get("params") or {}).items()})
    except (ValueError, KeyError, TypeError):
        return note


def note_as_text(note: str, width: int = 80) -> Text | str:
    """A stored note kept language-neutral (worded when shown); a plain note cut to
    ``width``."""
    if note.startswith(_MESSAGE):
        try:
            revived = _revive(json.loads(note))
        except (ValueError, TypeError):
            revived = None
        if isinstance(revived, Text):
            return revived
    return note[:width]


def _revive(value: Any) -> Any:
    """A stored note parameter back to what ``render`` words (a nested part)."""
    if isinstance(value, dict) and "msg" in value:
        return Text(str(value["msg"]), **{k: _revive(v) for k, v in
                                          dict(value.get("params") or {}).items()})
    if isinstance(value, dict) and "list" in value:
        return TextList([_revive(v) for v in value["list"]], str(value.get("sep", "; ")))
    return value


def record(s: Session, *, user: str, action: str, entity: str, key: object,
           changes: Mapping[str, Any] | None = None, note: str = "",
           at: datetime | None = None) -> AuditEntry:
    """Add one trail entry to the session ``s`` (committed with the caller's change).
    A ``(before, after)`` pair that is blank on both sides (a field left empty on a new
    record) is left out."""
    changes = {k: v for k, v in (changes or {}).items()
               if not (isinstance(v, tuple | list) and len(v) == 2
                       and all(x in (None, "") for x in v))}
    entry = AuditEntry(
        at=at or datetime.now(UTC), user=user, action=action, entity=entity,
        record_key=str(key),
        changes=json.dumps({k: [_plain(v) for v in pair] if isinstance(pair, tuple | list)
                            else _plain(pair) for k, pair in (changes or {}).items()},
                           sort_keys=True, ensure_ascii=False),
        note=note)
    s.add(entry)
    return entry
