"""Match Automatically for bank account reconciliation: pure, no database.

First BC's one-to-one algorithm (bc-spec §6): an open entry is a candidate of a line
when the signs agree, the dates are within the Transaction Date Tolerance, the
amounts are close (0.6 < line / entry remaining < 1.1) and either equal or a text
matches (document no., external document no. or description against the line's
texts, nearness >= 80, or a check number read from the line). Candidates are ranked
by the smaller amount difference, then the better text score, then the smaller date
difference; each line takes its best entry and each entry its best line.

Beyond BC (the order is ``auto.match_automatically``'s):
- groups a reference names come first (``subsets``): a deposit slip or card settlement
  no. in the line's text shared by several entries (many-to-one), or an entry's
  document no. named by several lines that add up to it (one-to-many); an amount that
  merely happens to be equal is weaker evidence than that;
- then BC's one-to-one on equal amounts; then one exact combination of the few entries
  in a quiet date window (unreferenced many-to-one); then BC's one-to-one with a
  different amount where a text matches;
- twins are never guessed: when a line's best candidates (or an entry's best lines)
  tie on amount, text and date, none of them is matched;
- a check number read from the line ("CHQ 0001234") names its check entry whatever
  the date (checks clear weeks later), and a different check number excludes it;
- setting ``amount_alone_needs_text`` (on by default; off = BC): an equal amount is
  the only evidence when no reference, check no. or text matches. BC accepts that;
  here a line whose texts share nothing with the entry's is not matched on the amount
  (a bank fee "ACCOUNT FEE" of 13.27 is not the outstanding payment of 13.27 that
  happens to lie in the date window), and a line without any text only when the
  entry was posted on the transaction date and is the only open entry of that amount
  within ``ALONE_DAYS`` days. Texts that are related (nearness >= ``RELATED``, e.g.
  the payer's name in both) keep BC's rule.

Every match carries evidence sentences in the words of the payment journal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from core.bank_reconciliation.evidence import Minor, said
from core.bank_reconciliation.textkeys import (
    MATCHED,
    anchors,
    check_number,
    compact,
    norm_check,
    reference_found,
    text_score,
)
from core.i18n import N_

CHECK_WINDOW_DAYS = 180  # a check may clear up to this long after it was posted
RELATED = 30  # nearness from which the texts of a line and an entry are related
ALONE_DAYS = 10  # an amount-only match: no other entry of the amount this close


@dataclass(frozen=True)
class RecLine:
    """A statement line as the matcher sees it (amount in minor units)."""

    id: int
    date: date | None
    amount: int
    description: str = ""
    related_party_name: str = ""
    additional_info: str = ""
    document_no: str = ""
    check_no: str = ""  # as given by the file; else read from the texts

    @property
    def texts(self) -> tuple[str, ...]:
        return (self.description, self.related_party_name, self.additional_info,
                self.document_no)


@dataclass(frozen=True)
class RecEntry:
    """An open bank ledger entry (remaining amount in minor units)."""

    entry_no: int
    posting_date: date
    amount: int
    document_no: str = ""
    external_document_no: str = ""
    description: str = ""
    check_no: str = ""  # of its check ledger entry

    @property
    def refs(self) -> tuple[str, ...]:
        return (self.document_no, self.external_document_no)


@dataclass(frozen=True)
class Match:
    """One automatic match: ``kind`` one_to_one | many_to_one | one_to_many."""

    kind: str
    line_ids: tuple[int, ...]
    entry_nos: tuple[int, ...]
    details: tuple[str, ...]


@dataclass
class Prepared:
    """Lines and entries with their derived keys and indexes."""

    lines: dict[int, RecLine]
    entries: dict[int, RecEntry]
    tolerance: int
    amount_alone_needs_text: bool = True
    line_text: dict[int, str] = field(default_factory=dict)
    line_compact: dict[int, str] = field(default_factory=dict)
    line_check: dict[int, str] = field(default_factory=dict)
    entry_check: dict[int, str] = field(default_factory=dict)
    by_amount: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_anchor: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_check: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    lines_by_anchor: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    line_anchors: dict[int, set[str]] = field(default_factory=dict)
    entry_anchors: dict[int, list[tuple[str, set[str]]]] = field(default_factory=dict)
    # line id -> entries of its amount refused because the amount was the only evidence
    alone: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))


def prepare(lines: Sequence[RecLine], entries: Sequence[RecEntry], tolerance: int,
            amount_alone_needs_text: bool = True) -> Prepared:
    p = Prepared({ln.id: ln for ln in lines}, {e.entry_no: e for e in entries}, tolerance,
                 amount_alone_needs_text)
    for e in entries:
        p.by_amount[e.amount].append(e.entry_no)
        refs = [(ref, found) for ref in e.refs if ref and (found := anchors(ref))]
        if refs:
            p.entry_anchors[e.entry_no] = refs
            for _ref, found in refs:
                for a in found:
                    p.by_anchor[a].append(e.entry_no)
        if e.check_no:
            no = norm_check(e.check_no)
            p.entry_check[e.entry_no] = no
            p.by_check[no].append(e.entry_no)
    for ln in lines:
        text = " ".join(t for t in ln.texts if t)
        p.line_text[ln.id] = text
        p.line_compact[ln.id] = compact(text)
        no = norm_check(ln.check_no) if ln.check_no else check_number(text)
        if no:
            p.line_check[ln.id] = no
        p.line_anchors[ln.id] = anchors(text)
        for a in p.line_anchors[ln.id]:
            p.lines_by_anchor[a].append(ln.id)
    return p


def day_diff(ln: RecLine, e: RecEntry) -> int:
    return 0 if ln.date is None else abs((ln.date - e.posting_date).days)


def in_window(p: Prepared, ln: RecLine, e: RecEntry) -> bool:
    return ln.date is None or day_diff(ln, e) <= p.tolerance


@dataclass(frozen=True)
class Pair:
    line_id: int
    entry_no: int
    amount_diff: int
    text: int
    days: int
    leading: tuple[str, ...]  # the check, reference, text and amount-alone sentences
    line_amount: int
    entry_amount: int
    tolerance: int

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.amount_diff, -self.text, self.days)

    @property
    def evidence(self) -> tuple[str, ...]:
        """Every sentence, the amount and date ones written only for the pairs that
        are kept (tens of thousands of candidates, a few thousand matches)."""
        if self.amount_diff:
            amount = said(N_("The amount differs from the entry's remaining amount "
                             "{remaining} by {difference}."), remaining=Minor(self.entry_amount),
                          difference=Minor(self.line_amount - self.entry_amount))
        else:
            amount = said(N_("The amount {fmt} equals the remaining amount of bank entry "
                             "{entry_no}."), fmt=Minor(self.line_amount), entry_no=self.entry_no)
        when = said(N_("Posted on the transaction date.")) if self.days == 0 else \
            said(N_("Posted {days} day(s) from the transaction date (tolerance "
                    "{tolerance} day(s))."), days=self.days, tolerance=self.tolerance)
        return (*self.leading, amount, when)


def _close(line_amount: int, entry_amount: int) -> bool:
    if line_amount == 0 or entry_amount == 0 or (line_amount > 0) != (entry_amount > 0):
        return False
    ratio = abs(line_amount) / abs(entry_amount)
    return 0.6 < ratio < 1.1


def _pair(p: Prepared, ln: RecLine, e: RecEntry) -> Pair | None:
    """The candidate (line, entry), or None when BC's tests (and ours) exclude it."""
    if not _close(ln.amount, e.amount):
        return None
    line_check, entry_check = p.line_check.get(ln.id), p.entry_check.get(e.entry_no)
    if line_check and entry_check and line_check != entry_check:
        return None  # the bank names another check
    evidence: list[str] = []
    checked = bool(line_check and line_check == entry_check)
    if checked:
        if ln.date is not None and not (
                -p.tolerance <= (ln.date - e.posting_date).days <= CHECK_WINDOW_DAYS):
            return None
        evidence.append(said(N_("Check number {line_check} read from the statement line "
                                "equals the check no. of bank entry {entry_no}."),
                             line_check=line_check, entry_no=e.entry_no))
    elif not in_window(p, ln, e):
        return None
    text = 100 if checked else 0
    near = 0
    found = [r for r in e.refs if reference_found(r, p.line_text[ln.id],
                                                   p.line_compact[ln.id])]
    if found:
        text = 100
        evidence.append(said(N_("Document no. {value} of bank entry {entry_no} was found in "
                                "the transaction text."), value=found[0], entry_no=e.entry_no))
    elif not checked:
        near = text_score((*e.refs, e.description), ln.texts)
        if near >= MATCHED:
            text = near
            evidence.append(said(N_("The transaction text matches bank entry {entry_no}'s "
                                    "texts with {near}% similarity (BC string nearness)."),
                                 entry_no=e.entry_no, near=near))
    diff = abs(ln.amount - e.amount)
    if diff and text < MATCHED:
        return None  # a different amount needs a text that matches
    if not diff and text < MATCHED and p.amount_alone_needs_text and near < RELATED:
        alone = _amount_alone(p, ln, e)
        if alone is None:
            p.alone[ln.id].append(e.entry_no)
            return None
        evidence.append(alone)
    days = day_diff(ln, e)
    return Pair(ln.id, e.entry_no, diff, text, days, tuple(evidence), ln.amount, e.amount,
                p.tolerance)


def _amount_alone(p: Prepared, ln: RecLine, e: RecEntry) -> str | None:
    """The sentence that lets an equal amount alone match, or None: never when the line
    has a text (it is unrelated to the entry's); without text, only an entry posted on
    the transaction date that is the only open entry of the amount within
    ``ALONE_DAYS`` days of it."""
    if p.line_text[ln.id].strip() or ln.date is None or day_diff(ln, e) != 0:
        return None
    for no in p.by_amount.get(e.amount, ()):
        if no != e.entry_no and abs((p.entries[no].posting_date - ln.date).days) <= ALONE_DAYS:
            return None
    return said(N_("Beyond BC (setting Amount alone needs text): the line has no text, but "
                   "bank entry {entry_no} was posted on the transaction date and is the only "
                   "open entry of this amount within {days} days."), entry_no=e.entry_no,
                days=ALONE_DAYS)


def candidates(p: Prepared, line_ids: Sequence[int], free: set[int],
               exact: bool = False) -> list[Pair]:
    """Every acceptable (line, entry) pair among the free entries (``exact``: of the
    line's amount only)."""
    pairs: list[Pair] = []
    entries = p.entries
    for lid in line_ids:
        ln = p.lines[lid]
        seen: set[int] = set()
        pool = list(p.by_amount.get(ln.amount, ()))
        if lid in p.line_check:
            pool += p.by_check.get(p.line_check[lid], ())
        for a in p.line_anchors[lid]:
            pool += p.by_anchor.get(a, ())
        for no in pool:
            if no in seen or no not in free:
                continue
            seen.add(no)
            e = entries[no]
            if exact and e.amount != ln.amount:
                continue
            pair = _pair(p, ln, e)
            if pair is not None:
                pairs.append(pair)
    return pairs


def one_to_one(p: Prepared, line_ids: Sequence[int], free: set[int],
               exact: bool = True) -> list[Match]:
    """BC's best candidate per line and per entry; ties (twins) stay unmatched.
    ``exact``: only equal amounts (the pass before the groups, which may explain a
    line that a near amount would otherwise take)."""
    pairs = candidates(p, line_ids, free, exact)
    by_key: dict[tuple[int, int, int], list[Pair]] = defaultdict(list)
    for pair in pairs:
        by_key[pair.key].append(pair)
    done_lines: set[int] = set()
    done_entries: set[int] = set()
    matches: list[Match] = []
    runner_up: dict[int, list[Pair]] = defaultdict(list)
    for pair in pairs:
        runner_up[pair.line_id].append(pair)
    for key in sorted(by_key):
        group = [x for x in by_key[key]
                 if x.line_id not in done_lines and x.entry_no not in done_entries]
        per_line: dict[int, list[Pair]] = defaultdict(list)
        per_entry: dict[int, list[Pair]] = defaultdict(list)
        for x in group:
            per_line[x.line_id].append(x)
            per_entry[x.entry_no].append(x)
        contested_l = {lid for lid, xs in per_line.items() if len(xs) > 1}
        contested_e = {no for no, xs in per_entry.items() if len(xs) > 1}
        for x in group:
            if x.line_id in contested_l or x.entry_no in contested_e:
                continue
            done_lines.add(x.line_id)
            done_entries.add(x.entry_no)
            matches.append(Match("one_to_one", (x.line_id,), (x.entry_no,),
                                 (*x.evidence, *_lost(x, runner_up[x.line_id]))))
        # twins: nobody among them is matched, and no worse candidate may take them
        done_lines |= contested_l
        done_entries |= {x.entry_no for x in group if x.line_id in contested_l}
        done_entries |= contested_e
        done_lines |= {x.line_id for x in group if x.entry_no in contested_e}
    return matches


def _lost(winner: Pair, pairs: list[Pair]) -> tuple[str, ...]:
    others = sorted((x for x in pairs if x.entry_no != winner.entry_no), key=lambda x: x.key)
    if not others:
        return ()
    o = others[0]
    if o.amount_diff != winner.amount_diff:
        why = said(N_("its amount is further from the statement amount"))
    elif o.text != winner.text:
        why = said(N_("its texts match the line less"))
    else:
        why = said(N_("it was posted further from the transaction date"))
    return (said(N_("Runner-up bank entry {entry_no} lost: {why}."), entry_no=o.entry_no,
                 why=why),)


def twins_note(p: Prepared, line_ids: Sequence[int], free: set[int]) -> dict[int, str]:
    """Why a line with same-amount candidates stayed unmatched (for its details)."""
    notes: dict[int, str] = {}
    for lid in line_ids:
        ln = p.lines[lid]
        same = [no for no in p.by_amount.get(ln.amount, ()) if no in free
                and in_window(p, ln, p.entries[no])]
        if len(same) > 1:
            nos = ", ".join(str(n) for n in sorted(same)[:4])
            notes[lid] = said(N_("Not matched: bank entries {nos} have the same amount and "
                                 "neither the date nor the text tells them apart."), nos=nos)
        elif alone := sorted({n for n in p.alone.get(lid, ()) if n in free}):
            nos = ", ".join(str(n) for n in alone[:4])
            notes[lid] = said(N_("Not matched (setting Amount alone needs text): bank entry "
                                 "{nos} has the same amount, but nothing else links the line "
                                 "to it (no reference, check no. or related text)."), nos=nos)
    return notes
