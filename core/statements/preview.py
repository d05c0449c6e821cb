"""Classifying a parsed statement file against what is already imported.

The same code runs for the dry-run preview (in a read session) and for the import
(inside the write transaction, after the bank accounts are locked), so what a clerk
confirmed is re-checked at the moment of writing and two clerks cannot both import
the same line. Nothing here writes.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

from sqlmodel import Session, col, select

from core.i18n import N_, _, format_datetime
from core.kernel.bounds import check_date
from core.kernel.errors import Text
from core.kernel.money import AmountError, from_minor, to_minor
from core.kernel.store import chunks
from core.ledger.bank_statements import BankStatementLine, StatementImport, StatementLineValues
from core.ledger.models import BankAccount
from core.statements import Statement, StatementLine, statement_name
from core.statements.accounts import (
    StatementImportError,
    check_currency,
    resolve_bank,
    statement_label,
)
from core.statements.keys import (
    clean_reference,
    content_key,
    reference_key,
    similar_text,
)
from core.statements.preview_types import ImportPreview as ImportPreview  # re-exported
from core.statements.preview_types import LineKind as LineKind
from core.statements.preview_types import LineVerdict as LineVerdict
from core.statements.preview_types import SourceFile as SourceFile
from core.statements.preview_types import StatementPreview as StatementPreview
from core.statements.worded import stored, worded

NOT_BOOKED = frozenset({"PDNG", "PENDING", "INFO", "FUTR"})
NEAR_DAYS = 1
SHIFT_DAYS = 7  # same reference and amount booked this many days apart: flagged


@dataclass
class _Run:
    """What earlier statements of the same file contribute to later ones."""

    keys: dict[tuple[str, str, int], str] = field(default_factory=dict)
    near: dict[str, list[LineVerdict]] = field(default_factory=lambda: defaultdict(list))
    closings: dict[str, list[tuple[date, int, Text]]] = field(
        default_factory=lambda: defaultdict(list))


# --- the file ---------------------------------------------------------------------------


def build_preview(s: Session, source: SourceFile, chosen_bank: str | None,
                  lock: bool = False) -> ImportPreview:
    """Classify every statement of ``source``; ``lock`` row-locks the bank accounts
    first (PostgreSQL) so concurrent imports of one account run one after the other."""
    stmts = source.parsed.statements
    if not stmts:
        raise StatementImportError(N_("{name}: the file holds no statement"), name=source.name)
    banks = [resolve_bank(s, source.name, st, i, chosen_bank) for i, st in enumerate(stmts, 1)]
    if lock:
        _lock_banks(s, sorted({b.no for b in banks}))
    run = _Run()
    previews = []
    for i, (stmt, bank) in enumerate(zip(stmts, banks, strict=True), 1):
        currency = check_currency(s, source.name, stmt, i, bank)
        previews.append(_statement(s, source, stmt, i, bank, currency, run))
    return ImportPreview(source, tuple(previews), _earlier_imports(s, source.sha256))


def _lock_banks(s: Session, nos: Sequence[str]) -> None:
    s.exec(select(BankAccount).where(col(BankAccount.no).in_(nos))
           .order_by(col(BankAccount.no)).with_for_update(key_share=True)).all()


def _earlier_imports(s: Session, sha: str) -> tuple[str, ...]:
    rows = s.exec(select(StatementImport).where(StatementImport.file_sha256 == sha)
                  .order_by(col(StatementImport.id))).all()
    seen: dict[tuple[str, str], StatementImport] = {}
    for row in rows:
        seen.setdefault((format_datetime(row.imported_at), row.user_id), row)
    return tuple((_("this file was imported before on {when} by {who} as {file}") if who else
                  _("this file was imported before on {when} as {file}")).format(
                      when=when, who=who, file=r.file_name)
                 for (when, who), r in seen.items())


# --- one statement ----------------------------------------------------------------------


def _statement(s: Session, source: SourceFile, stmt: Statement, index: int,
               bank: BankAccount, currency: str, run: _Run) -> StatementPreview:
    label = statement_label(stmt, index)
    where = f"{source.name}, {label}"
    warnings: list[Text | str] = list(stmt.warnings)
    seen_keys: Counter[str] = Counter()
    drafts = [_draft(where, stmt, n, line, currency, bank.no, warnings, seen_keys)
              for n, line in enumerate(stmt.lines, 1)]
    verdicts = _classify(s, bank.no, drafts, run)
    start, end = _period(stmt, verdicts)
    seen = _recorded_before(s, bank.no, stmt, index, currency, source.sha256)
    if seen:
        continues, note = None, Text(N_("this statement was imported before; continuity not "
                                        "rechecked"))
    else:
        continues, note = _continuity(s, bank, stmt, index, currency, start, source.sha256,
                                      run)
    if continues is False:
        warnings.append(note)
    warnings += _sum_check(stmt, verdicts, currency)
    if any(v.kind in ("new", "suspicious") for v in verdicts):
        warnings += _overlaps(s, bank.no, stmt, start, end, verdicts)
    _remember(run, bank.no, verdicts, stmt, currency, label)
    return StatementPreview(index, label, stmt, bank.no, currency, start, end, tuple(verdicts),
                            continues, note, tuple(warnings), seen)


def _draft(where: str, stmt: Statement, n: int, line: StatementLine, currency: str,
           bank_no: str, warnings: list[Text | str], seen_keys: Counter[str]) -> LineVerdict:
    """The line's verdict before the duplicate checks: new, or skipped when not booked;
    a booked line is numbered among the lines with its key before it (its occurrence:
    identical payments of a day), ``seen_keys`` counting them."""
    day = line.booking_date or line.value_date or stmt.statement_date or stmt.closing_date
    if day is None:
        raise StatementImportError(N_("{where}, line {n}: no booking date"), where=where, n=n)
    problem = check_date(day)
    if problem:
        raise StatementImportError(N_("{where}, line {n}: booking date {problem}"), where=where,
                                   n=n, problem=problem)
    line_ccy = (line.currency or currency).upper()
    if line_ccy != currency:
        warnings.append(Text(N_("line {n} is in {line_currency}, not {currency}; check it "
                                "before posting"), n=n, line_currency=line_ccy,
                             currency=currency))
    try:
        minor = to_minor(line.amount, line_ccy)
    except AmountError as exc:
        raise StatementImportError(N_("{where}, line {n}: amount {exc}"), where=where, n=n,
                                   exc=exc) from None
    ref = clean_reference(line.bank_reference)
    ckey = content_key(day, minor, line_ccy, line.counterparty_iban, line.counterparty_name,
                       line.remittance)
    key = reference_key(ref, day, minor) if ref else ckey
    skipped = (line.status or "").upper() in NOT_BOOKED
    values = _row(line, bank_no, n, day, minor, line_ccy, ref, key, ckey)
    occurrence = 0
    if not skipped:
        seen_keys[key] += 1
        occurrence = values["occurrence"] = seen_keys[key]
    return LineVerdict(n, day, line.amount, line_ccy, line.counterparty_name or "",
                       line.remittance or "", ref, "skipped" if skipped else "new",
                       _("not booked yet (bank status {status})").format(status=line.status)
                       if skipped else _("new"),
                       key, occurrence, values)


def _row(line: StatementLine, bank_no: str, n: int, day: date, minor: int, ccy: str,
         ref: str, key: str, ckey: str) -> StatementLineValues:
    # each text stripped and cut to its column ("" for none), written out: 10,000 lines
    refs = [{"kind": r.kind, "reference": r.reference, "type_code": r.type_code,
             "amount": None if r.amount is None else str(r.amount), "currency": r.currency}
            for r in line.references]
    return {
        "bank_account_no": bank_no, "line_no": n, "entry_no": line.entry_no,
        "booking_date": day, "value_date": line.value_date, "amount": minor, "currency": ccy,
        "bank_transaction_code": (line.bank_transaction_code or "").strip()[:100],
        "bank_reference": ref[:140], "end_to_end_id": (line.end_to_end_id or "").strip()[:140],
        "mandate_id": (line.mandate_id or "").strip()[:140],
        "creditor_id": (line.creditor_id or "").strip()[:140],
        "counterparty_name": (line.counterparty_name or "").strip()[:255],
        "counterparty_iban": (line.counterparty_iban or "").strip()[:50],
        "counterparty_bic": (line.counterparty_bic or "").strip()[:20],
        "counterparty_address": (line.counterparty_address or "").strip(),
        "remittance": (line.remittance or "").strip(),
        "references_json": json.dumps(refs) if refs else "[]",
        "check_number": (line.check_number or "").strip()[:40], "reversal": line.reversal,
        "returned": line.returned, "return_reason": (line.return_reason or "").strip()[:40],
        "batch_ref": (line.batch_ref or "").strip()[:35],
        "entry_reference": (line.entry_reference or "").strip()[:140],
        "bank_status": (line.status or "").strip()[:20],
        "bank_text": (line.bank_text or "").strip(), "raw": line.raw, "dedup_key": key,
        "content_key": ckey, "status": "new", "version": 1, "suspect_reason": "",
    }


def _with(v: LineVerdict, **changes: Any) -> LineVerdict:
    values = v.values  # shared unless changed (never changed in place)
    if "occurrence" in changes or changes.get("kind") == "suspicious":
        values = values.copy()
        if "occurrence" in changes:
            values["occurrence"] = changes["occurrence"]
        if changes.get("kind") == "suspicious":
            values["suspect_reason"] = stored(changes["reason"])
    data = {**v.__dict__, **changes, "values": values}
    return LineVerdict(**data)


# --- duplicates -------------------------------------------------------------------------


def _classify(s: Session, bank_no: str, drafts: list[LineVerdict], run: _Run) -> list[LineVerdict]:
    live = [d for d in drafts if d.kind != "skipped"]
    existing = _existing_keys(s, bank_no, {d.dedup_key for d in live})
    near: dict[int, list[LineVerdict]] = defaultdict(list)
    for p in _near_pool(s, bank_no, live) + run.near[bank_no]:
        near[p.values["amount"]].append(p)
    result = []
    for d in drafts:
        if d.kind == "skipped":
            result.append(d)
            continue
        origin = run.keys.get((bank_no, d.dedup_key, d.occurrence)) or existing.get(
            (d.dedup_key, d.occurrence))
        if origin:
            result.append(_with(d, kind="duplicate", reason=_dup_reason(d, origin)))
            continue
        suspect = _near_reason(d, near.get(d.values["amount"], []))
        result.append(_with(d, kind="suspicious", reason=suspect) if suspect else d)
    return result


def _dup_reason(d: LineVerdict, origin: str) -> str:
    if d.bank_reference:
        why = worded(N_("same bank reference {ref}, date and amount"), ref=d.bank_reference)
    elif d.occurrence > 1:
        why = worded(N_("same date, amount, counterparty and text (such line no. {n} of the "
                        "day)"), n=d.occurrence)
    else:
        why = worded(N_("same date, amount, counterparty and text"))
    return worded(N_("already imported from {origin}: {why}"), origin=origin, why=why)


def _existing_keys(s: Session, bank_no: str, keys: set[str]) -> dict[tuple[str, int], str]:
    found: dict[tuple[str, int], int] = {}
    ordered = sorted(keys)
    for i in range(0, len(ordered), 500):
        part = ordered[i:i + 500]
        rows = s.exec(select(BankStatementLine.dedup_key, BankStatementLine.occurrence,
                             BankStatementLine.import_id)
                      .where(BankStatementLine.bank_account_no == bank_no,
                             col(BankStatementLine.dedup_key).in_(part))).all()
        found.update({(k, o): imp for k, o, imp in rows})
    names = _import_names(s, set(found.values()))
    return {k: names.get(imp, worded(N_("an earlier import"))) for k, imp in found.items()}


def _import_names(s: Session, ids: Iterable[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    for part in chunks(sorted(ids)):
        for imp in s.exec(select(StatementImport).where(col(StatementImport.id).in_(part))):
            assert imp.id is not None
            label = statement_name(imp.format, imp.statement_id, imp.sequence)
            names[imp.id] = worded(N_("{file}, statement {label} on {day}"), file=imp.file_name,
                                   label=label, day=imp.imported_at.date()) if label else \
                worded(N_("{file} on {day}"), file=imp.file_name, day=imp.imported_at.date())
    return names


def _near_pool(s: Session, bank_no: str, live: list[LineVerdict]) -> list[LineVerdict]:
    """Already imported lines that could be near duplicates of ``live`` (by date)."""
    if not live:
        return []
    lo = min(d.booking_date for d in live) - timedelta(days=SHIFT_DAYS)
    hi = max(d.booking_date for d in live) + timedelta(days=SHIFT_DAYS)
    amounts = {d.values["amount"] for d in live}
    rows = s.exec(select(BankStatementLine).where(
        BankStatementLine.bank_account_no == bank_no,
        col(BankStatementLine.booking_date) >= lo, col(BankStatementLine.booking_date) <= hi,
    )).all()
    pool = [r for r in rows if r.amount in amounts]
    names = _import_names(s, {r.import_id for r in pool})
    return [LineVerdict(r.line_no, r.booking_date, from_minor(r.amount, r.currency), r.currency,
                        r.counterparty_name, r.remittance, r.bank_reference, "new",
                        names.get(r.import_id, worded(N_("an earlier import"))), r.dedup_key,
                        r.occurrence,
                        # an earlier line: only what the near-duplicate check reads
                        cast(StatementLineValues, {"amount": r.amount,
                                                   "counterparty_iban": r.counterparty_iban}))
            for r in pool]


def _near_reason(d: LineVerdict, pool: list[LineVerdict]) -> str:
    """Words saying which earlier line (of the same amount) ``d`` may duplicate."""
    for p in pool:
        if p.dedup_key == d.dedup_key:
            continue
        days = abs((p.booking_date - d.booking_date).days)
        same_ref = bool(d.bank_reference) and p.bank_reference == d.bank_reference
        if same_ref and days <= SHIFT_DAYS:
            return worded(N_("same bank reference {ref} and amount as a line booked {day} "
                             "imported from {origin}: probably the same payment booked on "
                             "another date"), ref=d.bank_reference, day=p.booking_date,
                          origin=p.reason)
        if days <= NEAR_DAYS and similar_text(
                d.values["counterparty_iban"], f"{d.counterparty} {d.remittance}",
                p.values["counterparty_iban"], f"{p.counterparty} {p.remittance}"):
            none = worded(N_("none"))
            ref = worded(N_("other bank reference ({ours} vs {theirs})"),
                         ours=d.bank_reference or none, theirs=p.bank_reference or none)
            return worded(N_("same amount and similar text as a line booked {day} imported "
                             "from {origin}, {ref}"), day=p.booking_date, origin=p.reason,
                          ref=ref)
    return ""


def _remember(run: _Run, bank_no: str, verdicts: list[LineVerdict], stmt: Statement,
              currency: str, label: Text) -> None:
    here = worded(N_("{label} of this same file"), label=label)  # the same for each line
    near = run.near[bank_no]
    for v in verdicts:
        if v.kind in ("new", "suspicious"):
            run.keys[(bank_no, v.dedup_key, v.occurrence)] = here
            near.append(_with(v, reason=here))
    closing = minor_or_none(stmt.closing_balance, currency)
    if closing is not None and stmt.closing_date is not None:
        run.closings[bank_no].append((stmt.closing_date, closing, label))


# --- balances and periods ---------------------------------------------------------------


def minor_or_none(value: Decimal | None, currency: str) -> int | None:
    if value is None:
        return None
    try:
        return to_minor(value, currency)
    except AmountError:
        return None


def _period(stmt: Statement, verdicts: list[LineVerdict]) -> tuple[date | None, date | None]:
    days = [v.booking_date for v in verdicts]
    start = stmt.period_start or stmt.opening_date or (min(days) if days else None)
    end = stmt.period_end or stmt.closing_date or (max(days) if days else None)
    return start, end


def _continuity(s: Session, bank: BankAccount, stmt: Statement, index: int, currency: str,
                start: date | None, sha: str, run: _Run) -> tuple[bool | None, Text]:
    """Whether the opening balance continues the last imported statement, in words."""
    opening = minor_or_none(stmt.opening_balance, currency)
    if opening is None:
        return None, Text(N_("the file gives no opening balance; continuity not checked"))
    ref_day = stmt.opening_date or start
    previous = _previous_closing(s, bank.no, stmt, index, ref_day, currency, sha, run)
    if previous is None:
        if not bank.last_statement_no and not bank.balance_last_statement:
            return None, Text(N_("first statement imported for this account; nothing to "
                                 "compare"))
        previous = (None, bank.balance_last_statement,
                    Text(N_("the bank account's balance last statement {no}"),
                         no=bank.last_statement_no))
    _day, closing, what = previous
    shown = from_minor(opening, currency)
    if closing == opening:
        return True, Text(N_("opening balance {shown} continues {what}"), shown=shown, what=what)
    return False, Text(N_("opening balance {shown} does not continue {what} ({closing}): "
                          "difference {diff}; a statement may be missing or imported twice"),
                       shown=shown, what=what, closing=from_minor(closing, currency),
                       diff=from_minor(opening - closing, currency))


def _previous_closing(s: Session, bank_no: str, stmt: Statement, index: int,
                      ref_day: date | None, currency: str, sha: str,
                      run: _Run) -> tuple[date | None, int, Text] | None:
    query = select(StatementImport).where(
        StatementImport.bank_account_no == bank_no,
        col(StatementImport.closing_balance).is_not(None),
        col(StatementImport.closing_date).is_not(None))
    if ref_day is not None:
        query = query.where(col(StatementImport.closing_date) <= ref_day)
    query = query.order_by(col(StatementImport.closing_date).desc(),
                           col(StatementImport.id).desc()).limit(5)
    candidates: list[tuple[date | None, int, Text]] = []
    for imp in s.exec(query).all():
        if _same_statement(imp, stmt, index, currency, sha):
            continue
        assert imp.closing_date is not None and imp.closing_balance is not None
        label = statement_name(imp.format, imp.statement_id, imp.sequence)
        name = Text(N_("statement {label}"), label=label) if label else \
            Text(N_("the statement"))
        candidates.append((imp.closing_date, imp.closing_balance,
                           Text(N_("{name} closed {day} (from {file})"), name=name,
                                day=imp.closing_date, file=imp.file_name)))
        break
    if run.closings[bank_no]:  # the statement before it in the same file, whatever its dates
        day, closing, earlier = run.closings[bank_no][-1]
        return day, closing, Text(N_("{label} of this file, closed {day}"), label=earlier,
                                  day=day)
    return candidates[0] if candidates else None


def _recorded_before(s: Session, bank_no: str, stmt: Statement, index: int, currency: str,
                     sha: str) -> bool:
    rows = s.exec(select(StatementImport).where(
        StatementImport.bank_account_no == bank_no,
        (StatementImport.file_sha256 == sha)
        | (StatementImport.statement_id == (stmt.statement_id or "-")))).all()
    return any(_same_statement(r, stmt, index, currency, sha) for r in rows)


def _same_statement(imp: StatementImport, stmt: Statement, index: int, currency: str,
                    sha: str) -> bool:
    """The earlier import is this very statement (a re-import), not its predecessor."""
    if imp.file_sha256 == sha and imp.statement_index == index:
        return True
    return (imp.statement_id == (stmt.statement_id or "") and bool(imp.statement_id)
            and imp.closing_date == stmt.closing_date
            and imp.closing_balance == minor_or_none(stmt.closing_balance, currency))


def _sum_check(stmt: Statement, verdicts: list[LineVerdict], currency: str) -> list[Text]:
    opening = minor_or_none(stmt.opening_balance, currency)
    closing = minor_or_none(stmt.closing_balance, currency)
    if opening is None or closing is None or any(v.kind == "skipped" for v in verdicts):
        return []
    total = sum(v.values["amount"] for v in verdicts if v.currency == currency)
    if opening + total == closing:
        return []
    return [Text(N_("opening balance {opening} plus the lines ({total}) is not the closing "
                    "balance {closing}; the file may be incomplete"),
                 opening=from_minor(opening, currency), total=from_minor(total, currency),
                 closing=from_minor(closing, currency))]


def _overlaps(s: Session, bank_no: str, stmt: Statement, start: date | None,
              end: date | None, verdicts: list[LineVerdict]) -> list[Text]:
    if start is None or end is None:
        return []
    rows = s.exec(select(StatementImport).where(
        StatementImport.bank_account_no == bank_no,
        col(StatementImport.period_start) <= end, col(StatementImport.period_end) >= start)
        .order_by(col(StatementImport.period_start))).all()
    if not rows:
        return []
    covered = [(r.period_start, r.period_end) for r in rows]
    inside = sum(1 for v in verdicts if v.kind in ("new", "suspicious") and any(
        a is not None and b is not None and a <= v.booking_date <= b for a, b in covered))
    first = rows[0]
    label = statement_name(first.format, first.statement_id, first.sequence)
    what = Text(N_("statement {label} from {file} ({start} – {end})"), label=label,
                file=first.file_name, start=first.period_start, end=first.period_end) \
        if label else Text(N_("{file} ({start} – {end})"), file=first.file_name,
                           start=first.period_start, end=first.period_end)
    more = Text(N_(" and {count} more"), count=len(rows) - 1) if len(rows) > 1 else ""
    return [Text(N_("period {start} – {end} overlaps an earlier import: {what}{more}; "
                    "{inside} new line(s) fall in days it already covered"), start=start,
                 end=end, what=what, more=more, inside=inside)]
