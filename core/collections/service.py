"""Collections use cases: each public method is one unit of work (one write
transaction, all or nothing). ``kind`` is ``reminder`` or ``finance_charge``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from core.collections import edit
from core.collections.create import Filters, create
from core.collections.issue import NAMES, cancel, draft_lines, issue, stale_lines
from core.collections.issue_bulk import issue_batch
from core.collections.models import (
    KINDS,
    CollectionDocument,
    CollectionLine,
    IssuedDocument,
)
from core.collections.suggest import Options
from core.collections.views import (
    CancelResult,
    CreateResult,
    DocumentSummary,
    DocumentView,
    IssueResult,
    document_view,
    summary_of,
)
from core.i18n import N_, _
from core.kernel.errors import LettrageError, NotFoundError
from core.kernel.gcpause import gc_paused
from core.kernel.store import Store, utc_now
from core.kernel.users import os_user


@dataclass(frozen=True)
class ListFilter:
    status: str = "draft"  # draft | issued | canceled | all
    customer_no: str = ""
    date_from: date | None = None
    date_to: date | None = None
    limit: int = 1000


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise LettrageError(N_("Unknown document kind '{kind}' (reminder or finance_charge)"),
                            kind=kind)
    return kind


class CollectionsService:
    """Reminders and finance charge memos: create, edit, issue, cancel, list, read."""

    def __init__(self, store: Store, user: str | None = None,
                 clock: Callable[[], datetime] = utc_now) -> None:
        self.store = store
        self.user = user or os_user()
        self.clock = clock

    # --- create ---------------------------------------------------------------------------

    def create(self, kind: str, document_date: date, *, posting_date: date | None = None,
               customer_nos: Sequence[str] = (), only_overdue: bool = False,
               include_on_hold: bool = False, skip_issued_on_date: bool = False
               ) -> CreateResult:
        """Create Reminders / Create Finance Charge Memos for ``document_date``."""
        options = Options(document_date=document_date,
                          posting_date=posting_date or document_date,
                          only_overdue=only_overdue, include_on_hold=include_on_hold)
        filters = Filters(tuple(customer_nos), only_overdue, include_on_hold,
                          skip_issued_on_date)
        # gc paused: 100,000 entries and their lines would make every older-generation
        # pass walk them all again (a fifth of the run); reference counting frees them
        with gc_paused(), self.store.write() as s:
            created, skipped = create(s, _kind(kind), options, filters, self.clock())
        return CreateResult(kind, document_date, tuple(created), tuple(skipped))

    # --- read -----------------------------------------------------------------------------

    def get(self, kind: str, no: str) -> DocumentView:
        with self.store.read() as s:
            return self._view(s, _kind(kind), no)

    @staticmethod
    def _view(s: Session, kind: str, no: str) -> DocumentView:
        draft = s.get(CollectionDocument, no)
        if draft is not None and draft.kind == kind:
            return document_view(draft, draft_lines(s, no))
        issued = s.get(IssuedDocument, no)
        if issued is None or issued.kind != kind:
            raise NotFoundError(N_("{kind} {no} does not exist"), kind=NAMES[kind], no=no)
        lines = list(s.exec(select(CollectionLine).where(CollectionLine.issued_no == no)
                            .order_by(col(CollectionLine.line_no))).all())
        return document_view(issued, lines)

    def documents(self, kind: str, flt: ListFilter | None = None) -> list[DocumentSummary]:
        """Drafts or issued documents (newest first for issued ones)."""
        flt = flt or ListFilter()
        kind = _kind(kind)
        with self.store.read() as s:
            heads: list[CollectionDocument | IssuedDocument] = []
            if flt.status == "draft":
                q = select(CollectionDocument).where(CollectionDocument.kind == kind)
                q = self._where(q, CollectionDocument, flt).order_by(col(CollectionDocument.no))
                heads += list(s.exec(q.limit(flt.limit)).all())
            else:
                q2 = select(IssuedDocument).where(IssuedDocument.kind == kind)
                if flt.status in ("issued", "canceled"):
                    q2 = q2.where(col(IssuedDocument.canceled).is_(flt.status == "canceled"))
                q2 = self._where(q2, IssuedDocument, flt).order_by(col(IssuedDocument.no).desc())
                heads += list(s.exec(q2.limit(flt.limit)).all())
            return [summary_of(self._lines_view(s, h)) for h in heads]

    @staticmethod
    def _where(q, model, flt: ListFilter):  # type: ignore[no-untyped-def]
        if flt.customer_no:
            q = q.where(model.customer_no == flt.customer_no)
        if flt.date_from:
            q = q.where(col(model.document_date) >= flt.date_from)
        if flt.date_to:
            q = q.where(col(model.document_date) <= flt.date_to)
        return q

    @staticmethod
    def _lines_view(s: Session, head: CollectionDocument | IssuedDocument) -> DocumentView:
        column = CollectionLine.issued_no if isinstance(head, IssuedDocument) \
            else CollectionLine.document_no
        lines = list(s.exec(select(CollectionLine).where(column == head.no)
                            .order_by(col(CollectionLine.line_no))).all())
        return document_view(head, lines)

    def views(self, kind: str, nos: Sequence[str]) -> list[DocumentView]:
        with self.store.read() as s:
            return [self._view(s, _kind(kind), no) for no in nos]

    # --- edit -----------------------------------------------------------------------------

    def delete_line(self, kind: str, no: str, line_no: int) -> str:
        with self.store.write() as s:
            return edit.delete_line(s, _kind(kind), no, line_no)

    def delete(self, kind: str, no: str) -> str:
        with self.store.write() as s:
            return edit.delete_document(s, _kind(kind), no)

    def change_level(self, no: str, level: int) -> str:
        with self.store.write() as s:
            return edit.change_level(s, no, level)

    def update_text(self, kind: str, no: str, level: int | None = None) -> str:
        with self.store.write() as s:
            return edit.update_text(s, _kind(kind), no, level)

    def recompute(self, kind: str, no: str) -> tuple[str | None, str]:
        """Rebuild a draft from the current entries: (new no., message); (None,
        message) when nothing is due any more and the draft was deleted."""
        with self.store.write() as s:
            new_no, note = edit.recompute(s, _kind(kind), no, self.clock())
        if new_no is None:
            return None, _("{no} recomputed: {note}, so it was deleted").format(no=no, note=note)
        return new_no, note

    # --- issue and cancel -----------------------------------------------------------------

    def issue(self, kind: str, no: str, *, recompute: bool = False) -> IssueResult:
        """Issue one draft (F9). With ``recompute`` a draft whose entries changed since
        it was created is first rebuilt from the current entries (and the result says so);
        without, it is refused with the entries that changed."""
        kind = _kind(kind)
        with self.store.write() as s:
            note = ""
            if recompute and stale_lines(s, draft_lines(s, no)):
                new_no, note = edit.recompute(s, kind, no, self.clock())
                if new_no is None:
                    raise LettrageError(
                        N_(
                            "{kind} {no} was not issued: recomputed from "
                            "the current entries, {note}; delete it."
                        ),
                        kind=NAMES[kind],
                        no=no,
                        note=note,
                    )
                no = new_no
            result = issue(s, kind, no, user=self.user, now=self.clock())
        if note:
            return IssueResult(result.issued_no, result.draft_no, result.register_no,
                               result.ledger_entry_no, result.posted_amount,
                               result.reminder_entries, f"{note}; {result.message}")
        return result

    def issue_many(self, kind: str, nos: Sequence[str], *, stop_on_error: bool = False,
                   chunk: int = 500) -> tuple[list[IssueResult], list[tuple[str, str]]]:
        """Issue many drafts, ``chunk`` per transaction: each chunk is checked draft by
        draft (a refused draft is reported and stays a draft) and the rest issued
        together, their interest and fees in one posting (``issue_bulk``). Should the
        chunk as a whole fail, it is rolled back and issued one draft per savepoint.
        ``stop_on_error`` issues one by one and stops at the first refusal."""
        kind = _kind(kind)
        with gc_paused():  # thousands of rows per chunk: no GC passes over them
            return self._issue_chunks(kind, nos, stop_on_error, chunk)

    def _issue_chunks(self, kind: str, nos: Sequence[str], stop_on_error: bool,
                      chunk: int) -> tuple[list[IssueResult], list[tuple[str, str]]]:
        done: list[IssueResult] = []
        failed: list[tuple[str, str]] = []
        for start in range(0, len(nos), chunk):
            part = nos[start:start + chunk]
            if not stop_on_error:
                with self.store.write() as s:
                    try:
                        with s.begin_nested():
                            ok, bad = issue_batch(s, kind, part, user=self.user,
                                                  now=self.clock())
                        done += ok
                        failed += bad
                        continue
                    except LettrageError:
                        s.expunge_all()  # the chunk again, one draft at a time
            with self.store.write() as s:
                for no in part:
                    try:
                        with s.begin_nested():
                            done.append(issue(s, kind, no, user=self.user, now=self.clock()))
                        s.expunge_all()  # flushed: keep the identity map (autoflush) small
                    except LettrageError as exc:
                        failed.append((no, str(exc)))
                        if stop_on_error:
                            return done, failed
        return done, failed

    def drafts(self, kind: str, customer_nos: Sequence[str] = ()) -> list[str]:
        with self.store.read() as s:
            q = select(CollectionDocument.no).where(CollectionDocument.kind == _kind(kind))
            if customer_nos:
                q = q.where(col(CollectionDocument.customer_no).in_(customer_nos))
            return list(s.exec(q.order_by(col(CollectionDocument.no))).all())

    def cancel(self, kind: str, no: str) -> CancelResult:
        with self.store.write() as s:
            return cancel(s, _kind(kind), no, user=self.user, now=self.clock())

    def mark_sent(self, no: str, to: str) -> None:
        with self.store.write() as s:
            issued = s.get(IssuedDocument, no)
            if issued is None:
                raise NotFoundError(N_("Issued document {no} does not exist"), no=no)
            issued.sent_at, issued.sent_to = self.clock(), to
