"""What the posting engine checks before it writes a line (bc-spec §11 blocked rules, the
allowed posting dates, accounts that exist and can be posted to), with the accounts
read once per posting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session

from core.i18n import N_
from core.kernel.bounds import check_date
from core.kernel.errors import BlockedError, NotFoundError, PostingError
from core.kernel.money import MAX_MINOR, ZERO, exponent, money
from core.ledger.drafts import ACCOUNT_TYPES, LineDraft, party_title
from core.ledger.models import BankAccount, Company, GLAccount, Party, PaymentTerms, PostingGroup


@dataclass
class AccountCache:
    """Per-posting caches of master data, so a 10,000-line batch reads each once."""

    session: Session
    gl: dict[str, GLAccount | None]
    parties: dict[tuple[str, str], Party | None]
    banks: dict[str, BankAccount | None]
    groups: dict[tuple[str, str], PostingGroup | None]
    terms: dict[str, PaymentTerms | None]

    @classmethod
    def of(cls, session: Session) -> AccountCache:
        return cls(session, {}, {}, {}, {}, {})

    def gl_account(self, no: str) -> GLAccount | None:
        if no not in self.gl:
            self.gl[no] = self.session.get(GLAccount, no)
        return self.gl[no]

    def party(self, party_type: str, no: str) -> Party | None:
        key = (party_type, no)
        if key not in self.parties:
            self.parties[key] = self.session.get(Party, key)
        return self.parties[key]

    def bank(self, no: str) -> BankAccount | None:
        if no not in self.banks:
            self.banks[no] = self.session.get(BankAccount, no)
        return self.banks[no]

    def group(self, party: Party) -> PostingGroup:
        key = (party.party_type, party.posting_group)
        if key not in self.groups:
            self.groups[key] = self.session.get(PostingGroup, key)
        group = self.groups[key]
        if group is None:
            raise NotFoundError(N_("{party_type} {no} has posting group {posting_group}, which "
                                   "does not exist"),
                                party_type=party_title(party.party_type), no=party.no,
                                posting_group=party.posting_group)
        return group

    def payment_terms(self, code: str | None) -> PaymentTerms | None:
        if not code:
            return None
        if code not in self.terms:
            self.terms[code] = self.session.get(PaymentTerms, code)
        return self.terms[code]


def check_party_blocked(party: Party, document_type: str, action: str = "post") -> None:
    """BC's blocked rules (bc-spec §11), enforced for every posting path."""
    kind = "Customer" if party.party_type == "customer" else "Vendor"
    if party.privacy_blocked:
        raise BlockedError(N_("You cannot {action} this type of document when {kind} {no} "
                              "({name}) is blocked for privacy."),
                           action=action, kind=kind, no=party.no, name=party.name)
    blocked = party.blocked
    if not blocked:
        return
    hit = (
        blocked == "all"
        or (party.party_type == "customer" and blocked == "invoice"
            and document_type in ("", "invoice"))
        or (party.party_type == "vendor" and blocked == "payment"
            and document_type in ("payment", "refund"))
    )
    if hit:
        raise BlockedError(N_("You cannot {action} this type of document when {kind} {no} "
                              "({name}) is blocked with type {blocked}."),
                           action=action, kind=kind, no=party.no, name=party.name,
                           blocked=blocked.title())


def _exact(amount: Decimal, places: int) -> bool:
    """``amount`` has at most ``places`` decimals and is within ``MAX_MINOR`` (then
    ``money`` leaves it as it is)."""
    scaled = amount.scaleb(places)
    units = int(scaled) if scaled.is_finite() else None
    return units is not None and units == scaled and abs(units) < MAX_MINOR


class LineChecks:
    """The line checks of ``Poster`` (its company, currency and account cache)."""

    company: Company
    currency: str
    accounts: AccountCache
    # what passed the checks in this posting (the company and accounts are read once)
    dates_checked: set[date]
    accounts_checked: set[tuple[str, str, str]]

    def validate(self, line: LineDraft) -> None:
        ref = line.ref or "the line"
        if line.amount == ZERO:
            raise PostingError(N_("{ref}: the amount must not be zero"), ref=ref)
        exact = _exact(line.amount, exponent(self.currency))
        if not exact and money(line.amount, self.currency) != line.amount:
            raise PostingError(N_("{ref}: amount {amount} has too many decimals"),
                               ref=ref, amount=line.amount)
        if line.posting_date not in self.dates_checked:
            self._check_date(line, ref)
            self.dates_checked.add(line.posting_date)
        if line.currency and line.currency != self.currency:
            raise PostingError(N_("{ref}: currency {currency} does not match the company "
                                  "currency {currency2}; foreign-currency postings are not "
                                  "supported"),
                               ref=ref, currency=line.currency, currency2=self.currency)
        self._check_once(line.account_type, line.account_no, line.document_type, ref)
        if line.bal_account_no:
            self._check_once(line.bal_account_type or "gl_account", line.bal_account_no,
                             line.document_type, ref)

    def _check_once(self, account_type: str, no: str, document_type: str, ref: str) -> None:
        """``_check_account``, once per account and document type of a posting (the
        accounts are read once per posting: a second check would find the same)."""
        key = (account_type, no, document_type)
        if key not in self.accounts_checked:
            self._check_account(account_type, no, document_type, ref)
            self.accounts_checked.add(key)

    def _check_date(self, line: LineDraft, ref: str) -> None:
        problem = check_date(line.posting_date)
        if problem:
            raise PostingError(N_("{ref}: posting date {problem}"), ref=ref, problem=problem)
        lo, hi = self.company.allow_posting_from, self.company.allow_posting_to
        if (lo and line.posting_date < lo) or (hi and line.posting_date > hi):
            raise PostingError(
                N_("{ref}: posting date {posting_date} is not within the allowed posting range "
                   "{value} to {value2}"),
                ref=ref, posting_date=line.posting_date, value=lo or '...', value2=hi or '...')

    def _check_account(self, account_type: str, no: str, document_type: str, ref: str) -> None:
        if account_type not in ACCOUNT_TYPES:
            raise PostingError(N_("{ref}: unknown account type '{account_type}'"),
                               ref=ref, account_type=account_type)
        if not no:
            raise PostingError(N_("{ref}: no account number"), ref=ref)
        if account_type == "gl_account":
            gl = self.accounts.gl_account(no)
            if gl is None:
                raise NotFoundError(N_("{ref}: G/L account {no} does not exist"), ref=ref, no=no)
            if gl.account_type != "posting" or gl.blocked:
                raise PostingError(N_("{ref}: G/L account {no} ({name}) is not a posting "
                                      "account or is blocked"), ref=ref, no=no, name=gl.name)
        elif account_type == "bank_account":
            bank = self.accounts.bank(no)
            if bank is None:
                raise NotFoundError(N_("{ref}: bank account {no} does not exist"), ref=ref, no=no)
            if bank.blocked:
                raise BlockedError(N_("{ref}: bank account {no} ({name}) is blocked"),
                                   ref=ref, no=no, name=bank.name)
            if bank.currency and bank.currency != self.currency:
                raise PostingError(N_("{ref}: bank account {no} is in {currency}, the posting "
                                      "in {currency2}"),
                                   ref=ref, no=no, currency=bank.currency, currency2=self.currency)
        else:
            party = self.accounts.party(account_type, no)
            if party is None:
                raise NotFoundError(N_("{ref}: {account_type} {no} does not exist"),
                                    ref=ref, account_type=account_type, no=no)
            if party.currency and party.currency != self.currency:
                raise PostingError(N_("{ref}: {account_type} {no} uses currency {currency}, "
                                      "the posting {currency2}"),
                                   ref=ref, account_type=account_type, no=no,
                                   currency=party.currency, currency2=self.currency)
            try:
                check_party_blocked(party, document_type)
            except BlockedError as exc:
                raise BlockedError(N_("{ref}: {reason}"), ref=ref, reason=exc) from None
