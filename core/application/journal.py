"""Journals (BC Cash Receipt / Payment / General Journal): batches, lines, totals, the
per-line reasons a line cannot post, and posting through ``PostingService``.

Lines are edited with optimistic locking: every change names the ``version`` the clerk
saw; a line changed by someone else meanwhile raises ``ConflictError``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from core.application import ApplicationWarning, Decisions, OpenEntry
from core.application import preview_warnings as plan_warnings
from core.application.accounts import account_name, unknown_accounts
from core.application.applying import open_entry, tolerance_setup
from core.audit import trail as audit
from core.audit.conflicts import conflict
from core.i18n import N_, _
from core.kernel.errors import ConflictError, LettrageError, NotFoundError, PostingError, Text
from core.kernel.money import ZERO, AmountError, from_minor, to_minor
from core.kernel.store import Store
from core.ledger.drafts import ACCOUNT_TYPES, DOCUMENT_TYPES, PostingResult
from core.ledger.models import (
    BankAccount,
    GLAccount,
    JournalBatch,
    JournalLine,
    LedgerEntry,
    NoSeries,
    Party,
)
from core.ledger.numbering import next_document_no
from core.ledger.poster import Poster, os_user
from core.ledger.posting import PostingService, journal_line_draft

TEMPLATES = ("cash_receipt", "payment", "general")
DEFAULT_ACCOUNT_TYPE = {"cash_receipt": "customer", "payment": "vendor",
                        "general": "gl_account"}
DEFAULT_DOCUMENT_TYPE = {"cash_receipt": "payment", "payment": "payment", "general": ""}
DEFAULT_SERIES = {"cash_receipt": "CASHRCPT", "payment": "PAYMENT", "general": "GENJNL"}
LINE_STEP = 10000


@dataclass(frozen=True)
class BatchView:
    id: int
    template: str
    name: str
    description: str
    no_series_code: str
    bal_account_type: str
    bal_account_no: str
    line_count: int
    version: int


@dataclass(frozen=True)
class JournalLineView:
    id: int
    batch_id: int
    line_no: int
    posting_date: date
    document_type: str
    document_no: str
    external_document_no: str
    account_type: str
    account_no: str
    description: str
    amount: Decimal
    bal_account_type: str
    bal_account_no: str
    applies_to_doc_type: str
    applies_to_doc_no: str
    applies_to_id: str
    payment_reference: str
    document_date: date | None
    due_date: date | None
    version: int


@dataclass(frozen=True)
class JournalLineInput:
    """A new line; blanks take the template's defaults (document no. from the batch's
    number series, account type customer/vendor/G/L, document type payment)."""

    posting_date: date
    account_no: str = ""
    amount: Decimal = ZERO
    account_type: str = ""
    document_type: str | None = None
    document_no: str = ""
    external_document_no: str = ""
    description: str = ""
    bal_account_type: str = ""
    bal_account_no: str = ""
    applies_to_doc_type: str = ""
    applies_to_doc_no: str = ""
    applies_to_id: str = ""
    payment_reference: str = ""
    document_date: date | None = None
    due_date: date | None = None
    payment_method: str = ""  # '' | check


@dataclass(frozen=True)
class BatchTotals:
    """``total``: Σ amounts of all lines; ``balance``: Σ amounts of lines without a
    balancing account (0 when the batch can post as far as balance goes)."""

    total: Decimal
    balance: Decimal
    line_count: int


@dataclass(frozen=True)
class LineError:
    line_id: int
    line_no: int
    message: str


@dataclass(frozen=True)
class LineWarnings:
    """The tolerance questions posting would ask for one line (BC asks them before it
    posts): late payment discounts and the payment tolerance of its application."""

    line_id: int
    line_no: int
    document_no: str
    account_no: str
    warnings: tuple[ApplicationWarning, ...]


EDITABLE = frozenset(f.name for f in fields(JournalLineInput))


def _batch_view(b: JournalBatch, count: int) -> BatchView:
    assert b.id is not None
    return BatchView(b.id, b.template, b.name, b.description, b.no_series_code or "",
                     b.bal_account_type, b.bal_account_no, count, b.version)


def line_view(r: JournalLine) -> JournalLineView:
    assert r.id is not None
    return JournalLineView(
        id=r.id, batch_id=r.batch_id, line_no=r.line_no, posting_date=r.posting_date,
        document_type=r.document_type, document_no=r.document_no,
        external_document_no=r.external_document_no, account_type=r.account_type,
        account_no=r.account_no, description=r.description, amount=from_minor(r.amount),
        bal_account_type=r.bal_account_type, bal_account_no=r.bal_account_no,
        applies_to_doc_type=r.applies_to_doc_type, applies_to_doc_no=r.applies_to_doc_no,
        applies_to_id=r.applies_to_id, payment_reference=r.payment_reference,
        document_date=r.document_date, due_date=r.due_date, version=r.version)


def _minor(amount: Decimal) -> int:
    try:
        return to_minor(amount)
    except AmountError as exc:
        raise PostingError(str(exc)) from None


def _set(row: JournalLine, name: str, value: Any) -> None:
    if name not in EDITABLE:
        raise PostingError(N_("Journal line field '{name}' cannot be edited"), name=name)
    if name == "amount":
        row.amount = _minor(Decimal(value))
        return
    if name == "account_type" and value not in ACCOUNT_TYPES:
        raise PostingError(N_("Unknown account type '{value}'"), value=value)
    if name == "document_type" and value not in DOCUMENT_TYPES:
        raise PostingError(N_("Unknown document type '{value}'"), value=value)
    setattr(row, name, value)


class JournalService:
    """Batches and lines of the cash receipt, payment and general journals."""

    def __init__(self, store: Store, user: str | None = None) -> None:
        self.store = store
        self.user = user

    # --- batches ---------------------------------------------------------------------

    def batches(self, template: str | None = None) -> list[BatchView]:
        with self.store.read() as s:
            stmt = select(JournalBatch).order_by(col(JournalBatch.template),
                                                 col(JournalBatch.name))
            if template:
                stmt = stmt.where(JournalBatch.template == template)
            counts = dict(s.exec(select(JournalLine.batch_id, func.count())
                                 .group_by(col(JournalLine.batch_id))).all())
            return [_batch_view(b, int(counts.get(b.id or 0, 0))) for b in s.exec(stmt).all()]

    def create_batch(self, template: str, name: str, description: str = "", *,
                     bal_account_type: str = "bank_account", bal_account_no: str = "",
                     no_series_code: str | None = None) -> BatchView:
        """A new batch of ``template`` (BC: a new line on the Journal Batches page).
        The number series defaults to the template's; the balancing account may be
        blank (each line then names its own)."""
        name = name.strip().upper()
        if template not in TEMPLATES:
            raise PostingError(N_("Unknown journal template '{template}'"), template=template)
        if not name or len(name) > 20:
            raise PostingError(N_("A batch name needs 1 to 20 characters"))
        if bal_account_type and bal_account_type not in ACCOUNT_TYPES:
            raise PostingError(N_("Unknown balancing account type '{bal_account_type}'"),
                               bal_account_type=bal_account_type)
        series = no_series_code if no_series_code is not None else DEFAULT_SERIES[template]
        with self.store.write() as s:
            if s.exec(select(JournalBatch).where(JournalBatch.template == template,
                                                 JournalBatch.name == name)).first():
                raise ConflictError(N_("The {kind} journal already has a batch {name}; "
                                       "choose another name"),
                                    kind=template.replace('_', ' '), name=name)
            if series and s.get(NoSeries, series) is None:
                raise NotFoundError(N_("Number series {series} does not exist"), series=series)
            batch = JournalBatch(template=template, name=name, description=description,
                                 no_series_code=series or None,
                                 bal_account_type=bal_account_type if bal_account_no else "",
                                 bal_account_no=bal_account_no)
            if bal_account_no:
                _check_bal_account(s, batch.bal_account_type, bal_account_no, name)
            s.add(batch)
            s.flush()
            return _batch_view(batch, 0)

    def batch(self, batch_id: int) -> BatchView:
        with self.store.read() as s:
            b = _get_batch(s, batch_id)
            count = s.exec(select(func.count()).where(
                JournalLine.batch_id == batch_id)).one()
            return _batch_view(b, int(count))

    # --- lines -----------------------------------------------------------------------

    def lines(self, batch_id: int) -> list[JournalLineView]:
        with self.store.read() as s:
            _get_batch(s, batch_id)
            return [line_view(r) for r in _rows(s, batch_id)]

    def add_line(self, batch_id: int, line: JournalLineInput) -> JournalLineView:
        with self.store.write() as s:
            batch = _get_batch(s, batch_id)
            last = s.exec(select(func.max(JournalLine.line_no)).where(
                JournalLine.batch_id == batch_id)).one()
            doc_no = line.document_no
            if not doc_no and batch.no_series_code:
                doc_no = next_document_no(s, batch.no_series_code)
            row = JournalLine(batch_id=batch_id, line_no=int(last or 0) + LINE_STEP,
                              posting_date=line.posting_date)
            for f in fields(JournalLineInput):
                value = getattr(line, f.name)
                if f.name == "account_type":
                    value = value or DEFAULT_ACCOUNT_TYPE.get(batch.template, "gl_account")
                elif f.name == "document_type" and value is None:
                    value = DEFAULT_DOCUMENT_TYPE.get(batch.template, "")
                elif f.name == "document_no":
                    value = doc_no
                _set(row, f.name, value)
            _fill_defaults(s, row)
            s.add(row)
            s.flush()
            return line_view(row)

    def update_line(self, line_id: int, version: int, changes: Mapping[str, Any]
                    ) -> JournalLineView:
        with self.store.write() as s:
            row = _locked_line(s, line_id, version)
            before = audit.snapshot(row)
            for name, value in changes.items():
                _set(row, name, value)
            _fill_defaults(s, row)
            changed = audit.diff(before, audit.snapshot(row))
            if changed:
                audit.record(s, user=self.user or os_user(), action="update",
                             entity="journal_line", key=line_id, changes=changed,
                             note=audit.message(N_("batch {batch} line {line}"),
                                               batch=row.batch_id, line=row.line_no))
            row.version += 1
            s.flush()
            return line_view(row)

    def delete_line(self, line_id: int, version: int | None = None) -> None:
        with self.store.write() as s:
            row = _locked_line(s, line_id, version)
            note = audit.message(N_("batch {batch} line {line} {type} {no} {amount}"),
                                 batch=row.batch_id, line=row.line_no, type=row.account_type,
                                 no=row.account_no, amount=from_minor(row.amount))
            audit.record(s, user=self.user or os_user(), action="delete",
                         entity="journal_line", key=line_id, note=note)
            s.delete(row)

    # --- totals, errors, posting -----------------------------------------------------

    def batch_totals(self, batch_id: int) -> BatchTotals:
        with self.store.read() as s:
            batch = _get_batch(s, batch_id)
            total = balance = ZERO
            rows = _rows(s, batch_id)
            for r in rows:
                draft = journal_line_draft(r, batch)
                total += draft.amount
                if not draft.bal_account_no:
                    balance += draft.amount
            return BatchTotals(total, balance, len(rows))

    def line_errors(self, batch_id: int) -> list[LineError]:
        """Why each line cannot post (a dry run of the posting checks; nothing is
        written): account, date, amount and blocked checks, the applies-to document,
        and documents out of balance."""
        with self.store.read() as s:
            batch = _get_batch(s, batch_id)
            rows = list(_rows(s, batch_id))
            poster = Poster(s, user=self.user)
            errors: list[LineError] = []
            groups: dict[tuple[str, date], list[JournalLine]] = defaultdict(list)
            for r in rows:
                assert r.id is not None
                draft = journal_line_draft(r, batch)
                groups[(draft.document_no, draft.posting_date)].append(r)
                unknown = unknown_accounts(s, draft.account_type, draft.account_no,
                                            draft.bal_account_type, draft.bal_account_no)
                errors += [LineError(r.id, r.line_no, text) for text in unknown]
                if unknown:  # the clerk's first fix: the account, not the amount
                    continue
                try:
                    poster.validate(draft)
                    _check_applies_to(s, r)
                except LettrageError as exc:
                    errors.append(LineError(r.id, r.line_no, str(exc)))
            for (doc_no, day), group in groups.items():
                residual = sum((from_minor(r.amount) for r in group
                                if not journal_line_draft(r, batch).bal_account_no), ZERO)
                if residual:
                    for r in group:
                        assert r.id is not None
                        errors.append(LineError(
                            r.id, r.line_no, _("Document {value} of {day} is out of balance by "
                                               "{residual}").format(
                                                 value=doc_no or '(no number)', day=day,
                                                 residual=residual)))
            errors.sort(key=lambda e: e.line_no)
            return errors

    def posting_warnings(self, batch_id: int,
                         decisions: Mapping[int, Decisions] | None = None
                         ) -> tuple[LineWarnings, ...]:
        """The payment tolerance and late discount questions posting the batch would
        ask, per line that applies to open entries (``decisions`` by line id: answers
        given so far, reported back as answered). Nothing is written."""
        decisions = decisions or {}
        out: list[LineWarnings] = []
        with self.store.read() as s:
            batch = _get_batch(s, batch_id)
            poster = Poster(s, user=self.user)
            for r in _rows(s, batch_id):
                assert r.id is not None
                applying = _applying(r)
                party = s.get(Party, (r.account_type, r.account_no)) if applying else None
                if applying is None or party is None:
                    continue
                targets = _line_targets(s, r)
                if not targets:
                    continue
                try:
                    warnings = plan_warnings(applying, targets, r.posting_date,
                                             tolerance_setup(poster, party),
                                             decisions.get(r.id, Decisions()))
                except LettrageError:
                    continue  # line_errors/posting report why this line cannot apply
                if warnings:
                    doc = journal_line_draft(r, batch).document_no
                    out.append(LineWarnings(r.id, r.line_no, doc, r.account_no,
                                            tuple(warnings)))
        return tuple(out)

    def post_batch(self, batch_id: int, *, preview: bool = False,
                   decisions: Mapping[int, Decisions] | None = None) -> PostingResult:
        """Post the batch; ``decisions`` (by line id) answer the tolerance warnings of
        ``posting_warnings`` (unanswered ones take BC's default)."""
        return PostingService(self.store, self.user).post_batch(
            batch_id, preview=preview, decisions=decisions)


def _get_batch(s: Session, batch_id: int) -> JournalBatch:
    batch = s.get(JournalBatch, batch_id)
    if batch is None:
        raise NotFoundError(N_("Journal batch {batch_id} does not exist"), batch_id=batch_id)
    return batch


def _rows(s: Session, batch_id: int) -> list[JournalLine]:
    return list(s.exec(select(JournalLine).where(JournalLine.batch_id == batch_id)
                       .order_by(col(JournalLine.line_no))).all())


def _locked_line(s: Session, line_id: int, version: int | None) -> JournalLine:
    row = s.exec(select(JournalLine).where(JournalLine.id == line_id)
                 .with_for_update()).first()
    if row is None:
        raise conflict(s, Text(N_("A journal line you were editing")), [("journal_line", line_id)],
                       hint=N_("it is gone; reload the journal"))
    if version is not None and row.version != version:
        raise conflict(s, Text(N_("Journal line {no}"), no=row.line_no),
                       [("journal_line", line_id)],
                       hint=N_("reload the journal and try again"))
    return row


def _check_applies_to(s: Session, r: JournalLine) -> None:
    if r.applies_to_doc_no and r.applies_to_id:
        raise PostingError(N_("You cannot set Applies-to ID while selecting Applies-to Doc. No."))
    if not r.applies_to_doc_no or r.account_type not in ("customer", "vendor"):
        return
    stmt = select(LedgerEntry.entry_no).where(
        LedgerEntry.party_type == r.account_type, LedgerEntry.party_no == r.account_no,
        LedgerEntry.document_no == r.applies_to_doc_no, LedgerEntry.open == True)  # noqa: E712
    if r.applies_to_doc_type:
        stmt = stmt.where(LedgerEntry.document_type == r.applies_to_doc_type)
    if s.exec(stmt).first() is None:
        raise PostingError(N_("{account_type} {account_no} has no open entry "
                              "{applies_to_doc_no} to apply to"),
                           account_type=r.account_type.title(), account_no=r.account_no,
                           applies_to_doc_no=r.applies_to_doc_no)


def _applying(r: JournalLine) -> OpenEntry | None:
    """A customer/vendor line as the applying entry it will become (entry no. 0)."""
    if r.account_type not in ("customer", "vendor") or not r.account_no or not r.amount:
        return None
    if not (r.applies_to_doc_no or r.applies_to_id):
        return None
    amount = from_minor(r.amount)
    return OpenEntry(entry_no=0, party_type=r.account_type, party_no=r.account_no,
                     document_type=r.document_type, document_no=r.document_no,
                     posting_date=r.posting_date, remaining=amount, amount=amount)


def _line_targets(s: Session, r: JournalLine) -> list[OpenEntry]:
    """The open entries the line applies to, as posting will find them."""
    stmt = select(LedgerEntry).where(
        LedgerEntry.party_type == r.account_type, LedgerEntry.party_no == r.account_no,
        LedgerEntry.open == True)  # noqa: E712
    if r.applies_to_doc_no:
        stmt = stmt.where(LedgerEntry.document_no == r.applies_to_doc_no)
        if r.applies_to_doc_type:
            stmt = stmt.where(LedgerEntry.document_type == r.applies_to_doc_type)
        first = s.exec(stmt).first()
        return [open_entry(first)] if first is not None else []
    rows = s.exec(stmt.where(LedgerEntry.applies_to_id == r.applies_to_id)
                  .order_by(col(LedgerEntry.due_date), col(LedgerEntry.entry_no))).all()
    return [open_entry(e, use_amount_to_apply=True) for e in rows]


def _check_bal_account(s: Session, account_type: str, no: str, batch: str) -> None:
    model: Any = {"bank_account": BankAccount, "gl_account": GLAccount}.get(account_type)
    if model is None:
        raise PostingError(N_("Batch {batch}: the balancing account must be a bank account or "
                              "a G/L account"), batch=batch)
    if s.get(model, no) is None:
        raise NotFoundError(N_("Batch {batch}: {kind} {no} does not exist"),
                            batch=batch, kind=account_type.replace('_', ' '), no=no)


def _fill_defaults(s: Session, row: JournalLine) -> None:
    """What BC fills in as the clerk validates fields: a blank description takes the
    account's name, a blank amount with an Applies-to Doc. No. the amount that settles
    that entry (its remaining less the discount still possible at the posting date)."""
    if not row.description and row.account_no:
        row.description = account_name(s, row.account_type, row.account_no)
    if row.amount or not row.applies_to_doc_no or \
            row.account_type not in ("customer", "vendor"):
        return
    stmt = select(LedgerEntry).where(
        LedgerEntry.party_type == row.account_type, LedgerEntry.party_no == row.account_no,
        LedgerEntry.document_no == row.applies_to_doc_no, LedgerEntry.open == True)  # noqa: E712
    if row.applies_to_doc_type:
        stmt = stmt.where(LedgerEntry.document_type == row.applies_to_doc_type)
    entry = s.exec(stmt).first()
    if entry is None:
        return  # line_errors names the missing entry
    discount = entry.remaining_pmt_disc_possible if (
        entry.pmt_discount_date is not None
        and row.posting_date <= entry.pmt_discount_date) else 0
    row.amount = -(entry.remaining_amount - discount)
