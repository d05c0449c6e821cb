"""The match index: built once from open entries and parties, then read per line.

Every lookup a statement line needs is a dict or bisect access, so matching N lines
against M entries costs O(N x candidates) and never loops over all entries per line.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from typing import Any

from core.kernel.gcpause import gc_paused
from core.kernel.money import exponent, round_to_minor
from core.matching.amounts import SortedAmounts, discount_applies
from core.matching.docno import index_keys
from core.matching.model import (
    BankEntryRef,
    DirectDebitRef,
    OpenEntryRef,
    PartyRef,
    PartyType,
)
from core.matching.normalize import name_key, name_tokens, norm_account

PartyKey = tuple[str, str]  # (party_type, no)


@dataclass(frozen=True, slots=True)
class PartyInfo:
    ref: PartyRef
    key: PartyKey
    name_key: str
    unique_name: bool


@dataclass(slots=True)
class MatchIndex:
    """Open entries, parties and bank entries with the dictionaries matching uses."""

    currency: str = ""
    entries: list[OpenEntryRef] = field(default_factory=list)
    rem: list[int] = field(default_factory=list)
    disc: list[int] = field(default_factory=list)
    disc_due: list[date | None] = field(default_factory=list)
    tol: list[int] = field(default_factory=list)  # |Max. Payment Tolerance|, minor units
    posting: list[date] = field(default_factory=list)
    by_entry_no: dict[int, int] = field(default_factory=dict)
    by_party: dict[PartyKey, list[int]] = field(default_factory=dict)
    doc_exact: dict[str, list[int]] = field(default_factory=dict)
    doc_tolerant: dict[str, list[int]] = field(default_factory=dict)
    # documents with several digit groups ("F2026-71640"): all digits joined
    # ("202671640") and the last group alone ("71640")
    doc_compact: dict[str, list[int]] = field(default_factory=dict)
    doc_tail: dict[str, list[int]] = field(default_factory=dict)
    payref: dict[str, list[int]] = field(default_factory=dict)
    amounts: dict[str, SortedAmounts] = field(default_factory=dict)
    disc_amounts: dict[str, SortedAmounts] = field(default_factory=dict)
    parties: dict[PartyKey, PartyInfo] = field(default_factory=dict)
    iban: dict[str, list[PartyKey]] = field(default_factory=dict)
    tokens: dict[str, list[PartyKey]] = field(default_factory=dict)  # sorted by party
    token_sets: dict[str, frozenset[PartyKey]] = field(default_factory=dict)
    bank: list[BankEntryRef] = field(default_factory=list)
    bank_rem: list[int] = field(default_factory=list)
    bank_amounts: SortedAmounts = field(default_factory=lambda: SortedAmounts([], []))
    bank_by_entry_no: dict[int, int] = field(default_factory=dict)
    direct_debits: dict[str, list[DirectDebitRef]] = field(default_factory=dict)
    _party_amounts: dict[PartyKey, tuple[SortedAmounts, SortedAmounts]] = field(
        default_factory=dict)
    # Results of pure per-line computations that repeat across lines (the same payer
    # name against the same party, the same amount written in the evidence), keyed by
    # everything they depend on; filled while lines are matched.
    memo: dict[tuple[Any, ...], Any] = field(default_factory=dict)

    @classmethod
    def build(cls, entries: Iterable[OpenEntryRef], parties: Iterable[PartyRef],
              bank_entries: Iterable[BankEntryRef] = (),
              direct_debits: Iterable[DirectDebitRef] = (),
              currency: str = "") -> MatchIndex:
        """Index everything once. Entries in another currency than ``currency`` are
        skipped when ``currency`` is given (FCY bank: entries in the bank currency)."""
        index = cls(currency=currency)
        with gc_paused():
            index._add_parties(parties)
            index._add_entries(e for e in entries
                               if not currency or (e.currency or currency) == currency)
            index._add_bank(bank_entries)
        for dd in direct_debits:
            index.direct_debits.setdefault(dd.transaction_id, []).append(dd)
        return index

    def _add_parties(self, parties: Iterable[PartyRef]) -> None:
        refs = list(parties)
        counts = Counter((p.party_type, name_key(p.name)) for p in refs)
        tokens: defaultdict[str, list[PartyKey]] = defaultdict(list)
        for p in refs:
            key: PartyKey = (p.party_type, p.no)
            nk = name_key(p.name)
            self.parties[key] = PartyInfo(p, key, nk, counts[(p.party_type, nk)] == 1)
            for iban in p.ibans:
                if norm_account(iban):
                    self.iban.setdefault(norm_account(iban), []).append(key)
            for tok in set(name_tokens(p.name)):
                tokens[tok].append(key)
        self.tokens = {tok: sorted(keys) for tok, keys in tokens.items()}
        self.token_sets = {tok: frozenset(keys) for tok, keys in tokens.items()}

    def _add_entries(self, entries: Iterable[OpenEntryRef]) -> None:
        """One pass over the entries in due-date order. The loop unpacks each entry (a
        NamedTuple) once: it runs 100,000 times per Apply Automatically, so attribute
        reads and calls per entry are kept few."""
        pos: defaultdict[str, list[tuple[int, int]]] = defaultdict(list)
        disc: defaultdict[str, list[tuple[int, int]]] = defaultdict(list)
        cur = self.currency
        by_party, by_entry_no = self.by_party, self.by_entry_no
        doc_exact, doc_tolerant = self.doc_exact, self.doc_tolerant
        doc_compact, doc_tail, payref_index = self.doc_compact, self.doc_tail, self.payref
        rems, discs, dues, postings = self.rem, self.disc, self.disc_due, self.posting
        tols, kept = self.tol, self.entries
        exp = exponent(cur)
        for e in sorted(entries, key=attrgetter("due_date", "entry_no")):
            (entry_no, ptype, pno, _dtype, dno, remaining, posted, _due, ext, payref,
             rdisc, ddate, tdate, _cur, max_tol) = e
            i = len(kept)
            kept.append(e)
            scaled = remaining.scaleb(exp)  # round_to_minor's fast path, inline
            rem = int(scaled)
            if rem != scaled:
                rem = round_to_minor(remaining, cur)
            dis = round_to_minor(rdisc, cur) if rdisc else 0
            due = (ddate if tdate is None or (ddate is not None and ddate >= tdate) else tdate)
            rems.append(rem)
            discs.append(dis)
            dues.append(due)
            postings.append(posted)
            tols.append(abs(round_to_minor(max_tol, cur)) if max_tol else 0)
            by_entry_no[entry_no] = i
            key = (ptype, pno)
            owned = by_party.get(key)
            if owned is None:
                by_party[key] = [i]
            else:
                owned.append(i)
            pos[ptype].append((rem, i))
            if dis and due:
                disc[ptype].append((rem - dis, i))
            for doc in ((dno,) if not ext or ext == dno else (dno, ext)):
                if not doc:
                    continue
                exact, tolerant, compact, tail = index_keys(doc)
                if exact:
                    found = doc_exact.get(exact)
                    if found is None:
                        doc_exact[exact] = [i]
                    else:
                        found.append(i)
                if tolerant is not None:
                    found = doc_tolerant.get(tolerant)
                    if found is None:
                        doc_tolerant[tolerant] = [i]
                    else:
                        found.append(i)
                if compact is not None:
                    found = doc_compact.get(compact)
                    if found is None:
                        doc_compact[compact] = [i]
                    else:
                        found.append(i)
                if tail is not None:
                    found = doc_tail.get(tail)
                    if found is None:
                        doc_tail[tail] = [i]
                    else:
                        found.append(i)
            if payref:
                payref_index.setdefault(norm_account(payref), []).append(i)
        self.amounts = {k: SortedAmounts.build(v) for k, v in pos.items()}
        self.disc_amounts = {k: SortedAmounts.build(v) for k, v in disc.items()}

    def party_fits(self, key: PartyKey, low: int, high: int, when: date) -> list[int]:
        """Entries of one party whose applicable amount (remaining, or remaining less
        the payment discount when ``when`` is by the discount date) is in [low, high].
        The party's sorted amounts are built on first use and kept."""
        cached = self._party_amounts.get(key)
        if cached is None:
            ids = self.by_party.get(key, [])
            cached = (SortedAmounts.build([(self.rem[i], i) for i in ids]),
                      SortedAmounts.build([(self.rem[i] - self.disc[i], i) for i in ids
                                           if self.disc[i] and self.disc_due[i]]))
            self._party_amounts[key] = cached
        full, net = cached
        found = [full.ids[p] for p in full.between(low, high)]
        for p in net.between(low, high):
            i = net.ids[p]
            if i not in found and discount_applies(self.disc[i], self.disc_due[i], when):
                found.append(i)
        return found

    def _add_bank(self, bank_entries: Iterable[BankEntryRef]) -> None:
        pairs: list[tuple[int, int]] = []
        for b in bank_entries:
            i = len(self.bank)
            self.bank.append(b)
            units = round_to_minor(b.remaining, self.currency)
            self.bank_rem.append(units)
            self.bank_by_entry_no[b.entry_no] = i
            pairs.append((units, i))
        self.bank_amounts = SortedAmounts.build(pairs)

    def party_of(self, i: int) -> PartyKey:
        e = self.entries[i]
        return (e.party_type, e.party_no)

    def party_entries(self, key: PartyKey) -> list[int]:
        return self.by_party.get(key, [])

    def party_name(self, key: PartyKey) -> str:
        info = self.parties.get(key)
        return info.ref.name if info else ""

    def party_types(self) -> tuple[PartyType, ...]:
        return ("customer", "vendor")
