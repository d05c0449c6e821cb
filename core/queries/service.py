"""The read side: what the screens and the command line show.

Every method opens one read session, returns frozen values (never ORM rows) and is
safe to call from a worker thread. Lists are keyset pages (see ``core.queries.keyset``):
no OFFSET, and no COUNT(*) per page; ``count_*`` methods exist for an occasional,
asynchronous total.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from core.i18n import N_
from core.kernel.errors import NotFoundError
from core.kernel.money import from_minor
from core.kernel.store import Store, today
from core.ledger.drafts import BankEntryView, DetailedEntryView, GLEntryView, LedgerEntryView
from core.ledger.models import (
    BankAccount,
    Company,
    DetailedLedgerEntry,
    GLAccount,
    GLEntry,
    LedgerEntry,
    Register,
)
from core.ledger.views import detailed_view
from core.queries import ledger as lq
from core.queries import parties as pq
from core.queries.types import (
    AccountRow,
    BankAccountRow,
    BankFigure,
    BankFilter,
    GLFilter,
    HomeFigures,
    LedgerFilter,
    Page,
    PageRequest,
    PartyCard,
    PartyFilter,
    PartyRow,
    PostedDocumentView,
    RegisterRow,
    SearchHit,
)

StatementLineCounter = Callable[[Session], dict[str, int]]
"""Hook for the statement import: unreconciled statement lines per bank account no."""


class QueryService:
    """Read-only queries over one company database.

    Args:
        store: the unit-of-work factory.
        today: the clock that decides what is overdue (injected so tests are fixed).
        statement_lines: optional counter of unreconciled statement lines per bank.
    """

    def __init__(self, store: Store, today: Callable[[], date] = today,
                 statement_lines: StatementLineCounter | None = None) -> None:
        self.store = store
        self.today = today
        self.statement_lines = statement_lines

    # --- home --------------------------------------------------------------------------

    def home(self) -> HomeFigures:
        as_of = self.today()
        with self.store.read() as s:
            company = s.get(Company, 1)
            receivables = pq.open_total(s, "customer")
            overdue, overdue_count = pq.overdue_total(s, "customer", as_of)
            payables = pq.open_total(s, "vendor")
            banks = self._bank_figures(s)
        return HomeFigures(company.name if company else "", company.currency if company else "",
                           as_of, receivables, overdue, overdue_count, payables, banks)

    def _bank_figures(self, s: Session) -> tuple[BankFigure, ...]:
        lines = self.statement_lines(s) if self.statement_lines else {}
        return tuple(BankFigure(r.no, r.name, r.balance, r.open_entries, lines.get(r.no, 0))
                     for r in self._bank_rows(s))

    # --- parties -----------------------------------------------------------------------

    def parties(self, f: PartyFilter, request: PageRequest, sort: str = "no",
                descending: bool = False) -> Page[PartyRow]:
        with self.store.read() as s:
            return pq.party_page(s, f, request, sort, descending, self.today())

    def party_card(self, party_type: str, no: str) -> PartyCard:
        with self.store.read() as s:
            return pq.party_card(s, party_type, no, self.today())

    # --- party ledger entries ----------------------------------------------------------

    def ledger_entries(self, f: LedgerFilter, request: PageRequest = PageRequest(),
                       sort: str = "posting_date", descending: bool = False
                       ) -> Page[LedgerEntryView]:
        with self.store.read() as s:
            return lq.ledger_page(s, f, request, sort, descending)

    def count_ledger_entries(self, f: LedgerFilter) -> int:
        """The number of entries the filter shows (for an asynchronous total only)."""
        with self.store.read() as s:
            stmt = select(func.count()).select_from(LedgerEntry).where(
                *lq.ledger_conditions(f))
            return int(s.exec(stmt).one())

    def ledger_entry(self, entry_no: int) -> LedgerEntryView:
        with self.store.read() as s:
            row = s.get(LedgerEntry, entry_no)
            if row is None:
                raise NotFoundError(N_("Ledger entry {entry_no} does not exist"),
                                    entry_no=entry_no)
            return lq.ledger_views(s, [row])[0]

    def detailed_entries(self, entry_no: int) -> Page[DetailedEntryView]:
        with self.store.read() as s:
            rows = s.exec(select(DetailedLedgerEntry)
                          .where(col(DetailedLedgerEntry.ledger_entry_no) == entry_no)
                          .order_by(col(DetailedLedgerEntry.entry_no))).all()
            return Page.whole(tuple(detailed_view(r) for r in rows))

    def applied_entries(self, entry_no: int) -> Page[LedgerEntryView]:
        """The entries applied to (closed by, or closing) this entry, through its
        detailed application entries that were not unapplied (BC "Applied Entries")."""
        dle = DetailedLedgerEntry
        with self.store.read() as s:
            other = s.exec(select(dle.applied_ledger_entry_no).where(
                col(dle.ledger_entry_no) == entry_no, col(dle.entry_type) == "application",
                col(dle.unapplied).is_(False), col(dle.applied_ledger_entry_no).is_not(None),
                col(dle.applied_ledger_entry_no) != entry_no)).all()
            nos = sorted({n for n in other if n is not None})
            rows = s.exec(select(LedgerEntry).where(col(LedgerEntry.entry_no).in_(nos))
                          .order_by(col(LedgerEntry.entry_no))).all() if nos else []
            return Page.whole(tuple(lq.ledger_views(s, list(rows))))

    def posted_document(self, entry_no: int) -> PostedDocumentView:
        with self.store.read() as s:
            return pq.posted_document(s, entry_no)

    # --- general ledger ------------------------------------------------------------------

    def gl_entries(self, f: GLFilter, request: PageRequest = PageRequest(),
                   sort: str = "posting_date", descending: bool = False) -> Page[GLEntryView]:
        with self.store.read() as s:
            return lq.gl_page(s, f, request, sort, descending)

    def chart_of_accounts(self) -> Page[AccountRow]:
        """Every G/L account with its balance; a heading totals the accounts below it
        up to the next heading."""
        with self.store.read() as s:
            sums = dict(s.exec(select(GLEntry.gl_account_no, func.sum(GLEntry.amount))
                               .group_by(col(GLEntry.gl_account_no))).all())
            accounts = s.exec(select(GLAccount).order_by(col(GLAccount.no))).all()
        rows: list[AccountRow] = []
        heading: int | None = None
        for a in accounts:
            balance = from_minor(int(sums.get(a.no) or 0))
            if a.account_type == "heading":
                heading = len(rows)
            elif heading is not None:
                h = rows[heading]
                rows[heading] = AccountRow(h.no, h.name, h.account_type, h.category,
                                           h.balance + balance, h.blocked)
            rows.append(AccountRow(a.no, a.name, a.account_type, a.category, balance,
                                   a.blocked))
        return Page.whole(tuple(rows))

    # --- bank ----------------------------------------------------------------------------

    def bank_accounts(self) -> Page[BankAccountRow]:
        with self.store.read() as s:
            return Page.whole(self._bank_rows(s))

    @staticmethod
    def _bank_rows(s: Session) -> tuple[BankAccountRow, ...]:
        sums = pq.bank_sums(s)
        return tuple(BankAccountRow(b.no, b.name, b.iban, b.currency, b.gl_account_no,
                                    from_minor(sums.get(b.no, (0, 0))[0]),
                                    sums.get(b.no, (0, 0))[1], b.blocked,
                                    b.last_statement_no,
                                    from_minor(b.balance_last_statement))
                     for b in s.exec(select(BankAccount).order_by(col(BankAccount.no))).all())

    def bank_entries(self, f: BankFilter, request: PageRequest = PageRequest(),
                     sort: str = "posting_date", descending: bool = False
                     ) -> Page[BankEntryView]:
        with self.store.read() as s:
            return lq.bank_page(s, f, request, sort, descending)

    # --- registers -----------------------------------------------------------------------

    def registers(self, request: PageRequest = PageRequest(), descending: bool = False
                  ) -> Page[RegisterRow]:
        with self.store.read() as s:
            return pq.register_page(s, request, descending)

    def register(self, no: int) -> RegisterRow:
        with self.store.read() as s:
            row = s.get(Register, no)
            if row is None:
                raise NotFoundError(N_("Register {no} does not exist"), no=no)
            return pq.register_row(row)

    # --- command palette -------------------------------------------------------------------

    def search(self, text: str, limit: int = 8) -> tuple[SearchHit, ...]:
        """Customers and vendors by no. or name, and entries by document no."""
        text = text.strip()
        if not text:
            return ()
        with self.store.read() as s:
            return pq.search(s, text, limit)
