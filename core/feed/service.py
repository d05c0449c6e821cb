"""Bank feed: inbox folders configured per company, and what happens to a file.

``FeedService`` keeps the inbox list (audited), processes one claimed file (import with
the statement import's rules, then Apply Automatically on the journal it filled) and
answers ``status`` for the command line and the home screen. Watching the folders is
``core.feed.watch``; the file moves are ``core.feed.folder``.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from uuid import uuid4

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from core.audit import trail as audit
from core.audit.claims import ClaimedError
from core.feed import folder
from core.feed.models import FeedFile, FeedInbox
from core.i18n import N_, _
from core.kernel.errors import ConflictError, LettrageError, NotFoundError
from core.kernel.store import Clock, Store, utc_now
from core.kernel.users import os_user
from core.ledger.bank_statements import BankStatementLine
from core.ledger.models import BankAccount
from core.reconciliation.extensions import ReconExtension
from core.reconciliation.service import ReconciliationService
from core.statements import MAX_FILE_BYTES, StatementError
from core.statements.importer import ImportResult, StatementImportService

ENTITY = "feed_inbox"


class FeedError(LettrageError):
    """A feed configuration or run cannot go on; the message says what and where."""


@dataclass(frozen=True)
class InboxView:
    id: int
    directory: str
    bank_account_no: str  # "" = routed by IBAN
    profile: str
    apply_automatically: bool


@dataclass(frozen=True)
class FileOutcome:
    """What the feed did with one file (``status`` as ``FeedFile.status``, or
    ``deferred`` when it is left in the inbox to be tried again)."""

    inbox_id: int
    file_name: str
    status: str
    bank_accounts: tuple[str, ...] = ()
    statements: int = 0
    lines_new: int = 0
    lines_duplicate: int = 0
    lines_applied: int = 0
    lines_to_review: int = 0
    moved_to: str = ""
    reason: str = ""
    notes: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        return {"inbox": self.inbox_id, "file": self.file_name, "status": self.status,
                "bank_accounts": list(self.bank_accounts), "statements": self.statements,
                "lines_new": self.lines_new, "lines_duplicate": self.lines_duplicate,
                "lines_applied": self.lines_applied, "lines_to_review": self.lines_to_review,
                "moved_to": self.moved_to, "reason": self.reason, "notes": list(self.notes)}


@dataclass(frozen=True)
class BankFeedStatus:
    """One bank account as ``feed status`` and the home screen show it."""

    bank_account_no: str
    bank_account_name: str
    inboxes: tuple[str, ...]
    last_file: str = ""
    last_file_at: datetime | None = None
    last_status: str = ""
    last_error: str = ""
    last_error_file: str = ""
    last_error_at: datetime | None = None
    lines_waiting: int = 0  # imported lines not yet applied or still to review
    lines_to_review: int = 0

    def as_json(self) -> dict[str, object]:
        def iso(d: datetime | None) -> str | None:
            return d.isoformat(timespec="seconds") if d else None
        return {"bank_account_no": self.bank_account_no, "name": self.bank_account_name,
                "inboxes": list(self.inboxes), "last_file": self.last_file,
                "last_file_at": iso(self.last_file_at), "last_status": self.last_status,
                "last_error": self.last_error, "last_error_file": self.last_error_file,
                "last_error_at": iso(self.last_error_at),
                "lines_waiting": self.lines_waiting, "lines_to_review": self.lines_to_review}


@dataclass
class _Applied:
    applied: int = 0
    review: int = 0
    notes: list[str] = field(default_factory=list)


class FeedService:
    def __init__(self, store: Store, user: str | None = None, clock: Clock = utc_now,
                 session: str | None = None,
                 extensions: Sequence[ReconExtension] = ()) -> None:
        self.store = store
        # what the composition root adds to Apply Automatically (direct debit batches and
        # returns): a statement that arrives by the feed is matched as one imported by hand
        self.extensions = tuple(extensions)
        self.user = user or os_user()
        self.clock = clock
        self.session = session or uuid4().hex
        self.by = f"{self.user}@{folder.host_name()}"[:100]

    # --- configuration ----------------------------------------------------------------

    def inboxes(self) -> list[InboxView]:
        with self.store.read() as s:
            return [_view(b) for b in s.exec(select(FeedInbox).order_by(col(FeedInbox.id)))]

    def add_inbox(self, directory: str | Path, bank_account_no: str = "", profile: str = "",
                  apply_automatically: bool = True) -> InboxView:
        path = Path(directory).expanduser()
        if not path.is_absolute():
            path = path.resolve()
        if path.exists() and not path.is_dir():
            raise FeedError(N_("{path} is a file, not a folder"), path=path)
        if not path.exists():
            if not path.parent.is_dir():
                raise FeedError(N_("The folder {parent} does not exist"), parent=path.parent)
            path.mkdir()
        if not os.access(path, os.R_OK | os.W_OK | os.X_OK):
            raise FeedError(
                N_(
                    "The folder {path} must be readable and writable by {user} "
                    "(files are moved to archive/ and rejected/ inside it)"
                ),
                path=path,
                user=self.user,
            )
        try:
            with self.store.write() as s:
                if bank_account_no and s.get(BankAccount, bank_account_no) is None:
                    raise NotFoundError(N_("Bank account {bank_account_no} does not exist"),
                                        bank_account_no=bank_account_no)
                if s.exec(select(FeedInbox).where(FeedInbox.directory == str(path))).first():
                    raise FeedError(N_("The folder {path} is already an inbox"), path=path)
                row = FeedInbox(directory=str(path), bank_account_no=bank_account_no,
                                profile=profile, apply_automatically=apply_automatically,
                                created_by=self.user, created_at=self.clock())
                s.add(row)
                s.flush()
                audit.record(s, user=self.user, action="create", entity=ENTITY, key=row.id,
                             changes={"directory": (None, row.directory),
                                      "bank_account_no": (None, bank_account_no),
                                      "profile": (None, profile)},
                             note=audit.message(N_("Inbox {directory} added"),
                                               directory=row.directory))
                return _view(row)
        except IntegrityError:
            raise FeedError(N_("The folder {path} is already an inbox"), path=path) from None

    def remove_inbox(self, key: str) -> InboxView:
        """Remove by id or by folder; the files in the folder stay where they are."""
        with self.store.write() as s:
            row = _find(s, key)
            view = _view(row)
            audit.record(s, user=self.user, action="delete", entity=ENTITY, key=row.id,
                         changes={"directory": (row.directory, None),
                                  "bank_account_no": (row.bank_account_no, None)},
                         note=audit.message(N_("Inbox {directory} removed"),
                                           directory=row.directory))
            s.delete(row)
            return view

    # --- processing one file ------------------------------------------------------------

    def process(self, inbox: InboxView, claimed: folder.Claimed, *,
                defer_if_younger: float = 0.0) -> FileOutcome:
        """Import a claimed file, apply automatically, archive or reject it.

        A file that cannot be read as a statement while it is younger than
        ``defer_if_younger`` seconds is put back (it may still be being written); a
        conflict with another import is put back too. Everything else ends in
        ``archive/`` or ``rejected/`` with a ``FeedFile`` row saying why."""
        path = claimed.path
        try:
            data = _read(path)
        except FeedError as exc:
            return self._reject(inbox, claimed, str(exc), b"")
        sha = hashlib.sha256(data).hexdigest()
        try:
            result = StatementImportService(self.store, self.user, self.clock).import_(
                path, inbox.bank_account_no or None, profile=inbox.profile or None)
        except ConflictError as exc:
            folder.release(claimed)
            return FileOutcome(inbox.id, claimed.original, "deferred", reason=str(exc))
        except (StatementError, LettrageError) as exc:
            # messages name the file as the clerk dropped it, not its claimed name
            reason = str(exc).replace(path.name, claimed.original)
            if defer_if_younger > 0 and time.time() - _mtime(path) < defer_if_younger:
                folder.release(claimed)
                return FileOutcome(inbox.id, claimed.original, "deferred", reason=reason)
            return self._reject(inbox, claimed, reason, data, sha)
        applied = self._apply(result) if inbox.apply_automatically else _Applied()
        status = "imported" if result.imported else "already_imported"
        moved = folder.archive(claimed, self.clock().astimezone())
        out = FileOutcome(
            inbox.id, claimed.original, status,
            bank_accounts=_banks(result), statements=len(result.import_ids),
            lines_new=result.imported, lines_duplicate=result.duplicates,
            lines_applied=applied.applied, lines_to_review=applied.review,
            moved_to=str(moved), reason=result.message, notes=tuple(applied.notes))
        self._log(out, sha, len(data))
        return out

    def _reject(self, inbox: InboxView, claimed: folder.Claimed, reason: str, data: bytes,
                sha: str = "") -> FileOutcome:
        moved = folder.reject(claimed, reason, self.clock().astimezone())
        out = FileOutcome(inbox.id, claimed.original, "rejected",
                          bank_accounts=(inbox.bank_account_no,) if inbox.bank_account_no
                          else (), moved_to=str(moved), reason=reason)
        self._log(out, sha or hashlib.sha256(data).hexdigest(), len(data))
        return out

    def _apply(self, result: ImportResult) -> _Applied:
        """Apply Automatically on each journal the import filled. A journal another
        clerk holds is left to them: the lines wait in it, nothing is lost."""
        done = _Applied()
        if not result.imported:
            return done
        svc = ReconciliationService(self.store, self.user, session=self.session,
                                    extensions=self.extensions)
        for bank in _banks(result):
            try:
                opened = svc.open_journal(bank)
                with svc.claims.hold(opened.id, every=None):
                    view = svc.apply_automatically(opened.id)
            except (ClaimedError, ConflictError) as exc:
                done.notes.append(_("Bank account {bank}: Apply Automatically postponed "
                                    "({exc})").format(bank=bank, exc=exc))
                continue
            done.applied += view.applied_lines
            done.review += view.lines_to_review
        return done

    def _log(self, out: FileOutcome, sha: str, size: int) -> None:
        with self.store.write() as s:
            s.add(FeedFile(inbox_id=out.inbox_id, file_name=out.file_name[:255],
                           file_sha256=sha, size=size, status=out.status,
                           bank_accounts=",".join(out.bank_accounts)[:200],
                           statements=out.statements, lines_new=out.lines_new,
                           lines_duplicate=out.lines_duplicate,
                           lines_applied=out.lines_applied,
                           lines_to_review=out.lines_to_review,
                           moved_to=out.moved_to[:1000],
                           reason="\n".join((out.reason, *out.notes)).strip(),
                           processed_by=self.by, processed_at=self.clock()))

    # --- reading --------------------------------------------------------------------------

    def recent_files(self, limit: int = 20) -> list[FileOutcome]:
        with self.store.read() as s:
            rows = s.exec(select(FeedFile).order_by(col(FeedFile.id).desc()).limit(limit))
            return [FileOutcome(r.inbox_id, r.file_name, r.status,
                                tuple(b for b in r.bank_accounts.split(",") if b),
                                r.statements, r.lines_new, r.lines_duplicate, r.lines_applied,
                                r.lines_to_review, r.moved_to, r.reason) for r in rows]

    def status(self) -> list[BankFeedStatus]:
        """Per bank account with an inbox (or a file from a shared inbox): the last
        file, the last rejected file, and the lines waiting in its journal."""
        recon = ReconciliationService(self.store, self.user, session=self.session,
                                    extensions=self.extensions)
        with self.store.read() as s:
            inboxes = list(s.exec(select(FeedInbox)))
            banks = {b.no: b for b in s.exec(select(BankAccount))}
            shared = [i.directory for i in inboxes if not i.bank_account_no]
            names: dict[str, list[str]] = {}
            for i in inboxes:
                if i.bank_account_no:
                    names.setdefault(i.bank_account_no, []).append(i.directory)
            files = list(s.exec(select(FeedFile).order_by(col(FeedFile.id).desc())
                                .limit(2000)))
            waiting = _waiting_lines(s)
        for f in files:
            for b in f.bank_accounts.split(","):
                if b and b in banks:
                    names.setdefault(b, list(shared))
        out: list[BankFeedStatus] = []
        for no in sorted(names):
            mine = [f for f in files if no in f.bank_accounts.split(",")]
            last = next((f for f in mine if f.status != "rejected"), None)
            err = next((f for f in mine if f.status == "rejected"), None)
            journal = recon.find_open_journal(no)
            out.append(BankFeedStatus(
                no, banks[no].name if no in banks else "", tuple(names[no]),
                last_file=last.file_name if last else "",
                last_file_at=last.processed_at if last else None,
                last_status=last.status if last else "",
                last_error=err.reason.splitlines()[0] if err and err.reason else "",
                last_error_file=err.file_name if err else "",
                last_error_at=err.processed_at if err else None,
                lines_waiting=waiting.get(no, 0) + (journal.line_count - journal.applied_lines
                                                    if journal else 0),
                lines_to_review=journal.lines_to_review if journal else 0))
        return out

    def overview(self) -> tuple[list[BankFeedStatus], list[FileOutcome]]:
        """What the home screen shows: per bank, and the files no bank could take."""
        return self.status(), self.unrouted_rejections(3)

    def unrouted_rejections(self, limit: int = 5) -> list[FileOutcome]:
        """Rejected files of shared inboxes that could not be routed to a bank."""
        return [f for f in self.recent_files(200)
                if f.status == "rejected" and not f.bank_accounts][:limit]


def _waiting_lines(s: Session) -> dict[str, int]:
    """Imported statement lines not yet taken into a journal, per bank account."""
    rows = s.exec(select(BankStatementLine.bank_account_no, func.count())
                  .where(BankStatementLine.status == "new")
                  .group_by(col(BankStatementLine.bank_account_no)))
    return {str(b): int(n) for b, n in rows}


def _view(b: FeedInbox) -> InboxView:
    return InboxView(b.id or 0, b.directory, b.bank_account_no, b.profile,
                     b.apply_automatically)


def _find(s: Session, key: str) -> FeedInbox:
    row = s.get(FeedInbox, int(key)) if key.isdigit() else None
    if row is None:
        path = str(Path(key).expanduser().resolve())
        row = s.exec(select(FeedInbox).where(
            col(FeedInbox.directory).in_([key, path]))).first()
    if row is None:
        raise NotFoundError(N_("No inbox {key} (see 'lettrage feed list')"), key=key)
    return row


def _banks(result: ImportResult) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.bank_account_no for p in result.preview.statements))


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def _read(path: Path) -> bytes:
    size = path.stat().st_size
    if size == 0:
        raise FeedError(N_("{name} is empty"), name=path.name)
    if size > MAX_FILE_BYTES:
        raise FeedError(_("{name} is {size:,} bytes, more than a statement file may be "
                           "({MAX_FILE_BYTES:,})").format(name=path.name, size=size,
                           MAX_FILE_BYTES=MAX_FILE_BYTES))
    return path.read_bytes()

