"""Payment Registration (BC "Register Customer Payments", spec §7).

``rows`` lists every open customer ledger entry except payments, keyset-paged like the
ledgers. ``post`` turns the clerk's marks into one payment (refund for a credit memo)
journal line per row, applied to the row's document; ``post(lump=True)`` posts one
line for one customer and one date, applied through an Applies-to ID. Both go through
the posting engine as one register, with the setup's balancing account and the number
series of its journal batch, exactly as the cash receipt journal would post them.

Concurrency: each mark carries the entry version the clerk saw. Posting locks the
entries first; an entry closed or changed meanwhile (another clerk's payment) refuses
the whole posting with a conflict message naming who, never a double payment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, text, update
from sqlalchemy import select as sa_select
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, col, or_, select

from core.audit import trail as audit
from core.audit.conflicts import conflict
from core.i18n import N_, _
from core.kernel.errors import NotFoundError, PostingError, Text
from core.kernel.money import ZERO, from_minor, money, to_minor
from core.kernel.store import Store, chunks
from core.kernel.users import os_user
from core.ledger.drafts import LineDraft, PostingResult
from core.ledger.models import Company, JournalBatch, LedgerEntry, Party
from core.ledger.numbering import next_document_no
from core.ledger.posting import PostingService, result_of
from core.queries.keyset import SortColumn, fetch_page
from core.queries.ledger import like, party_names
from core.queries.types import Page, PageRequest
from core.registration.marks import Mark, RegistrationRow, check_marks, lump_total
from core.registration.models import SalesHeader
from core.registration.sales import LABEL, lines_of
from core.registration.sales_types import totals
from core.registration.setup import (
    MSG_BAL_MISSING,
    SetupView,
    check_bal_account,
    load_setup,
)

LE = LedgerEntry
ORDER = (SortColumn(col(LE.due_date), nullable=True), SortColumn(col(LE.entry_no)))
SEARCH_LIMIT = 200
SEARCH_LABEL = {"invoice": N_("Sales Invoice"), "credit_memo": N_("Sales Credit Memo")}
POSTED_LABEL = {"invoice": N_("Posted Invoice"), "credit_memo": N_("Posted Credit Memo"),
                "refund": N_("Posted Refund"),
                "finance_charge_memo": N_("Posted Finance Charge Memo"),
                "reminder": N_("Posted Reminder")}
MSG_TOLERANCE = N_("Amount Tolerance % must be between 0 and 100")


@dataclass(frozen=True)
class DocumentHit:
    """A Search Documents result: a posted open entry or an unposted sales document."""

    source: str  # "Posted Invoice", "Sales Invoice" (unposted) ...
    document_no: str
    customer_no: str
    name: str
    amount: Decimal
    entry_no: int | None = None
    header_id: int | None = None


def document_nos(s: Session, series_code: str, count: int) -> list[str]:
    """``count`` consecutive numbers of a number series in one statement (the row stays
    locked until commit, as ``next_document_no``)."""
    row = s.execute(text("UPDATE noseries SET last_no = last_no + :n WHERE code = :c "
                         "RETURNING last_no, prefix, width"), {"n": count, "c": series_code}
                    ).first()
    if row is None:
        raise NotFoundError(N_("Number series {series_code} does not exist"),
                            series_code=series_code)
    last, prefix, width = int(row[0]), str(row[1]), int(row[2])
    return [f"{prefix}{no:0{width}d}" for no in range(last - count + 1, last + 1)]


def within_tolerance(amount: Decimal, filter_amount: Decimal, pct: Decimal) -> bool:
    """BC's IsWithinTolerance: no amount given matches everything."""
    if filter_amount == ZERO:
        return True
    lo, hi = sorted(((1 - pct / 100) * filter_amount, (1 + pct / 100) * filter_amount))
    return lo <= amount <= hi


def _row(e: LedgerEntry, name: str) -> RegistrationRow:
    remaining = from_minor(e.remaining_amount)
    return RegistrationRow(
        e.entry_no, e.party_no, name, e.document_type, e.document_no, e.description,
        e.external_document_no, e.posting_date, e.due_date, e.pmt_discount_date, remaining,
        remaining - from_minor(e.remaining_pmt_disc_possible), e.version)


class RegistrationService:
    def __init__(self, store: Store, user: str | None = None) -> None:
        self.store = store
        self.user = user or os_user()
        self.posting = PostingService(store, self.user)

    # --- the list ----------------------------------------------------------------------

    def rows(self, request: PageRequest = PageRequest(), customer_no: str = "",
             text: str = "") -> Page[RegistrationRow]:
        """Open customer entries except payments, by due date."""
        with self.store.read() as s:
            stmt = select(LE).where(col(LE.party_type) == "customer", col(LE.open).is_(True),
                                    col(LE.document_type) != "payment")
            if customer_no:
                stmt = stmt.where(col(LE.party_no) == customer_no)
            if text.strip():
                stmt = stmt.where(self._text(s, text.strip()))

            def views(rows: list[LedgerEntry]) -> list[RegistrationRow]:
                names = party_names(s, "customer", [r.party_no for r in rows])
                return [_row(r, names.get(r.party_no, "")) for r in rows]

            return fetch_page(s, stmt, ORDER, request, False, views)

    @staticmethod
    def _text(s: Session, text: str):  # type: ignore[no-untyped-def]
        """Search by customer name or no. or by document no."""
        pattern = like(text)
        nos = list(s.exec(select(Party.no).where(
            col(Party.party_type) == "customer",
            or_(col(Party.name).ilike(pattern, escape="\\"),
                col(Party.no).ilike(pattern, escape="\\"))).limit(500)).all())
        cond = col(LE.document_no).ilike(pattern, escape="\\")
        return or_(cond, col(LE.party_no).in_(nos)) if nos else cond

    def row(self, entry_no: int) -> RegistrationRow:
        with self.store.read() as s:
            e = s.get(LE, entry_no)
            if e is None:
                raise NotFoundError(N_("Ledger entry {entry_no} does not exist"), entry_no=entry_no)
            return _row(e, party_names(s, "customer", [e.party_no]).get(e.party_no, ""))

    def rows_by_document(self, document_nos: Sequence[str]) -> dict[str, RegistrationRow]:
        """The open rows of these document nos. (the command line's CSV)."""
        out: dict[str, RegistrationRow] = {}
        with self.store.read() as s:
            wanted = sorted(set(document_nos))
            for i in range(0, len(wanted), 500):
                rows = s.exec(select(LE).where(
                    col(LE.party_type) == "customer", col(LE.open).is_(True),
                    col(LE.document_type) != "payment",
                    col(LE.document_no).in_(wanted[i:i + 500]))).all()
                names = party_names(s, "customer", [r.party_no for r in rows])
                for r in rows:
                    out[r.document_no] = _row(r, names.get(r.party_no, ""))
        return out

    # --- posting -----------------------------------------------------------------------

    def post(self, marks: Sequence[Mark], *, lump: bool = False, preview: bool = False
             ) -> PostingResult:
        """Post Payments (F9) or Post as Lump Payment; ``preview`` rolls back."""
        marks = sorted(marks, key=lambda m: m.row.entry_no)
        check_marks(marks, lump)
        with self.store.write() as s:
            setup = load_setup(s, self.user)
            if not setup.bal_account_no:
                raise PostingError(MSG_BAL_MISSING, user_id=self.user)
            check_bal_account(s, setup.bal_account_type, setup.bal_account_no)
            batch = s.get(JournalBatch, setup.journal_batch_id) \
                if setup.journal_batch_id else None
            series = batch.no_series_code if batch and batch.no_series_code else "CASHRCPT"
            entries = self._lock(s, marks)
            self._write_discount_dates(s, marks, entries)
            if lump:
                lines = self._lump_lines(s, marks, entries, series, setup)
            else:
                nos = document_nos(s, series, len(marks))
                lines = [self._line(m, no, setup) for m, no in zip(marks, nos, strict=True)]
            source = "CASHRECJNL" if batch is None or batch.template == "cash_receipt" \
                else "GENJNL"
            poster = self.posting.make_poster(
                s, source, f"{batch.template}/{batch.name}" if batch else "")
            wanted = sorted({m.row.customer_no for m in marks})
            for part in range(0, len(wanted), 500):  # one query for all the customers
                for party in s.exec(select(Party).where(
                        col(Party.party_type) == "customer",
                        col(Party.no).in_(wanted[part:part + 500]))).all():
                    poster.accounts.parties[("customer", party.no)] = party
            register_no = poster.post(lines)
            result = result_of(poster, register_no, [ln.document_no for ln in lines])
            if preview:
                s.rollback()
        return result

    def _lock(self, s: Session, marks: Sequence[Mark]) -> dict[int, Any]:
        """Lock the marked entries (in entry-number order) and refuse any that another
        clerk paid or changed since the list was read. The rows are read as plain rows
        of the few columns checked (the posting reads and writes them as records)."""
        nos = [m.row.entry_no for m in marks]
        found: dict[int, Any] = {}
        t = LE.__table__  # type: ignore[attr-defined]
        cols = (t.c.entry_no, t.c.open, t.c.version, t.c.remaining_amount,
                t.c.pmt_discount_date, t.c.pmt_disc_tolerance_date)
        for part in chunks(nos):
            for e in s.execute(sa_select(*cols).where(t.c.entry_no.in_(part))
                               .order_by(t.c.entry_no).with_for_update()).all():
                found[e.entry_no] = e
        for m in marks:
            hit = found.get(m.row.entry_no)
            if hit is None or not hit.open or hit.version != m.row.version \
                    or hit.remaining_amount != to_minor(m.row.remaining):
                what = Text(N_("{document_type} {document_no} of customer {customer_no}"),
                            document_type=Text(LABEL.get(m.row.document_type,
                                                         m.row.document_type)),
                            document_no=m.row.document_no, customer_no=m.row.customer_no)
                raise conflict(s, what, entry_nos=[m.row.entry_no],
                               hint=N_("reload the list to see it; nothing was posted"))
        return found

    def _write_discount_dates(self, s: Session, marks: Sequence[Mark],
                              entries: dict[int, Any]) -> None:
        """A Pmt. Discount Date moved on Details goes back to the entry (audited)."""
        grace = None
        for m in marks:
            if m.pmt_discount_date == entries[m.row.entry_no].pmt_discount_date:
                continue
            e = s.get(LE, m.row.entry_no)
            assert e is not None
            if grace is None:
                company = s.get(Company, 1)
                grace = timedelta(days=company.pmt_disc_grace_days if company else 0)
            old = e.pmt_discount_date
            e.pmt_discount_date = m.pmt_discount_date
            new_tol = m.pmt_discount_date + grace if m.pmt_discount_date else None
            audit.record(s, user=self.user, action="update", entity="ledger_entry",
                         key=e.entry_no, note=audit.message(N_("Payment Registration Details")),
                         changes={"pmt_discount_date": (old, m.pmt_discount_date),
                                  "pmt_disc_tolerance_date": (e.pmt_disc_tolerance_date,
                                                              new_tol)})
            e.pmt_disc_tolerance_date = new_tol
            e.version += 1
        s.flush()

    def _line(self, m: Mark, doc_no: str, setup: SetupView, applies: bool = True
              ) -> LineDraft:
        assert m.date_received is not None
        return LineDraft(
            posting_date=m.date_received, account_type="customer",
            account_no=m.row.customer_no, amount=-m.amount_received,
            document_type="refund" if m.row.document_type == "credit_memo" else "payment",
            document_no=doc_no, external_document_no=m.row.external_document_no,
            description=_("Payment {doc}").format(doc=m.row.document_no) if applies
            else _("Lump payment"),
            bal_account_type=setup.bal_account_type, bal_account_no=setup.bal_account_no,
            applies_to_doc_type=m.row.document_type if applies else "",
            applies_to_doc_no=m.row.document_no if applies else "",
            ref=_("line with Document No. {document_no}").format(
                document_no=m.row.document_no))

    def _lump_lines(self, s: Session, marks: Sequence[Mark], entries: dict[int, Any],
                    series: str, setup: SetupView) -> list[LineDraft]:
        """One line for the sum, applied through an Applies-to ID (= its document no.);
        each entry's Amount to Apply is what was received for it, at most its
        remaining amount (BC's UpdateApplicationFieldsOnCustLedgerEntry)."""
        doc_no = next_document_no(s, series)
        t = LE.__table__  # type: ignore[attr-defined]
        params = []
        for m in marks:
            remaining = entries[m.row.entry_no].remaining_amount
            received = to_minor(m.amount_received)
            params.append({"_no": m.row.entry_no, "_id": doc_no, "_amount": remaining
                           if abs(received) >= abs(remaining) else received})
        s.execute(update(t).where(t.c.entry_no == bindparam("_no")).values(
            applies_to_id=bindparam("_id"), amount_to_apply=bindparam("_amount")), params)
        for m in marks:  # an ORM copy read before (Details) must not hide the new values
            e = s.identity_map.get(identity_key(LE, m.row.entry_no))
            if e is not None:
                s.expire(e)
        total = lump_total(list(marks))
        first = marks[0]
        line = self._line(first, doc_no, setup, applies=False)
        return [replace(line, amount=-total, applies_to_id=doc_no,
                        document_type="payment" if total > 0 else "refund",
                        ref=_("lump payment {document_no}").format(
                            document_no=doc_no))]

    # --- Search Documents --------------------------------------------------------------

    def search_documents(self, document_no: str = "", amount: Decimal = ZERO,
                         tolerance_pct: Decimal = ZERO) -> tuple[DocumentHit, ...]:
        """By document no. (anywhere in it) and amount ± tolerance %, over posted open
        entries and unposted sales documents (amount including VAT)."""
        if not ZERO <= tolerance_pct <= 100:
            raise PostingError(MSG_TOLERANCE)
        amount = money(amount)
        hits: list[DocumentHit] = []
        with self.store.read() as s:
            stmt = select(LE).where(col(LE.party_type) == "customer", col(LE.open).is_(True),
                                    col(LE.document_type) != "payment")
            if document_no.strip():
                stmt = stmt.where(col(LE.document_no).ilike(like(document_no.strip()),
                                                            escape="\\"))
            if amount:
                lo, hi = sorted(((1 - tolerance_pct / 100) * amount,
                                 (1 + tolerance_pct / 100) * amount))
                stmt = stmt.where(col(LE.remaining_amount) >= to_minor(money(lo)),
                                  col(LE.remaining_amount) <= to_minor(money(hi)))
            rows = s.exec(stmt.order_by(col(LE.entry_no)).limit(SEARCH_LIMIT)).all()
            names = party_names(s, "customer", [r.party_no for r in rows])
            hits += [DocumentHit(POSTED_LABEL.get(r.document_type,
                                                 r.document_type.replace("_", " ")),
                                 r.document_no, r.party_no, names.get(r.party_no, ""),
                                 from_minor(r.remaining_amount), entry_no=r.entry_no)
                     for r in rows]
            hstmt = select(SalesHeader)
            if document_no.strip():
                hstmt = hstmt.where(col(SalesHeader.no).ilike(like(document_no.strip()),
                                                              escape="\\"))
            headers = s.exec(hstmt.order_by(col(SalesHeader.id)).limit(SEARCH_LIMIT)).all()
            hnames = party_names(s, "customer", [h.customer_no for h in headers])
            for h in headers:
                incl = totals(lines_of(s, h)).amount_incl_vat
                if h.document_type == "credit_memo":
                    incl = -incl
                if within_tolerance(incl, amount, tolerance_pct):
                    hits.append(DocumentHit(SEARCH_LABEL[h.document_type], h.no, h.customer_no,
                                            hnames.get(h.customer_no, ""), incl,
                                            header_id=h.id))
        return tuple(hits)
