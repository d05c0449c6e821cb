"""Match Automatically: the phases of ``matching`` and ``subsets`` in order (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.bank_reconciliation.matching import (
    Match,
    Prepared,
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
                        tolerance_days: int = 0,
                        amount_alone_needs_text: bool = True) -> AutoResult:
    """Match the lines to the entries; every line and entry is used at most once.
    ``amount_alone_needs_text``: beyond BC (see ``matching``); False is BC's rule."""
    if tolerance_days < 0:
        raise ValueError("the transaction date tolerance must not be negative")
    p = prepare(lines, entries, tolerance_days, amount_alone_needs_text)
    line_ids = sorted(p.lines, key=lambda i: (p.lines[i].date is None, p.lines[i].date, i))
    matches: list[Match] = []
    free = Free.of(p, set(line_ids), set(p.entries))
    # 1. groups a reference names: surer than an amount that happens to be equal
    _groups(p, line_ids, free, matches, referenced=True)
    # 2. BC's one-to-one, equal amounts
    for m in one_to_one(p, [i for i in line_ids if i in free.lines], free.entries):
        _take(matches, m, free)
    # 3. deposit slips without a reference: one exact combination in a quiet window
    _groups(p, line_ids, free, matches, referenced=False)
    # 4. BC's one-to-one with a different amount where a text matches
    for m in one_to_one(p, [i for i in line_ids if i in free.lines], free.entries,
                        exact=False):
        _take(matches, m, free)
    notes = twins_note(p, [i for i in line_ids if i in free.lines], free.entries)
    return AutoResult(tuple(matches), notes)


def _groups(p: Prepared, line_ids: list[int], free: Free, matches: list[Match],
            referenced: bool) -> None:
    for lid in line_ids:
        if lid in free.lines:
            m = group_for_line(p, p.lines[lid], free, referenced)
            if m is not None:
                _take(matches, m, free)
    if not referenced:
        return  # one entry in several lines needs the reference: sums of small lines
        # (fees) meet some entry's amount too often to trust
    # only entries a line names (an anchor of theirs in some line's text) can be
    # cleared by several lines: the others are not looked at (50,000 entries, few named)
    named = [no for no in free.entries if any(
        a in p.lines_by_anchor for _ref, found in p.entry_anchors.get(no, ()) for a in found)]
    for no in sorted(named, key=lambda n: (p.entries[n].posting_date, n)):
        if no in free.entries:
            m = group_for_entry(p, p.entries[no], free, referenced)
            if m is not None:
                _take(matches, m, free)


def _take(matches: list[Match], m: Match, free: Free) -> None:
    matches.append(m)
    free.lines.difference_update(m.line_ids)
    free.entries.difference_update(m.entry_nos)
