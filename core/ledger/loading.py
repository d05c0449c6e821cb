"""Migration import: ``lettrage load customers|vendors|bank-accounts|own-bank-accounts|
open-entries FILE.csv``.

Files are UTF-8 CSV with a header row; unknown extra columns are ignored. Every row is
read and checked before anything is written; a bad row is reported with file, row and
column, and nothing from that file is written (one transaction per file).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from core.i18n import N_, _, ngettext
from core.kernel.errors import ImportFileError, LettrageError
from core.kernel.gcpause import gc_paused
from core.kernel.money import AmountError, check_amount, money, parse_amount, to_minor
from core.kernel.store import Store
from core.ledger.defaults import OPENING_BALANCE_ACCOUNT
from core.ledger.drafts import DOCUMENT_WORDS, PARTY_WORDS, LineDraft
from core.ledger.load_csv import (
    RowError,
    Rows,
    check_fits,
    lock_loads,
    previous_load,
    record_load,
)
from core.ledger.load_rules import check_date, check_sign, normalize_bic, normalize_iban
from core.ledger.models import (
    BankAccount,
    Company,
    LedgerEntry,
    Party,
    PartyBankAccount,
    PaymentTerms,
)
from core.ledger.poster import Poster, os_user

PARTY_COLUMNS = ("no", "name", "address", "city", "country", "email", "vat_no",
                 "payment_terms_days")
BANK_COLUMNS = ("party_type", "party_no", "code", "iban", "bic")
OWN_BANK_COLUMNS = ("no", "name", "iban", "bic", "currency", "last_statement_no",
                    "balance_last_statement")
ENTRY_COLUMNS = ("party_type", "party_no", "document_type", "document_no",
                 "external_document_no", "posting_date", "due_date", "amount",
                 "remaining_amount", "pmt_discount_date", "remaining_pmt_disc_possible",
                 "currency", "description", "payment_reference")
RowHook = Callable[[Session, dict[str, str], PartyBankAccount], list[Any]]
DOCUMENT_TYPES = {"invoice", "credit_memo", "payment", "refund", "finance_charge_memo",
                  "reminder", ""}


# What a load wrote, in words (the kind itself stays the machine's name in --json).
KIND_WORDS = {
    "customers": N_("customers"), "vendors": N_("vendors"),
    "bank-accounts": N_("bank accounts"), "own-bank-accounts": N_("own bank accounts"),
    "open-entries": N_("open entries"), "bank-entries": N_("bank ledger entries"),
    "dd-collections": N_("direct debit collections"),
    "payment-history": N_("payment history rows"),
}


@dataclass(frozen=True)
class LoadResult:
    """``rows`` data lines read from the file, ``written`` records loaded (equal, or 0
    with ``already_loaded`` when this very file was loaded before)."""

    kind: str
    file: str
    rows: int
    written: int
    register_no: int | None = None
    already_loaded: str | None = None

    def describe(self) -> str:
        if self.already_loaded:
            return self.already_loaded
        return ngettext("Loaded {written} {kind} from {file} ({rows} row read, {written} "
                        "loaded)",
                        "Loaded {written} {kind} from {file} ({rows} rows read, {written} "
                        "loaded)", self.rows).format(written=self.written,
                                                     kind=_(KIND_WORDS.get(self.kind, self.kind)),
                                                     file=self.file, rows=self.rows)


def _date(value: str, column: str, required: bool = True) -> date | None:
    if not value:
        if required:
            raise RowError(column, N_("a date is required (YYYY-MM-DD)"))
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise RowError(column, N_("'{value}' is not a date (YYYY-MM-DD)"), value=value) from None
    problem = check_date(day)
    if problem:
        raise RowError(column, problem.message_id, **problem.params)
    return day


# An amount as files usually write it (no sign but "-", at most two decimals, at most
# ten digits before the point, so within MAX_MINOR): read without the checks below,
# which it passes by its form (the same Decimal as ``parse_amount`` gives).
_PLAIN_AMOUNT = re.compile(r"-?[0-9]{1,10}(?:\.[0-9]{1,2})?")


def _amount(value: str, column: str, required: bool = True) -> Decimal:
    if _PLAIN_AMOUNT.fullmatch(value):
        return Decimal(value)
    if not value:
        if required:
            raise RowError(column, N_("an amount is required (e.g. 1234.56)"))
        return Decimal(0)
    if "," in value:
        raise RowError(column, N_("'{value}' is not an amount: use a dot for decimals, no "
                                  "thousands separator"), value=value)
    try:
        amount = parse_amount(value)
    except AmountError:
        raise RowError(column, N_("'{value}' is not an amount (e.g. 1234.56)"),
                       value=value) from None
    try:
        check_amount(amount)
    except AmountError as exc:
        raise RowError(column, str(exc)) from None
    if money(amount) != amount:
        raise RowError(column, N_("'{value}' has more than two decimals"), value=value)
    return amount


def _check_rows(rows: Rows, check: Callable[[int, dict[str, str]], None]) -> int:
    count = 0
    for i, row in rows:
        count += 1
        try:
            check(i, row)
        except RowError as exc:
            rows.fail(i, exc.column, exc.text)
    rows.raise_errors()
    if count == 0:
        raise ImportFileError(N_("{path}: the file has a header but no rows"), path=rows.path)
    return count


def _result(kind: str, rows: Rows, written: int, register: int | None = None) -> LoadResult:
    if written != rows.count:  # every row is a record, or the load was refused
        raise LettrageError(
            N_("{path}: read {count} rows but would load {written}; nothing was loaded"),
            path=rows.path,
            count=rows.count,
            written=written,
        )
    return LoadResult(kind, str(rows.path), rows.count, written, register)


class LoadingService:
    """Loads master data and open entries from CSV files."""

    def __init__(self, store: Store, user: str | None = None) -> None:
        self.store = store
        self.user = user

    def _end(self, s: Session, kind: str, rows: Rows, written: int,
             register: int | None = None) -> LoadResult:
        result = _result(kind, rows, written, register)
        record_load(s, kind, rows, self.user if self.user is not None else os_user(""))
        return result

    def _begin(self, s: Session, kind: str, rows: Rows) -> LoadResult | None:
        """Take the loads lock; a result when this file was loaded before."""
        lock_loads(s)
        previous = previous_load(s, kind, rows.sha256)
        if previous is None:
            return None
        return LoadResult(kind, str(rows.path), rows.count, 0,
                          already_loaded=previous.describe(rows.path))

    # --- customers and vendors ---------------------------------------------------------

    def load_parties(self, party_type: str, path: Path) -> LoadResult:
        rows = Rows(path, PARTY_COLUMNS)
        kind = f"{party_type}s"
        parsed: list[tuple[Party, PartyBankAccount | None]] = []
        seen: set[str] = set()
        with self.store.write() as s:
            done = self._begin(s, kind, rows)
            if done is not None:
                return done
            existing = set(s.exec(select(Party.no).where(Party.party_type == party_type)).all())

            def check(i: int, row: dict[str, str]) -> None:
                no = row["no"]
                if not no:
                    raise RowError("no", N_("a number is required"))
                if len(no) > 20:
                    raise RowError("no", N_("'{no}' is longer than 20 characters"), no=no)
                if no in seen or no in existing:
                    twice = (N_("customer {no} appears twice"), N_("vendor {no} appears twice"))
                    exists = (N_("customer {no} already exists"), N_("vendor {no} already exists"))
                    raise RowError("no", (twice if no in seen else exists)[
                        party_type != "customer"], no=no)
                if not row["name"]:
                    raise RowError("name", N_("a name is required"))
                seen.add(no)
                terms = _terms_code(s, row["payment_terms_days"])
                party = Party(party_type=party_type, no=no, name=row["name"],
                              address=row["address"], city=row["city"],
                              country=row["country"].upper(), email=row["email"],
                              vat_no=row["vat_no"], payment_terms_code=terms,
                              posting_group=_posting_group(row["country"]))
                check_fits(party)
                bank = None
                if row.get("iban") or row.get("bic"):
                    bank = PartyBankAccount(party_type=party_type, party_no=no, code="MAIN",
                                            iban=normalize_iban(row.get("iban", "")),
                                            bic=normalize_bic(row.get("bic", "")))
                parsed.append((party, bank))

            _check_rows(rows, check)
            for party, _bank in parsed:
                s.add(party)
            s.flush()
            for _party, bank in parsed:
                if bank is not None:
                    s.add(bank)
            result = self._end(s, kind, rows, len(parsed))
        return result

    def load_bank_accounts(self, path: Path, row_hook: RowHook | None = None) -> LoadResult:
        """Customers' and vendors' bank accounts. ``row_hook(session, row, account)``
        (extension point, e.g. direct debit's ``dd_mandate_id`` column) may raise
        ``RowError`` and returns more records to write with the account."""
        rows = Rows(path, BANK_COLUMNS)
        parsed: list[PartyBankAccount] = []
        extra: list[Any] = []
        seen: set[tuple[str, str, str]] = set()
        with self.store.write() as s:
            done = self._begin(s, "bank-accounts", rows)
            if done is not None:
                return done

            def check(i: int, row: dict[str, str]) -> None:
                ptype = row["party_type"].lower()
                if ptype not in ("customer", "vendor"):
                    raise RowError("party_type", N_("'{value}' must be customer or vendor"),
                                   value=row['party_type'])
                if s.get(Party, (ptype, row["party_no"])) is None:
                    raise RowError("party_no", N_("{ptype} '{value}' does not exist"),
                                   ptype=PARTY_WORDS[ptype], value=row['party_no'])
                code = row["code"] or "MAIN"
                key = (ptype, row["party_no"], code)
                if key in seen or s.get(PartyBankAccount, key) is not None:
                    raise RowError("code", N_("bank account {code} of {ptype} {value} already "
                                              "exists"),
                                   code=code, ptype=PARTY_WORDS[ptype], value=row['party_no'])
                if not row["iban"]:
                    raise RowError("iban", N_("an IBAN is required"))
                seen.add(key)
                account = PartyBankAccount(party_type=ptype, party_no=row["party_no"],
                                           code=code, iban=normalize_iban(row["iban"]),
                                           bic=normalize_bic(row["bic"]))
                check_fits(account)
                parsed.append(account)
                if row_hook is not None:
                    extra.extend(row_hook(s, row, account))

            _check_rows(rows, check)
            s.add_all(parsed)
            s.flush()
            s.add_all(extra)
            result = self._end(s, "bank-accounts", rows, len(parsed))
        return result

    def load_own_bank_accounts(self, path: Path) -> LoadResult:
        """The company's bank accounts. A balance of the last statement is posted as an
        opening entry (already reconciled) so the bank's books agree with the bank."""
        rows = Rows(path, OWN_BANK_COLUMNS)
        parsed: list[tuple[BankAccount, Decimal]] = []
        with self.store.write() as s:
            done = self._begin(s, "own-bank-accounts", rows)
            if done is not None:
                return done
            company = _company(s)
            seen: set[str] = set()

            def check(i: int, row: dict[str, str]) -> None:
                no = row["no"]
                if not no or no in seen or s.get(BankAccount, no) is not None:
                    raise RowError("no", N_("bank account '{no}' is missing or exists already"),
                                   no=no)
                currency = row["currency"].upper()
                if currency and currency != company.currency:
                    raise RowError("currency", N_("{currency} differs from the company currency "
                                                  "{currency2}; only that is supported"),
                                   currency=currency, currency2=company.currency)
                balance = _amount(row["balance_last_statement"], "balance_last_statement",
                                  required=False)
                seen.add(no)
                bank = BankAccount(
                    no=no, name=row["name"] or no, iban=normalize_iban(row["iban"]),
                    bic=normalize_bic(row["bic"]), currency="", gl_account_no="1100",
                    last_statement_no=row["last_statement_no"],
                    balance_last_statement=to_minor(balance))
                check_fits(bank)
                parsed.append((bank, balance))

            _check_rows(rows, check)
            for bank, _balance in parsed:
                s.add(bank)
            s.flush()
            register = self._post_bank_openings(s, parsed)
            result = self._end(s, "own-bank-accounts", rows, len(parsed), register)
        return result

    def _post_bank_openings(self, s: Session, banks: list[tuple[BankAccount, Decimal]]
                            ) -> int | None:
        lines = [LineDraft(posting_date=date.today(), account_type="bank_account",
                           account_no=bank.no, amount=balance, document_no=f"OPEN-{bank.no}",
                           description=_("Opening balance"), bal_account_type="gl_account",
                           bal_account_no=OPENING_BALANCE_ACCOUNT, ref=f"bank {bank.no}")
                 for bank, balance in banks if balance]
        if not lines:
            return None
        poster = Poster(s, source_code="OPENING", user=self.user)
        register = poster.post(lines)
        for entry, (bank, _b) in zip(poster.bank_entries,
                                     [b for b in banks if b[1]], strict=True):
            entry.open, entry.remaining_amount = False, 0
            entry.statement_status, entry.statement_no = "closed", bank.last_statement_no
            entry.closed_at_date = entry.posting_date
        return register

    # --- open entries -----------------------------------------------------------------

    def load_open_entries(self, path: Path) -> LoadResult:
        with gc_paused():  # a million small acyclic objects: reference counting frees them
            return self._load_open_entries(path)

    def _load_open_entries(self, path: Path) -> LoadResult:
        rows = Rows(path, ENTRY_COLUMNS)
        drafts: list[LineDraft] = []
        with self.store.write() as s:
            done = self._begin(s, "open-entries", rows)
            if done is not None:
                return done
            checker = _EntryChecker(s)
            _check_rows(rows, lambda i, row: drafts.append(checker.draft(i, row)))
            poster = Poster(s, source_code="OPENING", user=self.user)
            poster.accounts.parties.update(checker.parties)  # read once, above
            register = poster.post(drafts)
            result = self._end(s, "open-entries", rows, len(drafts), register)
        return result


class _EntryChecker:
    """Validates open-entry rows against the database and the rows before them."""

    def __init__(self, s: Session) -> None:
        self.s = s
        self.company = _company(s)
        self.seen: set[tuple[str, str, str]] = set()
        # Existing document keys, read once instead of one query per row.
        self.existing = {(t, d, n) for t, d, n in s.exec(select(
            LedgerEntry.party_type, LedgerEntry.document_type, LedgerEntry.document_no)).all()}
        # All parties in one query (also fills the session, so posting reads none again).
        self.parties = {(p.party_type, p.no): p for p in s.exec(select(Party)).all()}
        self.days: dict[str, date] = {}  # dates read and accepted (a file repeats them)

    def _date(self, value: str, column: str, required: bool = True) -> date | None:
        day = self.days.get(value)
        if day is None:
            day = _date(value, column, required)
            if day is not None:
                self.days[value] = day
        return day

    def _party(self, ptype: str, no: str) -> Party | None:
        return self.parties.get((ptype, no))

    def _duplicate(self, ptype: str, doc_type: str, doc_no: str) -> bool:
        """Document numbers are unique per party type and document type (as in BC)."""
        key = (ptype, doc_type, doc_no)
        if key in self.seen:
            return True
        self.seen.add(key)
        return key in self.existing

    def draft(self, i: int, row: dict[str, str]) -> LineDraft:
        ptype = row["party_type"].lower()
        if ptype not in ("customer", "vendor"):
            raise RowError("party_type", N_("'{value}' must be customer or vendor"),
                           value=row['party_type'])
        if self._party(ptype, row["party_no"]) is None:
            raise RowError("party_no", N_("{ptype} '{value}' does not exist"),
                           ptype=PARTY_WORDS[ptype], value=row['party_no'])
        doc_type = row["document_type"].lower().replace(" ", "_").replace(".", "")
        if doc_type not in DOCUMENT_TYPES:
            raise RowError("document_type", N_("'{value}' is not one of invoice, credit_memo, "
                                               "payment, refund, finance_charge_memo, reminder"),
                           value=row['document_type'])
        if not row["document_no"]:
            raise RowError("document_no", N_("a document number is required"))
        posting_date = self._date(row["posting_date"], "posting_date")
        due = self._date(row["due_date"], "due_date", required=False)
        disc_date = self._date(row["pmt_discount_date"], "pmt_discount_date", required=False)
        amount = _amount(row["amount"], "amount")
        remaining = _amount(row["remaining_amount"], "remaining_amount", required=False) \
            if row["remaining_amount"] else amount
        disc = _amount(row["remaining_pmt_disc_possible"], "remaining_pmt_disc_possible",
                       required=False)
        self._check_amounts(amount, remaining, disc)
        problem = check_sign(ptype, doc_type, amount)
        if problem:
            raise RowError("amount", problem.message_id, **problem.params)
        for column, limit in (("document_no", 20), ("external_document_no", 35),
                              ("description", 100), ("payment_reference", 50)):
            if len(row[column]) > limit:
                raise RowError(column, N_("'{value}…' is longer than {limit} characters"),
                               value=row[column][:30], limit=limit)
        currency = row["currency"].upper()
        if currency and currency != self.company.currency:
            raise RowError("currency", N_("{currency} differs from the company currency "
                                          "{currency2}"),
                           currency=currency, currency2=self.company.currency)
        if self._duplicate(ptype, doc_type, row["document_no"]):
            raise RowError("document_no", N_("{document_type} {document_no} of {ptype} "
                                             "{party_no} is already loaded"),
                           document_type=DOCUMENT_WORDS.get(doc_type, doc_type),
                           document_no=row['document_no'], ptype=PARTY_WORDS[ptype],
                           party_no=row['party_no'])
        assert posting_date is not None
        return LineDraft(
            posting_date=posting_date, account_type=ptype, account_no=row["party_no"],
            amount=remaining, document_type=doc_type, document_no=row["document_no"],
            external_document_no=row["external_document_no"],
            description=row["description"] or f"Opening {doc_type} {row['document_no']}",
            bal_account_type="gl_account", bal_account_no=OPENING_BALANCE_ACCOUNT,
            document_date=posting_date, due_date=due or posting_date,
            pmt_discount_date=disc_date if disc else None, pmt_disc_possible=disc,
            payment_reference=row["payment_reference"], ref=f"row {i}")

    @staticmethod
    def _check_amounts(amount: Decimal, remaining: Decimal, disc: Decimal) -> None:
        if amount == 0:
            raise RowError("amount", N_("the amount must not be zero"))
        if remaining == 0:
            raise RowError("remaining_amount", N_("an open entry needs a remaining amount"))
        if (remaining > 0) != (amount > 0) or abs(remaining) > abs(amount):
            raise RowError("remaining_amount", N_("{remaining} must have the sign of the amount "
                                                  "{amount} and not exceed it"),
                           remaining=remaining, amount=amount)
        if disc and ((disc > 0) != (amount > 0) or abs(disc) > abs(remaining)):
            raise RowError("remaining_pmt_disc_possible", N_("{disc} must have the sign of the "
                                                             "amount and not exceed the "
                                                             "remaining amount"), disc=disc)


def _company(s: Session) -> Company:
    company = s.get(Company, 1)
    if company is None:
        raise ImportFileError(N_("This database has no company yet: run 'lettrage init' first"))
    return company


def _terms_code(s: Session, days: str) -> str | None:
    """Payment terms for ``days`` net days, created on first use ("30D")."""
    if not days:
        return None
    if not days.isdigit():
        raise RowError("payment_terms_days", N_("'{days}' is not a number of days"), days=days)
    code = f"{int(days)}D"
    if s.get(PaymentTerms, code) is None:
        s.add(PaymentTerms(code=code, description=_("Net {days} days").format(days=int(days)),
                           due_date_formula=code))
        s.flush()
    return code


_EU = {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
       "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"}


def _posting_group(country: str) -> str:
    return "EU" if country.upper() in _EU else "FOREIGN" if country else "DOMESTIC"
