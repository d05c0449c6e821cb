"""The match index: built once from open entries and parties, then read per line.

Every lookup a statement line needs is a dict or bisect access, so matching N lines
against M entries costs O(N x candidates) and never loops over all entries per line.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from core.matching.amounts import SortedAmounts, to_units
from core.matching.docno import doc_key
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
    by_entry_no: dict[int, int] = field(default_factory=dict)
    by_party: dict[PartyKey, list[int]] = field(default_factory=dict)
    doc_exact: dict[str, list[int]] = field(default_factory=dict)
    doc_tolerant: dict[str, list[int]] = field(default_factory=dict)
    payref: dict[str, list[int]] = field(default_factory=dict)
    amounts: dict[str, SortedAmounts] = field(default_factory=dict)
    disc_amounts: dict[str, SortedAmounts] = field(default_factory=dict)
    parties: dict[PartyKey, PartyInfo] = field(default_factory=dict)
    iban: dict[str, list[PartyKey]] = field(default_factory=dict)
    tokens: dict[str, list[PartyKey]] = field(default_factory=dict)
    bank: list[BankEntryRef] = field(default_factory=list)
    bank_rem: list[int] = field(default_factory=list)
    bank_amounts: SortedAmounts = field(default_factory=lambda: SortedAmounts([], []))
    bank_by_entry_no: dict[int, int] = field(default_factory=dict)
    direct_debits: dict[str, list[DirectDebitRef]] = field(default_factory=dict)

    @classmethod
    def build(cls, entries: Iterable[OpenEntryRef], parties: Iterable[PartyRef],
              bank_entries: Iterable[BankEntryRef] = (),
              direct_debits: Iterable[DirectDebitRef] = (),
              currency: str = "") -> MatchIndex:
        """Index everything once. Entries in another currency than ``currency`` are
        skipped when ``currency`` is given (FCY bank: entries in the bank currency)."""
        index = cls(currency=currency)
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
        self.tokens = dict(tokens)

    def _add_entries(self, entries: Iterable[OpenEntryRef]) -> None:
        pos: defaultdict[str, list[tuple[int, int]]] = defaultdict(list)
        disc: defaultdict[str, list[tuple[int, int]]] = defaultdict(list)
        for e in sorted(entries, key=lambda x: (x.due_date, x.entry_no)):
            i = len(self.entries)
            self.entries.append(e)
            rem = to_units(e.remaining, self.currency)
            dis = to_units(e.remaining_pmt_disc_possible, self.currency)
            due = max((d for d in (e.pmt_discount_date, e.pmt_disc_tolerance_date) if d),
                      default=None)
            self.rem.append(rem)
            self.disc.append(dis)
            self.disc_due.append(due)
            self.by_entry_no[e.entry_no] = i
            self.by_party.setdefault((e.party_type, e.party_no), []).append(i)
            pos[e.party_type].append((rem, i))
            if dis and due:
                disc[e.party_type].append((rem - dis, i))
            self._add_doc_keys(e, i)
        self.amounts = {k: SortedAmounts.build(v) for k, v in pos.items()}
        self.disc_amounts = {k: SortedAmounts.build(v) for k, v in disc.items()}

    def _add_doc_keys(self, e: OpenEntryRef, i: int) -> None:
        for doc in {e.document_no, e.external_document_no} - {""}:
            exact = norm_account(doc)
            if exact:
                self.doc_exact.setdefault(exact, []).append(i)
            key = doc_key(doc)
            if key is not None and sum(c.isdigit() for c in key.key) >= 4:
                self.doc_tolerant.setdefault(key.key, []).append(i)
        if e.payment_reference:
            self.payref.setdefault(norm_account(e.payment_reference), []).append(i)

    def _add_bank(self, bank_entries: Iterable[BankEntryRef]) -> None:
        pairs: list[tuple[int, int]] = []
        for b in bank_entries:
            i = len(self.bank)
            self.bank.append(b)
            units = to_units(b.remaining, self.currency)
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
