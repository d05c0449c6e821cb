"""Bank ledgers and statements with known answers, for the bank reconciliation bench.

``generate(lines, outstanding, seed)`` returns open bank entries and statement lines
and, per line, the set of entries that is its right answer (empty: a fee or interest
without an entry). The mix: same-day and late-clearing items, checks cleared weeks
later (printed "CHQ 0001234", "CHEQUE N 1234", "Check #1234"), deposit slips and card
settlements as one credit, one entry split over two lines, twin amounts, fees and
interest without entries, entries still outstanding (some with amounts near a line's),
and lines whose text names nothing (amount and date only). Pure and deterministic.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from core.bank_reconciliation.matching import RecEntry, RecLine

START = date(2026, 1, 1)
NAMES = ("Adatum", "Fabrikam", "Contoso", "Northwind", "Tailspin", "Litware", "Proseware",
         "Wingtip", "Trey Research", "Alpine Ski", "Coho Winery", "Fourth Coffee")
CHECK_FORMS = ("CHQ {n:07d}", "CHEQUE N {n}", "Check #{n}", "CHK NO. {n:06d}", "Cheque {n}")


@dataclass
class World:
    entries: list[RecEntry] = field(default_factory=list)
    lines: list[RecLine] = field(default_factory=list)
    truth: dict[int, frozenset[int]] = field(default_factory=dict)  # line id -> entries
    kind: dict[int, str] = field(default_factory=dict)  # line id -> scenario
    outstanding: set[int] = field(default_factory=set)
    statement_date: date = START


class _Gen:
    def __init__(self, seed: int, days: int) -> None:
        self.r = random.Random(seed)
        self.w = World()
        self.days = days
        self.entry_no = 0
        self.line_id = 0
        self.doc = 0

    def amount(self, lo: int = 1000, hi: int = 500000) -> int:
        return self.r.randint(lo, hi)

    def day(self) -> date:
        return START + timedelta(days=self.r.randrange(self.days))

    def entry(self, amount: int, day: date, doc: str = "", ext: str = "", desc: str = "",
              check: str = "") -> int:
        self.entry_no += 1
        self.w.entries.append(RecEntry(self.entry_no, day, amount, doc, ext, desc, check))
        return self.entry_no

    def line(self, amount: int, day: date, text: str, kind: str, answer: tuple[int, ...]) -> int:
        self.line_id += 1
        self.w.lines.append(RecLine(self.line_id, day, amount, description=text))
        self.w.truth[self.line_id] = frozenset(answer)
        self.w.kind[self.line_id] = kind
        return self.line_id

    def next_doc(self, prefix: str) -> str:
        self.doc += 1
        return f"{prefix}{self.doc:06d}"

    # --- scenarios -------------------------------------------------------------------

    def simple(self, late: bool) -> None:
        amount = self.amount() * self.r.choice((1, -1))
        d = self.day()
        doc = self.next_doc("PMT" if amount > 0 else "PAY")
        name = self.r.choice(NAMES)
        e = self.entry(amount, d, doc, desc=f"{name} payment")
        shift = self.r.randint(1, 3) if late else 0
        text = f"{name} {doc}" if self.r.random() < 0.5 else f"{name} SEPA transfer"
        self.line(amount, d + timedelta(days=shift), text, "late" if late else "same_day", (e,))

    def check(self) -> None:
        amount = -self.amount()
        d = self.day()
        no = 100000 + self.doc
        self.doc += 1
        e = self.entry(amount, d, str(no), desc=f"Check to {self.r.choice(NAMES)}",
                       check=str(no))
        form = self.r.choice(CHECK_FORMS).format(n=no)
        self.line(amount, d + timedelta(days=self.r.randint(7, 40)), form, "check", (e,))

    def slip(self, card: bool) -> None:
        d = self.day()
        ref = (f"CB{d:%Y%m%d}{self.r.randint(10, 99)}" if card
               else f"DS-{self.r.randint(10000, 99999)}")
        parts = [self.amount(500, 80000) for _ in range(self.r.randint(2, 5))]
        es = tuple(self.entry(a, d - timedelta(days=self.r.randint(0, 3)), self.next_doc("DEP"),
                              ext=ref, desc="Card sales" if card else "Cash deposit")
                   for a in parts)
        text = f"CARD SETTLEMENT {ref}" if card else f"DEPOSIT SLIP {ref}"
        self.line(sum(parts), d + timedelta(days=1 if card else 0), text,
                  "card" if card else "slip", es)

    def split(self) -> None:
        amount = self.amount(20000, 500000)
        d = self.day()
        doc = self.next_doc("TRF")
        e = self.entry(amount, d, doc, desc="Incoming transfer")
        first = self.r.randint(amount // 5, amount * 4 // 5)
        self.line(first, d, f"PART 1 {doc}", "split", (e,))
        self.line(amount - first, d + timedelta(days=1), f"PART 2 {doc}", "split", (e,))

    def twins(self) -> None:
        amount = self.amount()
        d = self.day()
        e1 = self.entry(amount, d, self.next_doc("PMT"), desc="Payment")
        e2 = self.entry(amount, d, self.next_doc("PMT"), desc="Payment")
        self.line(amount, d, "SEPA CREDIT", "twin", (e1,))
        self.line(amount, d, "SEPA CREDIT", "twin", (e2,))

    def fee(self) -> None:
        interest = self.r.random() < 0.3
        amount = self.amount(10, 3000) * (1 if interest else -1)
        self.line(amount, self.day(), "INTEREST" if interest else "ACCOUNT FEE", "fee", ())

    def outstanding(self, near: RecLine | None = None) -> None:
        if near is not None:
            amount = near.amount + self.r.choice((-1, 1)) * self.r.randint(1, 100)
            d = near.date or self.day()
        else:
            amount = self.amount() * self.r.choice((1, -1))
            d = self.day()
        e = self.entry(amount, d, self.next_doc("OUT"), desc="Not yet through the bank")
        self.w.outstanding.add(e)


MIX = (("same_day", 0.40), ("late", 0.25), ("check", 0.10), ("slip", 0.05), ("card", 0.04),
       ("split", 0.03), ("twins", 0.02), ("fee", 0.11))


def generate(lines: int, outstanding: int, seed: int = 7, days: int = 60) -> World:
    """About ``lines`` statement lines and ``outstanding`` extra open entries."""
    g = _Gen(seed, days)
    while len(g.w.lines) < lines:
        x = g.r.random()
        kind = MIX[-1][0]
        for name, share in MIX:
            x -= share
            if x < 0:
                kind = name
                break
        if kind in ("same_day", "late"):
            g.simple(late=kind == "late")
        elif kind == "check":
            g.check()
        elif kind in ("slip", "card"):
            g.slip(card=kind == "card")
        elif kind == "split":
            g.split()
        elif kind == "twins":
            g.twins()
        else:
            g.fee()
    near = [ln for ln in g.w.lines if g.r.random() < 0.05]
    for ln in near:
        g.outstanding(ln)
    for _ in range(max(0, outstanding - len(near))):
        g.outstanding()
    g.w.statement_date = START + timedelta(days=days + 45)
    g.r.shuffle(g.w.entries)
    return g.w


def score(world: World, matched: dict[int, frozenset[int]]) -> dict[str, float | int]:
    """Precision (matched set exactly right), recall (of lines with an answer) and the
    number of outstanding entries matched."""
    right = sum(1 for lid, es in matched.items() if world.truth.get(lid) == es)
    answerable = sum(1 for es in world.truth.values() if es)
    out_hit = len({e for es in matched.values() for e in es} & world.outstanding)
    return {"lines": len(world.lines), "entries": len(world.entries),
            "answerable": answerable, "matched": len(matched), "right": right,
            "precision_pct": round(100.0 * right / len(matched), 3) if matched else 100.0,
            "recall_pct": round(100.0 * right / answerable, 3) if answerable else 100.0,
            "outstanding_matched": out_hit}
