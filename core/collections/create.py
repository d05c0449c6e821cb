"""Create Reminders and Create Finance Charge Memos inside one write session: read in
bulk, suggest per customer and currency (pure), write headers and lines in bulk."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import select as sa_select
from sqlalchemy import text
from sqlmodel import Session, col, select

from core.collections import loader
from core.collections.calc import Movement, rate_on
from core.collections.defaults import SERIES, ensure_series
from core.collections.models import (
    LINE_ENTRY,
    LINE_FEE,
    LINE_LINE_FEE,
    LINE_TEXT,
    NOT_DUE,
    ON_HOLD,
    OVERDUE,
    CollectionDocument,
    CollectionDocumentRow,
    CollectionLine,
    IssuedDocument,
)
from core.collections.suggest import (
    ChargeProposal,
    ChargeTerms,
    NoProposal,
    OpenEntry,
    Options,
    Proposal,
    suggest_finance_charge,
    suggest_reminder,
)
from core.collections.texts import TextValues, fill, finance_charge_values, reminder_values
from core.i18n import N_, _, customer_language, using_language
from core.kernel.errors import LettrageError
from core.kernel.money import ZERO, to_minor
from core.kernel.records import bulk_insert_dicts, bulk_insert_rows
from core.ledger.models import Company, Party

SECTION_ORDER = {OVERDUE: 0, NOT_DUE: 1, ON_HOLD: 2}
MSG_FEE = N_("Additional fee")
MSG_LINE_FEE = N_("Additional fee per line")
MSG_INTEREST = N_("Interest, {days} days at {rate} %")


def customer_words(message: str, code: str | None) -> str:
    """A line text of a customer's document, worded once in the customer's language."""
    with using_language(customer_language(code)):
        return _(message)


@dataclass(frozen=True)
class Filters:
    customer_nos: tuple[str, ...] = ()
    only_overdue: bool = False
    include_on_hold: bool = False
    skip_issued_on_date: bool = False  # automation: nothing twice on the same day


def reserve_numbers(s: Session, series: str, count: int) -> list[str]:
    """``count`` consecutive numbers of a series in one statement."""
    row = s.execute(text("UPDATE noseries SET last_no = last_no + :n WHERE code = :c "
                         "RETURNING last_no, prefix, width"), {"n": count, "c": series}).first()
    if row is None:
        raise LettrageError(N_("Number series {series} does not exist"), series=series)
    last, prefix, width = int(row[0]), str(row[1]), int(row[2])
    return [f"{prefix}{n:0{width}d}" for n in range(last - count + 1, last + 1)]


class Customer(NamedTuple):
    """What Create Reminders reads of a customer (a plain row: 10,000 of them)."""

    no: str
    name: str
    address: str
    post_code: str
    city: str
    country: str
    email: str
    language_code: str
    reminder_terms_code: str
    fin_charge_terms_code: str
    blocked: str
    privacy_blocked: bool


_CUSTOMER_COLUMNS = tuple(getattr(Party, name) for name in Customer._fields)


def _customers(s: Session, kind: str, filters: Filters) -> list[Customer]:
    column = Party.reminder_terms_code if kind == "reminder" else Party.fin_charge_terms_code
    query = sa_select(*(col(c) for c in _CUSTOMER_COLUMNS)).where(
        col(Party.party_type) == "customer", col(column) != "")
    if filters.customer_nos:
        query = query.where(col(Party.no).in_(filters.customer_nos))
    return [Customer._make(row) for row in
            s.connection().execute(query.order_by(col(Party.no))).all()]


def _existing(s: Session, kind: str, document_date: date, filters: Filters
              ) -> dict[tuple[str, str], str]:
    """(customer, currency) -> the draft (or today's issued document) that blocks a new one."""
    found = {(d.customer_no, d.currency): d.no for d in s.exec(
        select(CollectionDocument).where(CollectionDocument.kind == kind)).all()}
    if filters.skip_issued_on_date:
        for d in s.exec(select(IssuedDocument).where(
                IssuedDocument.kind == kind, IssuedDocument.document_date == document_date,
                col(IssuedDocument.canceled).is_(False))).all():
            found.setdefault((d.customer_no, d.currency), d.no)
    return found


# the columns a new line is written with, in the order of the rows the writer builds
LINE_COLUMNS = ("document_no", "issued_no", "line_no", "line_type", "section", "entry_no",
                "entry_document_type", "entry_document_no", "document_date", "due_date",
                "original_amount", "remaining_amount", "interest_rate", "interest_days",
                "interest_amount", "amount", "level", "description")
_DOC, _LINE_NO, _DESCRIPTION = 0, 2, 17


class _Writer:
    """Collects new headers and lines and bulk-inserts them. A line is a list in
    ``LINE_COLUMNS`` order whose first item is, until ``flush``, its header dict."""

    def __init__(self, s: Session, kind: str, now: datetime, company: Company) -> None:
        self.s, self.kind, self.now = s, kind, now
        self.company, self.lcy = company.name, company.currency
        self.heads: list[CollectionDocumentRow] = []
        self.lines: list[list[Any]] = []
        self.texts = loader.all_texts(s, kind)

    def head(self, party: Customer, currency: str, terms: str, options: Options, level: int,
             due: date, fc_terms: str) -> CollectionDocumentRow:
        row = CollectionDocumentRow(
            no="", kind=self.kind, customer_no=party.no, name=party.name,
            address=party.address, post_code=party.post_code, city=party.city,
            country=party.country, email=party.email, language=party.language_code,
            currency=currency, terms_code=terms, fin_charge_terms_code=fc_terms, level=level,
            posting_date=options.posting_date, document_date=options.document_date,
            due_date=due, created_at=self.now, version=1)
        self.heads.append(row)
        return row

    def line(self, head: CollectionDocumentRow, line_type: str, section: str, *,
             entry_no: int | None = None, entry_document_type: str = "",
             entry_document_no: str = "", amount: int = 0, level: int = 0,
             description: str = "") -> None:
        """A fee or text line (no dates, no entry amounts, no interest)."""
        self.lines.append([head, "", 0, line_type, section, entry_no, entry_document_type,
                           entry_document_no, None, None, 0, 0, "0", 0, 0, amount, level,
                           description])

    def flush(self) -> list[str]:
        if not self.heads:
            return []
        numbers = reserve_numbers(self.s, SERIES[self.kind], len(self.heads))
        for head, no in zip(self.heads, numbers, strict=True):
            head["no"] = no
        counters: dict[str, int] = defaultdict(int)
        for row in self.lines:
            no = row[_DOC] = row[_DOC]["no"]
            counters[no] += 10000
            row[_LINE_NO] = counters[no]
        # driver executemany, not the ORM's bulk path: 100,000 lines in seconds
        conn = self.s.connection()
        bulk_insert_dicts(conn, _table(CollectionDocument), self.heads)
        bulk_insert_rows(conn, _table(CollectionLine), LINE_COLUMNS, self.lines)
        return numbers


def _table(model: Any) -> Any:
    return model.__table__


def entry_line(w: _Writer, head: CollectionDocumentRow, e: OpenEntry, section: str, level: int,
               interest: Any = None) -> None:
    w.lines.append([
        head, "", 0, LINE_ENTRY, section, e.entry_no, e.document_type, e.document_no,
        e.document_date, e.due_date, to_minor(e.amount), to_minor(e.remaining),
        str(interest.rate) if interest else "0", interest.days if interest else 0,
        to_minor(interest.amount) if interest else 0, 0, level,
        e.description or f"{e.document_type} {e.document_no}".strip()])


def text_lines(w: _Writer, head: CollectionDocumentRow, beginning: Sequence[str],
               ending: Sequence[str], values: dict[int, str]) -> None:
    for position, templates in (("beginning", beginning), ("ending", ending)):
        for t in templates:
            w.line(head, LINE_TEXT, position, description=fill(t, values))


def reminder_text_values(proposal: Proposal, options: Options, currency: str, company: str,
                         rate: Decimal) -> TextValues:
    return TextValues(document_date=options.document_date, due_date=proposal.due_date,
                      interest_rate=rate, remaining=proposal.remaining,
                      interest=proposal.interest, additional_fee=proposal.additional_fee,
                      total=proposal.total, currency=currency, posting_date=options.posting_date,
                      level=proposal.level, company_name=company, line_fee=proposal.line_fees)


def _write_reminder(w: _Writer, party: Customer, currency: str, proposal: Proposal,
                    options: Options, charge: ChargeTerms | None) -> None:
    s = w.s
    head = w.head(party, currency, party.reminder_terms_code, options, proposal.level,
                  proposal.due_date, party.fin_charge_terms_code)
    lines = sorted(proposal.lines, key=lambda ln: SECTION_ORDER[ln.section])
    for ln in lines:
        entry_line(w, head, ln.entry, ln.section, ln.level, ln.interest)
        if ln.line_fee:
            w.line(head, LINE_LINE_FEE, OVERDUE, entry_no=ln.entry.entry_no,
                   entry_document_type=ln.entry.document_type,
                   entry_document_no=ln.entry.document_no, amount=to_minor(ln.line_fee),
                   level=ln.level, description=proposal.line_fee_description or customer_words(
                       MSG_LINE_FEE, party.language_code))
    if proposal.additional_fee:
        w.line(head, LINE_FEE, OVERDUE, amount=to_minor(
            proposal.additional_fee), level=proposal.level,
            description=customer_words(MSG_FEE, party.language_code))
    rate = rate_on(charge.rates, options.document_date).rate if charge else ZERO
    begin, end = loader.texts(s, "reminder", party.reminder_terms_code, proposal.level,
                              party.language_code, w.texts)
    values = reminder_values(reminder_text_values(proposal, options, currency or w.lcy,
                                                  w.company, rate), party.language_code)
    text_lines(w, head, begin, end, values)


def _write_charge(w: _Writer, party: Customer, currency: str, proposal: ChargeProposal,
                  options: Options, terms: ChargeTerms, line_description: str) -> None:
    head = w.head(party, currency, terms.code, options, 0, proposal.due_date, terms.code)
    for ln in proposal.lines:
        entry_line(w, head, ln.entry, OVERDUE, 0, ln.interest)
        template = line_description or customer_words(MSG_INTEREST, party.language_code)
        w.lines[-1][_DESCRIPTION] = template.replace("{days}", str(ln.interest.days)) \
            .replace("{rate}", str(ln.interest.rate)) \
            + f" - {ln.entry.document_type} {ln.entry.document_no}"
    if proposal.additional_fee:
        w.line(head, LINE_FEE, OVERDUE, amount=to_minor(proposal.additional_fee),
               description=customer_words(MSG_FEE, party.language_code))
    rate = rate_on(terms.rates, options.document_date).rate
    values = finance_charge_values(TextValues(
        document_date=options.document_date, due_date=proposal.due_date, interest_rate=rate,
        remaining=proposal.remaining, interest=proposal.interest,
        additional_fee=proposal.additional_fee, total=proposal.total,
        currency=currency or w.lcy, posting_date=options.posting_date), party.language_code)
    begin, end = loader.texts(w.s, "finance_charge", terms.code, 0, party.language_code,
                              w.texts)
    text_lines(w, head, begin, end, values)


def company_of(s: Session) -> Company:
    company = s.get(Company, 1)
    if company is None:
        raise LettrageError(N_("This database has no company yet: run 'lettrage init' first"))
    return company


def create(s: Session, kind: str, options: Options, filters: Filters, now: datetime
           ) -> tuple[list[str], list[tuple[str, str]]]:
    """Create the reminders (or memos) the customers' entries call for."""
    ensure_series(s)
    company = company_of(s)
    parties = _customers(s, kind, filters)
    existing = _existing(s, kind, options.document_date, filters)
    closed_since = None if kind == "reminder" else date(1900, 1, 1)
    entries = loader.customer_entries(s, [p.no for p in parties] if filters.customer_nos
                                      else None, closed_since=closed_since)
    history = loader.history(s)
    writer = _Writer(s, kind, now, company)
    skipped: list[tuple[str, str]] = []
    reminder_terms: dict[str, loader.TermsBundle] = {}
    charge_terms: dict[str, tuple[ChargeTerms, Any]] = {}
    need_moves: dict[str, list[OpenEntry]] = {}
    for party in parties:
        if not entries.get(party.no) or all(
                (party.no, e.currency) in existing for e in entries[party.no]):
            continue  # nothing to create (a re-run: every currency has its document)
        if kind == "reminder":
            code = party.reminder_terms_code
            if code not in reminder_terms:
                reminder_terms[code] = loader.load_reminder_terms(s, code)
            first = min((lv.no for lv in reminder_terms[code].terms.levels
                         if lv.calculate_interest), default=None)
            if first is not None and party.fin_charge_terms_code:
                need_moves[party.no] = [e for e in entries[party.no]
                                        if e.last_level + 1 >= first]
        else:
            need_moves[party.no] = entries[party.no]
        fc = party.fin_charge_terms_code
        if fc and fc not in charge_terms:
            charge_terms[fc] = loader.load_charge_terms(s, fc)
    moves: dict[int, list[Movement]] = loader.movements(
        s, [e.entry_no for es in need_moves.values() for e in es]) if need_moves else {}
    for party in parties:
        by_currency: dict[str, list[OpenEntry]] = defaultdict(list)
        for e in entries.get(party.no, ()):
            by_currency[e.currency].append(e)
        for currency, group in sorted(by_currency.items()):
            if (party.no, currency) in existing:
                skipped.append((party.no, _("already has {document_no}").format(
                    document_no=existing[(party.no, currency)])))
                continue
            charge = charge_terms.get(party.fin_charge_terms_code)
            if kind == "reminder":
                proposal: Any = suggest_reminder(
                    group, reminder_terms[party.reminder_terms_code].terms, options, history,
                    blocked="all" if party.privacy_blocked else party.blocked,
                    charge_terms=charge[0] if charge else None, movements=moves,
                    currency=currency)
            else:
                assert charge is not None
                proposal = suggest_finance_charge(
                    group, charge[0], options, history,
                    blocked="all" if party.privacy_blocked else party.blocked,
                    movements=moves, currency=currency)
            if isinstance(proposal, NoProposal):
                skipped.append((party.no, proposal.reason))
            elif kind == "reminder":
                _write_reminder(writer, party, currency, proposal, options,
                                charge[0] if charge else None)
            else:
                assert charge is not None
                _write_charge(writer, party, currency, proposal, options, charge[0],
                              charge[1].line_description)
    return writer.flush(), skipped
