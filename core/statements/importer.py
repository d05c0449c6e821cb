"""Bank statement import: preview (dry run) and import of new lines, never twice.

``StatementImportService(store).preview(path)`` parses the file and says per
statement how many lines are new, already imported (certain duplicates), or
suspicious (near duplicates), whether the opening balance continues the last
imported statement, and warns in words. ``import_(path)`` does the same inside one
write transaction and stages the new lines as ``BankStatementLine`` rows, with a
``StatementImport`` row per statement recording file name, SHA-256 and balances.

Safety: every line is checked again inside the write transaction (the bank accounts
row-locked on PostgreSQL; SQLite writers are serialized by ``BEGIN IMMEDIATE``), and
the unique key (bank account, dedup_key, occurrence) refuses a second copy anyway;
a collision with a concurrent import is retried, and then finds the lines imported.
Re-importing a file imports nothing the second time and says so. A file hash is
recorded for the audit but never used to refuse a file: peers that refuse "already
imported" files lose genuinely new data (peers.md §(c)).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, select

from core.audit import trail as audit
from core.i18n import N_
from core.kernel.errors import ConflictError, Text, TextList
from core.kernel.files import FileReadError, read_capped
from core.kernel.gcpause import gc_paused
from core.kernel.records import bulk_insert_dicts
from core.kernel.store import Clock, Store, utc_now
from core.kernel.users import os_user
from core.ledger.bank_statements import (
    BankStatementLine,
    StatementImport,
    StatementLineRow,
    StatementLineValues,
)
from core.ledger.models import BankAccount
from core.statements import (
    ParsedFile,
    Profile,
    StatementError,
    parse_bytes,
    parsed_to_json,
)
from core.statements.accounts import StatementImportError
from core.statements.preview import (
    ImportPreview,
    LineVerdict,
    SourceFile,
    StatementPreview,
    build_preview,
    minor_or_none,
)
from core.statements.worded import stored_list

__all__ = [
    "BankChoice",
    "ImportPreview",
    "ImportResult",
    "LineVerdict",
    "StatementImportError",
    "StatementImportService",
    "StatementPreview",
]

Source = Path | str | ParsedFile | ImportPreview
ProfileArg = Profile | str | None
INSERT_CHUNK = 5000
ATTEMPTS = 3
IMPORT_ENTITY = "statement_import"


@dataclass(frozen=True)
class BankChoice:
    """A bank account as a chooser shows it."""

    no: str
    name: str
    iban: str
    currency: str

    @property
    def label(self) -> str:
        return f"{self.no}  {self.name}" + (f"  {self.iban}" if self.iban else "")


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote, with the preview it was decided on."""

    preview: ImportPreview
    import_ids: tuple[int, ...]
    imported: int
    skipped_suspicious: int
    message: str

    @property
    def file_name(self) -> str:
        return self.preview.file_name

    @property
    def duplicates(self) -> int:
        return self.preview.total("duplicate")


class StatementImportService:
    """Preview and import bank statement files into staged statement lines."""

    def __init__(self, store: Store, user: str | None = None, clock: Clock = utc_now) -> None:
        self.store = store
        self.user = user if user is not None else os_user("")
        self.clock = clock

    # --- public --------------------------------------------------------------------------

    def bank_accounts(self) -> list[BankChoice]:
        """The bank accounts a statement can go to (not blocked), for a chooser."""
        with self.store.read() as s:
            rows = s.exec(select(BankAccount).where(col(BankAccount.blocked).is_(False))
                          .order_by(col(BankAccount.no))).all()
            return [BankChoice(b.no, b.name, b.iban, b.currency) for b in rows]

    def load(self, source: Source, format: str = "auto",  # noqa: A002 - CLI vocabulary
             profile: ProfileArg = None, profiles_dir: Any = None) -> SourceFile:
        """Read and parse ``source`` (no database); a path is hashed for the audit."""
        if isinstance(source, ImportPreview):
            return source.source
        if isinstance(source, ParsedFile):
            digest = hashlib.sha256(parsed_to_json(source).encode("utf-8")).hexdigest()
            return SourceFile(source.name, digest, source)
        data = _read(Path(source))
        parsed = parse_bytes(data, Path(source).name, format=format, profile=profile,
                             profiles_dir=profiles_dir)
        return SourceFile(parsed.name, hashlib.sha256(data).hexdigest(), parsed)

    def preview(self, source: Source, bank_account_no: str | None = None,
                format: str = "auto",  # noqa: A002
                profile: ProfileArg = None, profiles_dir: Any = None) -> ImportPreview:
        """What an import would do, computed without writing anything."""
        loaded = self.load(source, format, profile, profiles_dir)
        with self.store.read() as s:
            return build_preview(s, loaded, bank_account_no or None)

    def import_(self, source: Source, bank_account_no: str | None = None,
                format: str = "auto",  # noqa: A002
                profile: ProfileArg = None, profiles_dir: Any = None,
                skip_suspicious: bool = False) -> ImportResult:
        """Write the new lines of every statement, all or nothing, in one transaction.

        Suspicious lines are imported (flagged with ``suspect_reason``) unless
        ``skip_suspicious``: a near duplicate is more often a genuine payment than not,
        and silently dropping a payment is the worse mistake.
        """
        with gc_paused():  # the lines and their verdicts: many small acyclic objects
            return self._import(source, bank_account_no, format, profile, profiles_dir,
                                skip_suspicious)

    def _import(self, source: Source, bank_account_no: str | None, format: str,  # noqa: A002
                profile: ProfileArg, profiles_dir: Any, skip_suspicious: bool) -> ImportResult:
        loaded = self.load(source, format, profile, profiles_dir)
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return self._import_once(loaded, bank_account_no or None, skip_suspicious)
            except (IntegrityError, OperationalError) as exc:
                if not _is_race(exc):
                    raise
                if attempt == ATTEMPTS:
                    raise ConflictError(N_("{name}: another import of the same lines kept "
                                           "running at the same time; try again"),
                                        name=loaded.name) from None
        raise AssertionError("unreachable")  # pragma: no cover

    # --- writing -------------------------------------------------------------------------

    def _import_once(self, loaded: SourceFile, bank: str | None,
                     skip_suspicious: bool) -> ImportResult:
        with self.store.write() as s:
            preview = build_preview(s, loaded, bank, lock=True)
            moment = self.clock()
            ids: list[int] = []
            written = skipped = 0
            for sp in preview.statements:
                rows = [v.values for v in sp.lines if _wanted(v, skip_suspicious)]
                skipped += sum(1 for v in sp.lines
                               if v.kind == "suspicious" and skip_suspicious)
                if not rows and (sp.lines or sp.recorded_before):
                    continue
                imp = self._record(s, preview, sp, moment, len(rows), skip_suspicious)
                assert imp.id is not None
                _insert_lines(s, imp.id, rows)
                ids.append(imp.id)
                written += len(rows)
            worded = _message(preview, written, skipped)
            message = str(worded)
            if ids:  # one trail entry per import, whatever its size
                audit.record(s, user=self.user, action="import", entity=IMPORT_ENTITY,
                             key=preview.file_name[:100], at=moment,
                             note=audit.message(worded.message_id, **worded.params),
                             changes={"lines": (None, written), "imports": (None, len(ids)),
                                      "bank_accounts": (None, ", ".join(sorted(
                                          {p.bank_account_no for p in preview.statements})))})
        return ImportResult(preview, tuple(ids), written, skipped, message)

    def _record(self, s: Session, preview: ImportPreview, sp: StatementPreview,
                moment: datetime, written: int, skip_suspicious: bool) -> StatementImport:
        st = sp.statement
        imp = StatementImport(
            bank_account_no=sp.bank_account_no, file_name=preview.file_name[:255],
            file_sha256=preview.file_sha256, format=preview.format[:20],
            statement_index=sp.index, statement_id=(st.statement_id or "")[:100],
            sequence=(st.sequence or "")[:40], statement_date=st.statement_date,
            period_start=sp.period_start, period_end=sp.period_end, currency=sp.currency,
            opening_balance=minor_or_none(st.opening_balance, sp.currency),
            opening_date=st.opening_date,
            closing_balance=minor_or_none(st.closing_balance, sp.currency),
            closing_date=st.closing_date, lines_total=len(sp.lines), lines_new=written,
            lines_duplicate=sp.duplicate,
            lines_suspicious=0 if skip_suspicious else sp.suspicious,
            lines_skipped=sp.skipped + (sp.suspicious if skip_suspicious else 0),
            warnings=stored_list(sp.warnings),
            imported_at=moment, user_id=self.user[:100])
        s.add(imp)
        s.flush()
        return imp


# --- helpers --------------------------------------------------------------------------------


def _read(path: Path) -> bytes:
    try:
        return read_capped(path)
    except FileReadError as exc:
        raise StatementError(path.name, exc.problem) from None


def _wanted(v: LineVerdict, skip_suspicious: bool) -> bool:
    return v.kind == "new" or (v.kind == "suspicious" and not skip_suspicious)


def _insert_lines(s: Session, import_id: int, rows: list[StatementLineValues]) -> None:
    """Bulk insert in chunks (the driver's executemany, see core.kernel.records): large
    statements stay fast and memory-flat."""
    conn = s.connection()
    table = BankStatementLine.__table__  # type: ignore[attr-defined]
    for part in _chunked(rows, INSERT_CHUNK):
        typed: list[StatementLineRow] = [{**r, "import_id": import_id} for r in part]
        bulk_insert_dicts(conn, table, typed)


def _chunked(rows: list[StatementLineValues], size: int) -> Iterator[list[StatementLineValues]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def _is_race(exc: Exception) -> bool:
    """A unique-key collision or a serialization failure from a concurrent import."""
    text = str(getattr(exc, "orig", exc)).lower()
    return (isinstance(exc, IntegrityError) and ("uq_bsl_dedup" in text or "unique" in text)) \
        or "could not serialize" in text or "deadlock" in text


def _message(preview: ImportPreview, written: int, skipped: int) -> Text:
    """What the import did, language-neutral (shown to the clerk, kept in the trail)."""
    total = sum(len(p.lines) for p in preview.statements)
    dup = preview.total("duplicate")
    banks = ", ".join(sorted({p.bank_account_no for p in preview.statements}))
    if written == 0:
        why = (Text(N_("all {count} line(s) were already imported"), count=dup)
               if dup == total and dup else Text(N_("no new line in the file")))
        seen = f" ({preview.earlier_imports[0]})" if preview.earlier_imports else ""
        return Text(N_("Nothing imported from {file_name}: {why}{seen}"),
                    file_name=preview.file_name, why=why, seen=seen)
    parts = [Text(N_("{count} already imported, skipped"), count=dup)] if dup else []
    if preview.total("suspicious"):
        parts.append(Text(N_("{count} suspicious skipped"), count=skipped) if skipped else
                     Text(N_("{count} flagged as suspicious"),
                          count=preview.total("suspicious")))
    if preview.total("skipped"):
        parts.append(Text(N_("{count} not booked yet, skipped"),
                          count=preview.total("skipped")))
    more = Text(N_(" ({parts})"), parts=TextList(parts)) if parts else ""
    return Text(N_("Imported {written} new line(s) from {file_name} into {banks}{more}"),
                written=written, file_name=preview.file_name, banks=banks, more=more)


def lines_of(result: ImportResult) -> Iterable[LineVerdict]:
    """Every line verdict of an import, in file order (for reports)."""
    for sp in result.preview.statements:
        yield from sp.lines
