"""Loading entries for a change: locked in entry-number order, checked against the
versions the clerk saw, and the posting date checked against the allowed range."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from sqlmodel import Session, col, select

from core.audit.conflicts import conflict
from core.i18n import N_
from core.kernel.errors import ConflictError, NotFoundError, PostingError, Text
from core.kernel.store import chunks
from core.ledger.models import LedgerEntry
from core.ledger.poster import Poster


def lock_entries(s: Session, entry_nos: Iterable[int]) -> dict[int, LedgerEntry]:
    """Load entries ``FOR UPDATE`` in entry-number order (no lock-order deadlocks)."""
    found: dict[int, LedgerEntry] = {}
    for part in chunks(sorted(set(entry_nos))):
        rows = s.exec(select(LedgerEntry).where(col(LedgerEntry.entry_no).in_(part))
                      .order_by(col(LedgerEntry.entry_no))
                      .with_for_update(key_share=True)).all()
        found.update((e.entry_no, e) for e in rows)
    return found


def require_entries(found: Mapping[int, LedgerEntry], entry_nos: Iterable[int]) -> None:
    missing = sorted(set(entry_nos) - set(found))
    if missing:
        raise NotFoundError(N_("Ledger entry {missing} does not exist"), missing=missing[0])


def check_versions(found: Mapping[int, LedgerEntry], versions: Mapping[int, int] | None
                   ) -> None:
    """Optimistic check: the rows still have the versions the clerk saw."""
    for no, version in (versions or {}).items():
        e = found.get(no)
        if e is None or e.version != version:
            s = next((Session.object_session(x) for x in found.values()), None)
            what = Text(N_("Ledger entry {no}"), no=no)
            hint = N_("reload the entries and try again")
            if not isinstance(s, Session):
                raise ConflictError(N_("{what} was changed by someone else; {hint}."),
                                    what=what, hint=hint)
            raise conflict(s, what, entry_nos=[no], hint=hint)


def check_posting_date(poster: Poster, day: date) -> None:
    lo, hi = poster.company.allow_posting_from, poster.company.allow_posting_to
    if (lo and day < lo) or (hi and day > hi):
        raise PostingError(N_("The posting date {day} is not within the allowed posting range "
                              "{value} to {value2}."),
                           day=day, value=lo or '...', value2=hi or '...')
