"""Which of the company's bank accounts a statement belongs to, and its currency.

A statement names its account as an IBAN (CAMT, most CSV), a BLZ/account number pair
(German MT940 ``:25:``), a bare account number (OFX) or not at all (some CSV). A
statement posted into the wrong bank account is worse than no import, so when the
clerk chose an account the statement must agree with it, and when he did not, the
account is found by IBAN only and an ambiguous or unknown account is an error.
"""

from __future__ import annotations

from sqlmodel import Session, select

from core.i18n import N_
from core.kernel.errors import ImportFileError, NotFoundError, Text
from core.ledger.models import BankAccount, Company
from core.statements import Statement
from core.statements.keys import norm_iban

MIN_ACCOUNT_DIGITS = 6


class StatementImportError(ImportFileError):
    """A statement cannot be imported as asked; the message names file and statement."""


def statement_label(stmt: Statement, index: int) -> Text:
    """How messages name a statement: its id when the bank gave one, else its place
    (worded when shown)."""
    if stmt.name:
        return Text(N_("statement {label}"), label=stmt.name)
    return Text(N_("statement #{index}"), index=index)


def account_matches(stated: str, bank: BankAccount) -> bool:
    """Whether the account the statement names is ``bank`` (IBAN, BBAN, BLZ/no, no.)."""
    text = norm_iban(stated)
    if not text:
        return False
    iban = norm_iban(bank.iban)
    if text in (iban, norm_iban(bank.no)):
        return True
    if len(iban) <= 4:
        return False
    bban = iban[4:]
    if text == bban:
        return True
    if "/" in stated:  # German MT940: BLZ/Kontonummer
        blz, _, number = stated.partition("/")
        blz, number = norm_iban(blz), norm_iban(number)
        if blz and number and bban.startswith(blz) and bban[len(blz):].lstrip("0") == \
                number.lstrip("0"):
            return True
    digits = text.lstrip("0")
    return text.isdigit() and len(digits) >= MIN_ACCOUNT_DIGITS and bban.endswith(digits)


def bank_currency(s: Session, bank: BankAccount) -> str:
    """The bank account's currency; blank means the company's."""
    if bank.currency:
        return bank.currency.upper()
    company = s.get(Company, 1)
    return (company.currency if company else "EUR").upper()


def get_bank(s: Session, no: str) -> BankAccount:
    bank = s.get(BankAccount, no)
    if bank is None:
        raise NotFoundError(N_("Bank account {no} does not exist"), no=no)
    if bank.blocked:
        raise StatementImportError(N_("Bank account {no} is blocked; unblock it to import"),
                                   no=no)
    return bank


def resolve_bank(s: Session, file: str, stmt: Statement, index: int,
                 chosen: str | None) -> BankAccount:
    """The bank account for ``stmt``: the chosen one (checked) or the one by IBAN."""
    label = f"{file}, {statement_label(stmt, index)}"
    if chosen:
        bank = get_bank(s, chosen)
        if stmt.account and not account_matches(stmt.account, bank):
            raise StatementImportError(
                N_("{label}: the statement is for account {account}, not bank account {no} "
                   "({value}); choose the right bank account, or none to find it by IBAN"),
                label=label, account=stmt.account, no=bank.no, value=bank.iban or 'no IBAN')
        return bank
    if not stmt.account:
        raise StatementImportError(N_("{label}: the file does not name its account; choose the "
                                      "bank account to import into"), label=label)
    found = [b for b in s.exec(select(BankAccount)).all() if account_matches(stmt.account, b)]
    if not found:
        raise StatementImportError(N_("{label}: no bank account has IBAN or number {account}; "
                                      "set it on the bank account card first"),
                                   label=label, account=stmt.account)
    if len(found) > 1:
        raise StatementImportError(N_("{label}: account {account} fits bank accounts {accounts}; "
                                      "choose one"),
                                   label=label, account=stmt.account,
                                   accounts=", ".join(b.no for b in found))
    return get_bank(s, found[0].no)


def check_currency(s: Session, file: str, stmt: Statement, index: int,
                   bank: BankAccount) -> str:
    """The statement's currency, which must be the bank's (a missing one is assumed)."""
    expected = bank_currency(s, bank)
    stated = (stmt.currency or "").upper()
    if stated and stated != expected:
        raise StatementImportError(
            N_("{file}, {statement_label}: the statement is in {stated} but bank account {no} "
               "is in {expected}"),
            file=file, statement_label=statement_label(stmt, index), stated=stated, no=bank.no,
            expected=expected)
    return expected
