"""Match Automatically: the phases of ``matching`` and ``subsets`` in order (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.bank_reconciliation.matching import (
    Match,
    RecEntry,
    RecLine,
    one_to_one,
    prepare,
    twins_note,
)
from core.bank_reconciliation.subsets import Free, group_for_entry, group_for_line


@dataclass(frozen=True)
class AutoResult:
    matches: tuple[Match, ...]
    notes: dict[int, str]  # line id -> why it stayed unmatched (when worth saying)


def match_automatically(lines: Sequence[RecLine], entries: Sequence[RecEntry],
                        tolerance_days: int = 0) -> AutoResult:
    """Match the lines to the entries; every line and entry is used at most once."""
    if tolerance_days < 0:
        raise ValueError("the transaction date tolerance must not be negative")
    p = prepare(lines, entries, tolerance_days)
    free_entries = set(p.entries)
    line_ids = sorted(p.lines, key=lambda i: (p.lines[i].date is None, p.lines[i].date, i))
    matches = one_to_one(p, line_ids, free_entries)
    used_l = {i for m in matches for i in m.line_ids}
    used_e = {n for m in matches for n in m.entry_nos}
    free = Free.of(p, set(line_ids) - used_l, free_entries - used_e)
    for referenced in (True, False):
        for lid in [i for i in line_ids if i in free.lines]:
            if lid not in free.lines:
                continue
            m = group_for_line(p, p.lines[lid], free, referenced)
            if m is not None:
                _take(matches, m, free)
        for no in sorted(free.entries, key=lambda n: (p.entries[n].posting_date, n)):
            if no not in free.entries:
                continue
            m = group_for_entry(p, p.entries[no], free, referenced)
            if m is not None:
                _take(matches, m, free)
    near = one_to_one(p, [i for i in line_ids if i in free.lines], free.entries, exact=False)
    for m in near:
        _take(matches, m, free)
    notes = twins_note(p, [i for i in line_ids if i in free.lines], free.entries)
    return AutoResult(tuple(matches), notes)


def _take(matches: list[Match], m: Match, free: Free) -> None:
    matches.append(m)
    free.lines.difference_update(m.line_ids)
    free.entries.difference_update(m.entry_nos)
