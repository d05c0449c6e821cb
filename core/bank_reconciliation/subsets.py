"""Many-to-one and one-to-many matches by exact, bounded subset search.

A group is matched only when it is certain enough to be right:
- *referenced*: the members are the ones a reference names (a deposit slip or card
  settlement no. that the line's text and the entries' document or external document
  no. share; or an entry's document no. that several lines name). All of them, or the
  one exact subset of them, must add up to the other side;
- *unreferenced*: among the few (at most ``MAX_POOL``) unmatched items of the same
  sign within the date window, exactly one combination of 2..``MAX_SIZE`` adds up.
  Two combinations, too many items or too long a search: nothing is matched.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from core.bank_reconciliation.evidence import Minor, said
from core.bank_reconciliation.matching import Match, Prepared, RecEntry, RecLine
from core.bank_reconciliation.textkeys import reference_found
from core.i18n import N_

MAX_POOL = 14
MAX_SIZE = 4
BUDGET = 20_000  # search nodes per group
SLIP_DAYS = 10  # a deposit slip's items may be posted this long before the credit
CROWDED = 8 * MAX_POOL  # more items than this in a window (matched or not): no search


def exact_subsets(items: Sequence[tuple[int, int]], target: int, max_size: int,
                  limit: int = 2, budget: int = BUDGET) -> list[tuple[int, ...]] | None:
    """Subsets (2..max_size items) of ``items`` ((key, positive value)) summing exactly
    to ``target``; at most ``limit`` of them. None when the budget ran out (unsure)."""
    order = sorted(items, key=lambda kv: -kv[1])
    values = [v for _k, v in order]
    suffix = [0] * (len(values) + 1)
    for i in range(len(values) - 1, -1, -1):
        suffix[i] = suffix[i + 1] + values[i]
    found: list[tuple[int, ...]] = []
    nodes = 0
    chosen: list[int] = []

    def dfs(start: int, left: int) -> bool:
        nonlocal nodes
        nodes += 1
        if nodes > budget:
            return False
        if left == 0:
            if len(chosen) >= 2:
                found.append(tuple(order[i][0] for i in chosen))
            return len(found) < limit
        if len(chosen) == max_size or suffix[start] < left:
            return True
        for i in range(start, len(values)):
            if values[i] > left:
                continue
            if suffix[i] < left:
                break
            chosen.append(i)
            go_on = dfs(i + 1, left - values[i])
            chosen.pop()
            if not go_on:
                return False
        return True

    complete = dfs(0, target)
    if not complete and nodes > budget:
        return None
    return found


@dataclass
class Free:
    """What is still unmatched, with date indexes for the window searches (the
    indexes keep matched items; the searches skip what is no longer free)."""

    lines: set[int]
    entries: set[int]
    entry_days: list[tuple[date, int]]
    line_days: list[tuple[date, int]]

    @classmethod
    def of(cls, p: Prepared, lines: set[int], entries: set[int]) -> Free:
        ed = sorted((p.entries[n].posting_date, n) for n in entries)
        ld = sorted((p.lines[i].date or date.min, i) for i in lines)
        return cls(lines, entries, ed, ld)


def _window(days: list[tuple[date, int]], lo: date, hi: date) -> list[int]:
    """The keys dated lo..hi; none when the window is too crowded to be sure of a
    combination (also keeps the search fast on large statements)."""
    a = bisect_left(days, (lo, -1))
    b = bisect_right(days, (hi, 1 << 62))
    if b - a > CROWDED:
        return []
    return [k for _d, k in days[a:b]]


def _same_sign(a: int, b: int) -> bool:
    return (a > 0) == (b > 0) and a != 0 and b != 0


def _pick(members: list[int], amount_of: dict[int, int], target: int,
          pool_limit: int) -> tuple[int, ...] | None:
    if len(members) < 2 or len(members) > pool_limit:
        return None
    if sum(amount_of[m] for m in members) == target:
        return tuple(members)
    found = exact_subsets([(m, abs(amount_of[m])) for m in members], abs(target),
                          min(MAX_SIZE, len(members)))
    if found is None or len(found) != 1:
        return None
    return found[0]


def group_for_line(p: Prepared, ln: RecLine, free: Free, referenced: bool) -> Match | None:
    """One statement line = several entries (deposit slip, card settlement)."""
    if ln.date is None:
        return None
    lo = ln.date - timedelta(days=p.tolerance + (SLIP_DAYS if referenced else 0))
    hi = ln.date + timedelta(days=p.tolerance)
    if referenced:
        ids: dict[int, str] = {}
        text, comp = p.line_text[ln.id], p.line_compact[ln.id]
        for a in p.line_anchors[ln.id]:
            for no in p.by_anchor.get(a, ()):
                e = p.entries[no]
                if no in free.entries and no not in ids and lo <= e.posting_date <= hi \
                        and _same_sign(e.amount, ln.amount):
                    ref = next((r for r in e.refs if reference_found(r, text, comp)), "")
                    if ref:
                        ids[no] = ref
        members = sorted(ids)
    else:
        members = [n for n in _window(free.entry_days, lo, hi)
                   if n in free.entries and _same_sign(p.entries[n].amount, ln.amount)
                   and abs(p.entries[n].amount) < abs(ln.amount)]
    amounts = {n: p.entries[n].amount for n in members}
    chosen = _pick(members, amounts, ln.amount, 60 if referenced else MAX_POOL)
    if chosen is None:
        return None
    chosen = tuple(sorted(chosen))
    what = ", ".join(str(n) for n in chosen)
    if referenced:
        refs = sorted({ids[n] for n in chosen})
        why = said(N_("The statement line names {refs}; bank entries {what} with that "
                      "reference sum to {amount}, the statement amount."),
                   refs=", ".join(refs), what=what, amount=Minor(ln.amount))
    else:
        why = said(N_("Exactly one combination of the {count} open entries within the date "
                      "window sums to {amount}: bank entries {what}."), count=len(members),
                   amount=Minor(ln.amount), what=what)
    return Match("many_to_one", (ln.id,), chosen, (why,))


def group_for_entry(p: Prepared, e: RecEntry, free: Free, referenced: bool) -> Match | None:
    """One entry cleared by several statement lines."""
    if referenced and e.entry_no not in p.entry_anchors:
        return None
    lo = e.posting_date - timedelta(days=p.tolerance)
    hi = e.posting_date + timedelta(days=p.tolerance + (SLIP_DAYS if referenced else 0))
    if referenced:
        ids: set[int] = set()
        for ref, found in p.entry_anchors[e.entry_no]:
            for a in found:
                for lid in p.lines_by_anchor.get(a, ()):
                    ln = p.lines[lid]
                    if lid in free.lines and ln.date is not None and lo <= ln.date <= hi \
                            and _same_sign(ln.amount, e.amount) \
                            and reference_found(ref, p.line_text[lid], p.line_compact[lid]):
                        ids.add(lid)
        members = sorted(ids)
    else:
        members = [i for i in _window(free.line_days, lo, hi)
                   if i in free.lines and _same_sign(p.lines[i].amount, e.amount)
                   and abs(p.lines[i].amount) < abs(e.amount)]
    amounts = {i: p.lines[i].amount for i in members}
    chosen = _pick(members, amounts, e.amount, 60 if referenced else MAX_POOL)
    if chosen is None:
        return None
    chosen = tuple(sorted(chosen))
    if referenced:
        ref = e.document_no or e.external_document_no
        why = said(N_("{count} statement lines name document no. {ref} and together clear "
                      "bank entry {entry_no} of {amount}."), count=len(chosen), ref=ref,
                   entry_no=e.entry_no, amount=Minor(e.amount))
    else:
        why = said(N_("Exactly one combination of the {count} statement lines within the "
                      "date window sums to bank entry {entry_no}'s {amount}."),
                   count=len(members), entry_no=e.entry_no, amount=Minor(e.amount))
    return Match("one_to_many", chosen, (e.entry_no,), (why,))
