"""Assignment walk (§3.4 step 7) with remaining-amount tracking across lines."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.matching.candidates import Cand, entry_fit_disc
from core.matching.index import MatchIndex
from core.matching.signals import LineCtx


@dataclass(slots=True)
class Allocation:
    """What a line takes from its chosen candidate: (id, applied, discount) in units,
    absolute values (the proposal restores the statement sign)."""

    cand: Cand
    parts: list[tuple[int, int, int]]
    short: bool  # an entry had less left than its remaining amount (used elsewhere)


@dataclass(slots=True)
class Ledger:
    """Amount still available per entry while lines are assigned."""

    index: MatchIndex
    used: dict[tuple[str, int], int] = field(default_factory=dict)
    users: dict[tuple[str, int], list[int]] = field(default_factory=dict)

    def full(self, kind: str, i: int) -> int:
        return abs(self.index.bank_rem[i] if kind == "bank" else self.index.rem[i])

    def avail(self, kind: str, i: int) -> int:
        return self.full(kind, i) - self.used.get((kind, i), 0)

    def take(self, kind: str, i: int, units: int, line_no: int) -> None:
        self.used[(kind, i)] = self.used.get((kind, i), 0) + units
        self.users.setdefault((kind, i), []).append(line_no)


def space(c: Cand) -> str:
    return "bank" if c.kind in ("bank", "mapping") else "cv"


def available(c: Cand, ledger: Ledger) -> bool:
    return c.kind == "mapping" or any(ledger.avail(space(c), i) > 0 for i in c.ids)


def allocate(c: Cand, ctx: LineCtx, ledger: Ledger) -> Allocation | None:
    """Apply in due-date order until the line amount is used (BC AbsMin rule)."""
    if c.kind == "mapping":
        return Allocation(c, [], False)
    left = abs(ctx.amount)
    parts: list[tuple[int, int, int]] = []
    short = False
    kind = space(c)
    for i in c.ids:
        have = ledger.avail(kind, i)
        short = short or have < ledger.full(kind, i)
        if have <= 0 or left <= 0:
            continue
        disc = 0
        if kind == "cv" and c.use_disc and entry_fit_disc(ctx, ledger.index, i) \
                and have == ledger.full(kind, i):
            disc = abs(ledger.index.disc[i])
        if disc and left >= have - disc:
            parts.append((i, have, disc))
            left -= have - disc
        else:
            applied = min(have, left)
            parts.append((i, applied, 0))
            left -= applied
    return Allocation(c, parts, short) if parts else None


@dataclass(slots=True)
class WalkResult:
    chosen: dict[int, Allocation] = field(default_factory=dict)  # line pos -> allocation
    taken: dict[int, list[tuple[Cand, list[int]]]] = field(default_factory=dict)
    ties: dict[int, list[Cand]] = field(default_factory=dict)


def walk(cands: list[Cand], ctxs: list[LineCtx], ledger: Ledger) -> WalkResult:
    """Best score first (ties: more entries, stronger evidence, line order)."""
    by_line: dict[int, list[Cand]] = {}
    for c in cands:
        by_line.setdefault(c.pos, []).append(c)
    order = sorted(cands, key=lambda c: (-c.score, -len(c.ids), -c.fine, c.pos))
    result = WalkResult()
    for c in order:
        if c.pos in result.chosen:
            continue
        ctx = ctxs[c.pos]
        alloc = allocate(c, ctx, ledger) if available(c, ledger) else None
        if alloc is None:
            users = sorted({u for i in c.ids for u in ledger.users.get((space(c), i), [])})
            result.taken.setdefault(c.pos, []).append((c, users))
            continue
        result.ties[c.pos] = [o for o in by_line[c.pos] if o is not c and o.score == c.score
                              and o.key != c.key and available(o, ledger)]
        for i, applied, _disc in alloc.parts:
            ledger.take(space(c), i, applied, ctx.line.line_no)
        result.chosen[c.pos] = alloc
    return result
