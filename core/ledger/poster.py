"""The posting engine: turns journal lines into G/L, party, detailed and bank entries.

A ``Poster`` works inside one write session (one database transaction) and writes one
register. Lines are grouped into transactions by (document no., posting date); each
transaction must balance before anything is written. Entry numbers come from counters
locked for the whole transaction (``Counters``), so numbers are gapless and unique with
several clerks posting at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any

from sqlalchemy import insert, text
from sqlmodel import Session

from core.i18n import N_, _
from core.kernel import dateformula
from core.kernel.errors import NotFoundError, PostingError, UnbalancedError
from core.kernel.money import ZERO, from_minor, money, to_minor
from core.kernel.records import bulk_insert, indexes_built_after, record_type
from core.kernel.store import utc_now
from core.kernel.users import os_user as os_user  # re-exported
from core.ledger.drafts import LineDraft
from core.ledger.loaded import LoadedEntries
from core.ledger.models import (
    BankAccount,
    BankLedgerEntry,
    Company,
    DetailedLedgerEntry,
    GLEntry,
    LedgerEntry,
    PaymentTerms,
    Register,
)
from core.ledger.validation import AccountCache as _Accounts
from core.ledger.validation import LineChecks
from core.ledger.validation import check_party_blocked as check_party_blocked  # re-exported

# New rows are built as light records (see core.kernel.records) and bulk-inserted.
NewGLEntry = record_type(GLEntry)
NewLedgerEntry = record_type(LedgerEntry)
NewDetailedEntry = record_type(DetailedLedgerEntry)
NewBankEntry = record_type(BankLedgerEntry)


@dataclass(frozen=True, slots=True)
class _PartyFacts:
    """The fields of a party a posting reads for each of its entries."""

    party_type: str
    no: str
    payment_terms_code: str | None
    block_payment_tolerance: bool
    receivables_account: str


class Counters:
    """Entry-number counters held for one transaction.

    The first use of a counter locks its row (``UPDATE ... SET value = value``), the
    numbers are then handed out locally and written back once by ``flush``.
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self._values: dict[str, int] = {}
        self._start: dict[str, int] = {}

    def next(self, name: str) -> int:
        if name not in self._values:
            row = self._session.execute(
                text("UPDATE counter SET value = value WHERE name = :n RETURNING value"),
                {"n": name},
            ).first()
            if row is None:
                self._session.execute(text("INSERT INTO counter (name, value) VALUES (:n, 0)"),
                                      {"n": name})
                value = 0
            else:
                value = int(row[0])
            self._values[name] = self._start[name] = value
        self._values[name] += 1
        return self._values[name]

    def first_last(self, name: str) -> tuple[int, int]:
        """The range this transaction took from ``name`` ((0, 0) when none)."""
        if name not in self._values or self._values[name] == self._start[name]:
            return 0, 0
        return self._start[name] + 1, self._values[name]

    def started(self, name: str) -> int:
        """The value ``name`` had when this transaction first used it (0 if unused)."""
        return self._start.get(name, 0)

    def flush(self) -> None:
        for name, value in self._values.items():
            if value != self._start[name]:
                self._session.execute(text("UPDATE counter SET value = :v WHERE name = :n"),
                                      {"v": value, "n": name})


ApplyHook = Callable[["Poster", LedgerEntry, LineDraft], None]
# Writers of rows that hang off the new bank entries of a posting: called with the
# poster and the (line, bank entry) pairs of lines with a payment method, they return
# (table, rows) inserted after the entries (core.bank_reconciliation.checks registers
# the check ledger entries).
BankEntryWriter = Callable[["Poster", list[tuple[LineDraft, Any]]],
                           list[tuple[type, Sequence[Mapping[str, Any]]]]]
BANK_ENTRY_WRITERS: list[BankEntryWriter] = []
# Called with the poster and the new register's no. when a register is written, inside
# the posting's session (core.audit.postings registers the audit trail's writer: who
# posted, applied, unapplied or reversed what, committed or rolled back with the posting).
RegisterObserver = Callable[["Poster", int], None]
REGISTER_OBSERVERS: list[RegisterObserver] = []


def transactions(lines: Sequence[LineDraft]) -> list[list[LineDraft]]:
    """Group lines by (document no., posting date) and check each group balances."""
    groups: dict[tuple[str, date], list[LineDraft]] = defaultdict(list)
    unbalanced: set[tuple[str, date]] = set()  # groups with a line without balancing
    for line in lines:
        key = (line.document_no, line.posting_date)
        groups[key].append(line)
        if not line.bal_account_no:
            unbalanced.add(key)
    for (doc_no, day), group in groups.items():
        if (doc_no, day) not in unbalanced:
            continue
        residual = sum((ln.amount for ln in group if not ln.bal_account_no), ZERO)
        if residual != ZERO:
            refs = ", ".join(ln.ref for ln in group if ln.ref and not ln.bal_account_no)
            raise UnbalancedError(
                N_("Document {doc_no} of {day} is out of balance by {residual}{refs}: add "
                   "a balancing account or a balancing line"),
                doc_no=doc_no or _("(no number)"), day=day, residual=residual,
                refs=f" ({refs})" if refs else "")
    return list(groups.values())


class Poster(LineChecks):
    """Posts lines inside one session as one register."""

    def __init__(self, session: Session, *, source_code: str = "GENJNL",
                 journal_batch: str = "", user: str | None = None,
                 now: datetime | None = None, apply_hook: ApplyHook | None = None) -> None:
        self.session = session
        self.company = self._company(session)
        self.currency = self.company.currency
        self.accounts = _Accounts.of(session)
        self.dates_checked: set[date] = set()
        self.accounts_checked: set[tuple[str, str, str]] = set()
        self.counters = Counters(session)
        self.source_code = source_code
        self.journal_batch = journal_batch
        self.user = user or os_user()
        self.now = now or utc_now()
        self.apply_hook = apply_hook
        self.gl_entries: list[GLEntry] = []
        self.ledger_entries: list[LedgerEntry] = []
        # New entries per party, so applying within one posting needs no scan.
        self.by_party: dict[tuple[str, str], list[LedgerEntry]] = defaultdict(list)
        self.detailed_entries: list[DetailedLedgerEntry] = []
        self.bank_entries: list[BankLedgerEntry] = []
        self.method_entries: list[tuple[LineDraft, Any]] = []  # lines with a payment method
        self.transaction_nos: list[int] = []
        self.messages: list[str] = []
        self.transaction_no = 0
        # Open entries loaded in advance for applies-to doc. no. lookups.
        self.targets: dict[tuple[str, str, str], list[LedgerEntry]] = {}
        # Existing entries read as records (changed in memory, written back in bulk).
        self.loaded = LoadedEntries()
        self._minors: dict[Decimal, int] = {}
        self._facts: dict[tuple[str, str], _PartyFacts] = {}

    @staticmethod
    def _company(session: Session) -> Company:
        company = session.get(Company, 1)
        if company is None:
            raise NotFoundError(N_("This database has no company yet: run 'lettrage init' "
                                "or 'lettrage demo' first"))
        return company

    # --- posting ---------------------------------------------------------------------

    def post(self, lines: Sequence[LineDraft]) -> int:
        """Validate, balance-check and write ``lines``; returns the register no."""
        if not lines:
            raise PostingError(N_("There is nothing to post"))
        for line in lines:
            self.validate(line)
        groups = transactions(lines)
        prefetch = getattr(self.apply_hook, "prefetch", None)
        if prefetch is not None:
            prefetch(self, lines)
        for group in groups:
            self.transaction_no = self.counters.next("transaction")
            self.transaction_nos.append(self.transaction_no)
            for line in group:
                self._post_line(line)
        return self._finish()

    def minor(self, amount: Decimal) -> int:
        """``to_minor(amount)``, remembered: a posting converts the same amounts (a line's
        amount for its entry and its G/L entry, zero discounts) many times."""
        minor = self._minors.get(amount)
        if minor is None:
            minor = self._minors[amount] = to_minor(amount)
        return minor

    def _post_line(self, line: LineDraft) -> None:
        self._post_side(line, line.account_type, line.account_no, line.amount)
        if line.bal_account_no:
            self._post_side(line, line.bal_account_type or "gl_account", line.bal_account_no,
                            -line.amount, balancing=True)

    def _post_side(self, line: LineDraft, account_type: str, no: str, amount: Decimal,
                   balancing: bool = False) -> None:
        bal_type = line.account_type if balancing else line.bal_account_type
        bal_no = line.account_no if balancing else line.bal_account_no
        if account_type == "gl_account":
            self.gl_entry(line, no, amount, source=("", ""), bal=(bal_type, bal_no))
        elif account_type == "bank_account":
            bank = self.accounts.bank(no)
            assert bank is not None
            bank_entry = self._bank_entry(line, bank, amount, bal=(bal_type, bal_no))
            if line.payment_method:
                self.method_entries.append((line, bank_entry))
            self.gl_entry(line, bank.gl_account_no, amount, source=("bank_account", no),
                          bal=(bal_type, bal_no))
        else:
            facts = self._party_facts(account_type, no)
            entry = self._ledger_entry(line, facts, amount, bal=(bal_type, bal_no))
            self.gl_entry(line, facts.receivables_account, amount,
                          source=(account_type, no), bal=(bal_type, bal_no))
            if self.apply_hook is not None and not balancing:
                self.apply_hook(self, entry, line)
            elif self.apply_hook is not None:
                self.apply_hook(self, entry, _balancing_view(line))

    def gl_entry(self, line: LineDraft, account_no: str, amount: Decimal,
                 source: tuple[str, str], bal: tuple[str, str] = ("", ""),
                 description: str | None = None) -> GLEntry:
        entry = NewGLEntry(
            entry_no=self.counters.next("gl_entry"), transaction_no=self.transaction_no,
            gl_account_no=account_no, posting_date=line.posting_date,
            document_type=line.document_type, document_no=line.document_no,
            external_document_no=line.external_document_no,
            description=line.description if description is None else description,
            amount=self.minor(amount), source_type=source[0], source_no=source[1],
            bal_account_type=bal[0], bal_account_no=bal[1])
        self.gl_entries.append(entry)
        return entry

    def _bank_entry(self, line: LineDraft, bank: BankAccount, amount: Decimal,
                    bal: tuple[str, str]) -> BankLedgerEntry:
        minor = self.minor(amount)
        entry = NewBankEntry(
            entry_no=self.counters.next("bank_entry"), bank_account_no=bank.no,
            transaction_no=self.transaction_no, posting_date=line.posting_date,
            document_type=line.document_type, document_no=line.document_no,
            external_document_no=line.external_document_no, description=line.description,
            amount=minor, remaining_amount=minor, open=True,
            bal_account_type=bal[0], bal_account_no=bal[1])
        self.bank_entries.append(entry)
        return entry

    def _party_facts(self, account_type: str, no: str) -> _PartyFacts:
        """What posting reads of a party, read once per posting (its posting group's
        receivables account checked to exist)."""
        facts = self._facts.get((account_type, no))
        if facts is None:
            party = self.accounts.party(account_type, no)
            assert party is not None
            facts = self._facts[(account_type, no)] = _PartyFacts(
                party.party_type, party.no, party.payment_terms_code,
                party.block_payment_tolerance, self.accounts.group(party).receivables_account)
        return facts

    def _ledger_entry(self, line: LineDraft, party: _PartyFacts, amount: Decimal,
                      bal: tuple[str, str]) -> LedgerEntry:
        doc_date = line.document_date or line.posting_date
        terms = self.accounts.payment_terms(line.payment_terms_code or party.payment_terms_code)
        due, disc_date, disc = self._terms(line, terms, doc_date, amount)
        tol_date = self._disc_tolerance_date(disc_date, doc_date)
        minor = self.minor(amount)
        disc_minor = self.minor(disc)
        entry = NewLedgerEntry(
            entry_no=self.counters.next("ledger_entry"), party_type=party.party_type,
            party_no=party.no, transaction_no=self.transaction_no,
            posting_date=line.posting_date, document_date=doc_date,
            document_type=line.document_type, document_no=line.document_no,
            external_document_no=line.external_document_no,
            payment_reference=line.payment_reference, description=line.description,
            currency="", amount=minor, remaining_amount=minor, open=True,
            positive=minor > 0, due_date=due, pmt_discount_date=disc_date,
            pmt_disc_tolerance_date=tol_date, original_pmt_disc_possible=disc_minor,
            remaining_pmt_disc_possible=disc_minor,
            max_payment_tolerance=self.minor(self._max_tolerance(party, line, amount)),
            bal_account_type=bal[0], bal_account_no=bal[1])
        self.ledger_entries.append(entry)
        self.by_party[(entry.party_type, entry.party_no)].append(entry)
        self.detailed(entry, "initial", minor, line.posting_date,
                      line.document_type, line.document_no)
        return entry

    def _terms(self, line: LineDraft, terms: PaymentTerms | None, doc_date: date,
               amount: Decimal) -> tuple[date | None, date | None, Decimal]:
        """Due date, discount date and discount possible, from the line or the terms
        (computed from the document date, as BC does)."""
        due = line.due_date
        disc_date = line.pmt_discount_date
        disc = line.pmt_disc_possible if line.pmt_disc_possible is not None else None
        if terms is not None and line.document_type in ("invoice", "credit_memo", ""):
            # BC: a credit memo is due at once unless its terms calculate discounts on
            # credit memos; then due and discount dates follow the terms as for invoices.
            applies = line.document_type == "invoice" or (
                line.document_type == "credit_memo" and terms.calc_pmt_disc_on_cr_memos)
            if due is None and (applies or line.document_type != "credit_memo"):
                due = dateformula.calc_date(terms.due_date_formula, doc_date)
            pct = Decimal(terms.discount_pct)
            if applies and disc is None and pct and terms.discount_date_formula:
                disc_date = dateformula.calc_date(terms.discount_date_formula, doc_date)
                disc = money(amount * pct / 100, self.currency)
        if due is None:
            due = doc_date
        if not disc:
            return due, disc_date if disc is not None else None, ZERO
        return due, disc_date, disc

    def _disc_tolerance_date(self, disc_date: date | None, doc_date: date) -> date | None:
        if disc_date is None:
            return None
        if disc_date == doc_date or not self.company.pmt_disc_grace_days:
            return disc_date
        return disc_date + timedelta(days=self.company.pmt_disc_grace_days)

    def _max_tolerance(self, party: _PartyFacts, line: LineDraft, amount: Decimal) -> Decimal:
        if party.block_payment_tolerance or line.document_type not in ("invoice",
                                                                       "credit_memo"):
            return ZERO
        return self._tolerance_of(amount)

    @cached_property
    def _tolerance_of(self) -> Callable[[Decimal], Decimal]:
        """Max. payment tolerance of an amount with the company's setup (read once)."""
        # imported here, not at the top: core.application builds on the ledger (the
        # layering keeps the posting engine below it).
        from core.application import max_payment_tolerance  # upward call

        pct = Decimal(self.company.payment_tolerance_pct)
        cap = from_minor(self.company.max_payment_tolerance)
        if not pct and not cap:  # no tolerance set up: zero whatever the amount
            return lambda amount: ZERO
        return lambda amount: max_payment_tolerance(amount, pct, cap)

    def detailed(self, entry: LedgerEntry, entry_type: str, minor: int, posting_date: date,
                 document_type: str, document_no: str, applied_entry_no: int | None = None,
                 application_no: int | None = None) -> DetailedLedgerEntry:
        dle = NewDetailedEntry(
            entry_no=self.counters.next("detailed_entry"), ledger_entry_no=entry.entry_no,
            party_type=entry.party_type, party_no=entry.party_no, entry_type=entry_type,
            posting_date=posting_date, document_type=document_type, document_no=document_no,
            amount=minor, transaction_no=self.transaction_no,
            applied_ledger_entry_no=applied_entry_no, application_no=application_no,
            initial_document_type=entry.document_type, initial_entry_due_date=entry.due_date)
        self.detailed_entries.append(dle)
        return dle

    def begin_transaction(self) -> int:
        """Start a new transaction number (for applications posted without lines)."""
        self.transaction_no = self.counters.next("transaction")
        self.transaction_nos.append(self.transaction_no)
        return self.transaction_no

    def _finish(self) -> int:
        self._check_transactions_balance()
        register_no = self.counters.next("register")
        gl = self.counters.first_last("gl_entry")
        le = self.counters.first_last("ledger_entry")
        dle = self.counters.first_last("detailed_entry")
        ble = self.counters.first_last("bank_entry")
        self.session.add(Register(
            no=register_no, transaction_no=self.transaction_nos[0] if self.transaction_nos
            else 0, from_gl_entry_no=gl[0], to_gl_entry_no=gl[1], from_entry_no=le[0],
            to_entry_no=le[1], from_detailed_entry_no=dle[0], to_detailed_entry_no=dle[1],
            from_bank_entry_no=ble[0], to_bank_entry_no=ble[1], source_code=self.source_code,
            journal_batch=self.journal_batch, user_id=self.user, created_at=self.now))
        if self.method_entries and not BANK_ENTRY_WRITERS:
            raise PostingError(N_("Payment methods (checks) cannot be posted: the bank "
                               "reconciliation package is not loaded"))
        extra = [rows for writer in BANK_ENTRY_WRITERS
                 for rows in writer(self, self.method_entries)] if self.method_entries else []
        self.counters.flush()
        self._insert_pending()
        self.loaded.write(self.session)
        for model, rows in extra:
            if rows:
                self.session.execute(insert(model), rows)
        for observer in REGISTER_OBSERVERS:
            observer(self, register_no)
        self.session.flush()
        return register_no

    def _insert_pending(self) -> None:
        """Bulk-insert the new entries (parents first). Entries loaded from the
        database and changed by applications are flushed by the session as usual."""
        self.session.flush()
        batches: tuple[tuple[type, str, list[Any]], ...] = (
            (LedgerEntry, "ledger_entry", self.ledger_entries),
            (DetailedLedgerEntry, "detailed_entry", self.detailed_entries),
            (GLEntry, "gl_entry", self.gl_entries), (BankLedgerEntry, "bank_entry",
                                                     self.bank_entries))
        conn = self.session.connection()
        for model, counter, rows in batches:
            table = model.__table__  # type: ignore[attr-defined]
            # the entries before this posting: their counter's value (gapless numbers)
            with indexes_built_after(conn, table, len(rows), self.counters.started(counter)):
                # Driver executemany (see core.records.bulk_insert): every record has all
                # columns; the ORM bulk path splits the rows by which values are None and
                # costs several times more per row.
                bulk_insert(conn, table, rows)

    def finish(self) -> int:
        """Write the register for postings built by hand (applications, reversals)."""
        return self._finish()

    def _check_transactions_balance(self) -> None:
        sums: dict[int, int] = defaultdict(int)
        for e in self.gl_entries:
            sums[e.transaction_no] += e.amount
        bad = {t: s for t, s in sums.items() if s != 0}
        if bad:  # a bug, never a user error: refuse to write unbalanced books
            raise UnbalancedError(N_("Internal error: transactions {bad} do not balance"),
                                  bad=sorted(bad))


def _balancing_view(line: LineDraft) -> LineDraft:
    """The line as seen from its balancing account (applications only apply the
    account side; the balancing side of a party line is never applied)."""
    return replace(line, applies_to_doc_no="", applies_to_id="", applies_to_doc_type="")
