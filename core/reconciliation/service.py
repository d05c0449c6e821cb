"""The Payment Reconciliation Journal (bc-spec §2-§5): open a journal from the imported
statement lines, Apply Automatically, review (accept, remove, apply manually, transfer
a difference, map text to an account), then post payments and reconcile the bank.

Every public method is one unit of work (one transaction) and returns frozen views
(``core.reconciliation.types``). Methods that change a journal or a line take the
``version`` the caller saw (optional) and raise ``ConflictError`` when another clerk
changed it meanwhile; posting also checks the versions of the ledger entries applied.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from core.audit import trail as audit
from core.audit.claims import ClaimedError, ensure_not_claimed, journal_resource
from core.i18n import N_, _
from core.kernel.errors import ConflictError, LettrageError, NotFoundError, Text
from core.kernel.money import from_minor, to_minor
from core.kernel.store import Clock, Store, utc_now
from core.kernel.users import os_user
from core.reconciliation import audit as ra
from core.reconciliation import journal as jr
from core.reconciliation import manual as man
from core.reconciliation import tools
from core.reconciliation.auto import run_matching
from core.reconciliation.claims import JournalClaims, journal_what
from core.reconciliation.common import (
    applications_of,
    get_bank,
    load_rules,
    lock_journal,
    lock_lines,
    views_of,
)
from core.reconciliation.extensions import ReconExtension
from core.reconciliation.journal import LineDraft, SortKey
from core.reconciliation.journal_setup import JournalSetupCalls
from core.reconciliation.listing import journal_listing
from core.reconciliation.models import ReconJournal, ReconLine
from core.reconciliation.post import load_run, post_run
from core.reconciliation.types import (
    CandidateView,
    JournalView,
    LineView,
    PostResult,
    TransferResult,
)

__all__ = ["LineDraft", "ReconciliationService", "ensure_defaults"]

Wanted = Sequence[tuple[int, Decimal | None]]


def ensure_defaults(store: Store) -> None:
    """Insert BC's default payment application rules when the table is empty."""
    with store.write() as s:
        load_rules(s)


class ReconciliationService(JournalSetupCalls):
    """Payment reconciliation journals of a company."""

    def __init__(self, store: Store, user: str | None = None, today: date | None = None,
                 clock: Clock = utc_now, session: str | None = None,
                 extensions: Sequence[ReconExtension] = ()) -> None:
        self.store = store
        self.extensions = tuple(extensions)  # e.g. direct debit (core.direct_debit.recon)
        self.user = user or os_user()
        self.today = today
        self.clock = clock
        # the app session's claim token: journals claimed by another live session are
        # read-only here (``_journal``); ``claims`` takes, renews and releases them
        self.session = session
        self.claims = JournalClaims(store, self.user, session, clock)

    # --- journals ------------------------------------------------------------------------

    def open_journal(self, bank_account_no: str) -> JournalView:
        """The open journal of the bank account, created when there is none; the bank's
        newly imported statement lines are added to it."""
        try:
            with self.store.write(posting=False) as s:  # journal lines only, no posting
                j = jr.open_journal_of(s, bank_account_no)
                if j is None:
                    j = jr.new_journal(s, bank_account_no, self.user, self.clock())
                else:
                    # journal before bank account, the order ``post`` locks them in
                    j = lock_journal(s, j.id or 0)
                    get_bank(s, bank_account_no, lock=True)
                # a journal another clerk is working gets its new lines when they reload
                added = jr.take_statement_lines(s, j) if self._may_write(s, j) else 0
                msg = _("{added} statement lines added to statement {statement_no}.").format(
                          added=added, statement_no=j.statement_no) \
                    if added else ""
                if added:
                    ra.record_journal(s, self.user, "add_statement_lines", j,
                                      {"lines_added": (None, added)}, msg)
                return jr.journal_view(s, j, msg)
        except IntegrityError:
            raise ConflictError(N_("Another clerk opened a journal for bank account "
                                   "{bank_account_no} at the same time; try again"),
                                bank_account_no=bank_account_no) from None

    def find_open_journal(self, bank_account_no: str) -> JournalView | None:
        with self.store.read() as s:
            j = jr.open_journal_of(s, bank_account_no)
            return None if j is None else jr.journal_view(s, j)

    def create_journal_by_hand(self, bank_account_no: str, statement_date: date | None = None,
                               ending_balance: Decimal | None = None) -> JournalView:
        """An empty journal (lines typed in with ``add_line``)."""
        with self.store.write() as s:
            if jr.open_journal_of(s, bank_account_no) is not None:
                raise LettrageError(N_("Bank account {bank_account_no} already has an open "
                                       "payment reconciliation journal"),
                                    bank_account_no=bank_account_no)
            j = jr.new_journal(s, bank_account_no, self.user, self.clock(),
                               statement_date or self.today, ending_balance)
            return jr.journal_view(s, j)

    def journal(self, journal_id: int) -> JournalView:
        with self.store.read() as s:
            j = s.get(ReconJournal, journal_id)
            if j is None:
                raise NotFoundError(N_("Payment reconciliation journal {journal_id} does not "
                                       "exist"), journal_id=journal_id)
            return jr.journal_view(s, j)

    def set_statement(self, journal_id: int, statement_date: date | None,
                      ending_balance: Decimal | None, version: int | None = None
                      ) -> JournalView:
        with self.store.write() as s:
            j = self._journal(s, journal_id, version)
            fields = ("statement_date", "statement_ending_balance")
            before = audit.snapshot(j, fields)
            j.statement_date = statement_date
            j.statement_ending_balance = None if ending_balance is None \
                else to_minor(ending_balance)
            changes = audit.diff(before, audit.snapshot(j, fields))
            if changes:
                ra.record_journal(s, self.user, "update", j, changes)
            j.version += 1
            return jr.journal_view(s, j)

    def add_line(self, journal_id: int, draft: LineDraft) -> LineView:
        with self.store.write() as s:
            j = self._journal(s, journal_id)
            row = jr.add_hand_line(s, j, draft)
            ra.record_new_line(s, self.user, "insert", row, [],
                               audit.message(N_("Line typed in by hand.")))
            return views_of(s, [row])[0]

    # --- reading -------------------------------------------------------------------------

    def lines(self, journal_id: int, only_non_applied: bool = False,
              sort: SortKey = "date", full: bool = True) -> list[LineView]:
        with self.store.read() as s:
            return jr.journal_lines(s, journal_id, only_non_applied, sort, full)

    def listing(self, journal_id: int, sort: SortKey = "date",
                review_only: bool = False) -> list[dict[str, Any]]:
        """The lines as ``types.line_json`` gives them (``lines`` then ``line_json``),
        read straight from the rows: what ``reconcile ... --json`` prints."""
        with self.store.read() as s:
            return journal_listing(s, journal_id, sort, review_only)

    def line(self, line_id: int) -> LineView:
        with self.store.read() as s:
            row = s.get(ReconLine, line_id)
            if row is None:
                raise NotFoundError(N_("Statement line {line_id} does not exist"),
                                    line_id=line_id)
            return views_of(s, [row])[0]

    def match_details(self, line_id: int) -> LineView:
        """The line with its evidence sentences and alternatives (BC Match Details)."""
        return self.line(line_id)

    def review_queue(self, journal_id: int) -> list[int]:
        """Ids of the lines to review (review required or a difference), weakest first."""
        return [v.id for v in self.lines(journal_id, sort="review", full=False)
                if v.needs_review]

    def counters(self, journal_id: int) -> tuple[int, int]:
        """(Lines to Review, Lines with Difference)."""
        view = self.journal(journal_id)
        return view.lines_to_review, view.lines_with_difference

    # --- matching ------------------------------------------------------------------------

    def apply_automatically(self, journal_id: int, version: int | None = None) -> JournalView:
        with self.store.write(posting=False) as s:  # proposals only, no posting
            j = self._journal(s, journal_id, version)
            before = jr.journal_view(s, j)
            message, notes, note = run_matching(s, j, self.extensions)
            after = jr.journal_view(s, j, message, notes)
            # One summary entry per run, not one per line (cheap on 10,000 lines).
            ra.record_journal(s, self.user, ra.AUTO_ACTION, j, {
                "lines": (before.line_count, after.line_count),
                "applied_lines": (before.applied_lines, after.applied_lines),
                "lines_to_review": (before.lines_to_review, after.lines_to_review),
                "lines_with_difference": (before.lines_with_difference,
                                          after.lines_with_difference)}, note)
            return after

    def accept(self, line_ids: Sequence[int], keep_difference_on_account: bool = True,
               versions: dict[int, int] | None = None) -> list[LineView]:
        with self.store.write() as s:
            rows = self._lines_for_update(s, line_ids, versions)
            apps = applications_of(s, [r.id or 0 for r in rows])
            for r in rows:
                before = ra.line_state(r, apps[r.id or 0])
                man.accept_line(s, r, apps[r.id or 0], keep_difference_on_account)
                ra.record_line(s, self.user, "accept", r, before, apps[r.id or 0])
            s.flush()
            return views_of(s, rows)

    def remove_applications(self, line_ids: Sequence[int],
                            versions: dict[int, int] | None = None) -> list[LineView]:
        with self.store.write() as s:
            rows = self._lines_for_update(s, line_ids, versions)
            apps = applications_of(s, [r.id or 0 for r in rows])
            for r in rows:
                before = ra.line_state(r, apps[r.id or 0])
                for a in apps[r.id or 0]:
                    s.delete(a)
                man.mark_manual(r, [], _("Applications removed by {user}.").format(user=self.user))
                ra.record_line(s, self.user, "remove", r, before, [])
            s.flush()
            return views_of(s, rows)

    def apply_manually(self, line_id: int, applications: Wanted,
                       account_type: str | None = None, replace: bool = True,
                       version: int | None = None) -> LineView:
        """Apply the line to ``applications`` [(entry no., applied amount incl. discount
        or None for the suggested amount; 0 removes)]. ``replace`` drops the line's other
        applications first; otherwise the entries are added (same account only).
        ``account_type='bank_account'`` applies to open bank ledger entries."""
        with self.store.write() as s:
            row = self._lines_for_update(s, [line_id], {line_id: version} if version else None)[0]
            j = lock_journal(s, row.journal_id)
            existing = applications_of(s, [line_id])[line_id]
            before = ra.line_state(row, existing)
            if replace:
                for a in existing:
                    s.delete(a)
                existing = []
                s.flush()
            space = "bank" if account_type == "bank_account" else "cv"
            man.apply_entries(s, row, j.bank_account_no, applications, space, existing)
            man.mark_manual(row, existing, _("Applied manually by {user}.").format(user=self.user))
            ra.record_line(s, self.user, "apply_manually", row, before, existing)
            s.flush()
            return views_of(s, [row])[0]

    def candidates(self, line_id: int, account_type: str | None = None,
                   account_no: str | None = None) -> list[CandidateView]:
        """Open entries for the Apply Manually page: of the given account, else of the
        line's account, else those the matcher considered or with the same amount."""
        with self.store.read() as s:
            row = s.get(ReconLine, line_id)
            if row is None:
                raise NotFoundError(N_("Statement line {line_id} does not exist"),
                                    line_id=line_id)
            apps = applications_of(s, [line_id])[line_id]
            kind = account_type or row.account_type
            if kind == "bank_account":
                j = s.get(ReconJournal, row.journal_id)
                assert j is not None
                return tools.bank_candidates(s, row, j.bank_account_no, apps)
            no = account_no or (row.account_no if kind == row.account_type else "")
            account = (kind, no) if kind in ("customer", "vendor") and no else None
            return tools.cv_candidates(s, row, account, apps)

    def transfer_difference(self, line_id: int, account_type: str, account_no: str,
                            description: str = "", version: int | None = None
                            ) -> TransferResult:
        with self.store.write() as s:
            row = self._lines_for_update(s, [line_id], {line_id: version} if version else None)[0]
            apps = applications_of(s, [line_id])[line_id]
            before = ra.line_state(row, apps)
            child, message = tools.transfer(s, row, apps, account_type, account_no,
                                            description, self.user)
            s.flush()
            self._audit_transfer(s, row, before, child, Text(
                N_("{account_type} {account_no}"), account_no=account_no,
                account_type=Text(man.ACCOUNT_WORDS.get(account_type, account_type))))
            views = views_of(s, [row] + ([child] if child else []))
            return TransferResult(views[0], views[1] if child else None, message)

    # --- posting -------------------------------------------------------------------------

    def post(self, journal_id: int, reconcile: bool, statement_date: date | None = None,
             ending_balance: Decimal | None = None, preview: bool = False,
             version: int | None = None) -> PostResult:
        """Post Payments Only (``reconcile=False``) or Post Payments and Reconcile Bank
        Account: one transaction, one register; ``preview`` rolls it back."""
        with self.store.write() as s:
            j = self._journal(s, journal_id, version)
            bank = get_bank(s, j.bank_account_no, lock=True)
            run = load_run(s, j, bank, reconcile, statement_date,
                           None if ending_balance is None else to_minor(ending_balance),
                           self.user, self.clock())
            before = bank.balance_last_statement
            post_run(s, run, self.extensions)
            result = PostResult(
                journal_id=journal_id, bank_account_no=bank.no, statement_no=j.statement_no,
                statement_date=run.statement_date, reconciled=reconcile, preview=preview,
                lines_posted=len(run.lines),
                total_amount=from_minor(sum(ln.amount for ln in run.lines)),
                balance_last_statement=from_minor(before),
                statement_ending_balance=from_minor(run.ending), register_no=run.register_no,
                posting=run.posting, bank_entries_closed=run.closed,
                message=_post_message(run.lines, reconcile, j.statement_no, preview))
            if preview:
                s.rollback()
        return result

    # --- helpers -------------------------------------------------------------------------

    def _audit_transfer(self, s: Session, row: ReconLine, before: dict[str, object],
                        child: ReconLine | None, target: Text) -> None:
        ids = [row.id or 0] + ([child.id or 0] if child else [])
        apps = applications_of(s, ids)
        note = Text(N_("Difference transferred to {target}."), target=target)
        ra.record_line(s, self.user, "transfer_difference", row, before, apps[ids[0]],
                       audit.message(note.message_id, **note.params))
        if child is not None:
            ra.record_new_line(s, self.user, "transfer_difference", child, apps[ids[1]],
                               audit.message(N_("New line for the difference of line "
                                                "{line_no}; {note}"), line_no=row.line_no,
                                             note=note))

    def _lines_for_update(self, s: Session, line_ids: Sequence[int],
                          versions: dict[int, int] | None) -> list[ReconLine]:
        # journals before their lines, the order apply automatically and post lock in
        ids = list(dict.fromkeys(line_ids))
        journals = s.exec(select(ReconLine.journal_id).where(col(ReconLine.id).in_(ids))
                          ).all() if ids else []
        for journal_id in sorted(set(journals)):
            self._journal(s, journal_id)
        return lock_lines(s, line_ids, versions)

    def _journal(self, s: Session, journal_id: int, version: int | None = None
                 ) -> ReconJournal:
        """The journal locked for a change: refused (``ClaimedError``) while another
        clerk's live session holds its claim."""
        j = lock_journal(s, journal_id, version)
        ensure_not_claimed(s, journal_resource(journal_id), self.session, self.clock(),
                           journal_what(j.statement_no, j.bank_account_no))
        return j

    def _may_write(self, s: Session, j: ReconJournal) -> bool:
        try:
            ensure_not_claimed(s, journal_resource(j.id or 0), self.session, self.clock())
        except ClaimedError:
            return False
        return True


def _post_message(lines: Sequence[ReconLine], reconcile: bool, statement_no: str,
                  preview: bool) -> str:
    count, no = len(lines), statement_no
    if preview and reconcile:
        text = _("{count} statement lines of statement {statement_no} would be posted and the "
                 "bank account reconciled.")
    elif preview:
        text = _("{count} statement lines of statement {statement_no} would be posted "
                 "(payments only).")
    elif reconcile:
        text = _("{count} statement lines of statement {statement_no} were posted and the bank "
                 "account reconciled.")
    else:
        text = _("{count} statement lines of statement {statement_no} were posted (payments "
                 "only).")
    return text.format(count=count, statement_no=no)
