"""Reading what Create Reminders / Create Finance Charge Memos need, in bulk.

One query per kind of data for all customers at once (open entries, earlier reminder
entries, detailed entries, terms), so 10,000 customers cost a handful of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from core.collections.calc import FeeRow, Movement, Rate
from core.collections.models import (
    AdditionalFeeSetup,
    CollectionText,
    FinanceChargeRate,
    FinanceChargeTerms,
    ReminderLevel,
    ReminderTerms,
)
from core.collections.suggest import (
    ChargeTerms,
    History,
    Level,
    OpenEntry,
    Terms,
    new_open_entry,
)
from core.i18n import N_
from core.kernel.errors import NotFoundError
from core.kernel.money import exponent, from_minor, from_minor_places
from core.kernel.store import chunks


@dataclass(frozen=True)
class TermsBundle:
    """Reminder terms with their posting flags (the pure ``Terms`` has the levels)."""

    terms: Terms
    row: ReminderTerms


def _fee_rows(rows: Iterable[AdditionalFeeSetup], per_line: bool) -> tuple[FeeRow, ...]:
    return tuple(FeeRow(from_minor(r.threshold), from_minor(r.fee_amount), Decimal(r.fee_pct),
                        from_minor(r.min_fee), from_minor(r.max_fee))
                 for r in rows if r.charge_per_line == per_line and not r.currency)


def load_reminder_terms(s: Session, code: str) -> TermsBundle:
    row = s.get(ReminderTerms, code)
    if row is None:
        raise NotFoundError(N_("Reminder terms {code} do not exist"), code=code)
    levels = s.exec(select(ReminderLevel).where(ReminderLevel.terms_code == code)
                    .order_by(col(ReminderLevel.no))).all()
    fees = s.exec(select(AdditionalFeeSetup).where(AdditionalFeeSetup.terms_code == code)).all()
    by_level: dict[int, list[AdditionalFeeSetup]] = defaultdict(list)
    for f in fees:
        by_level[f.level_no].append(f)
    pure = tuple(Level(
        no=lv.no, grace_period=lv.grace_period, due_date_calculation=lv.due_date_calculation,
        additional_fee=from_minor(lv.additional_fee), add_fee_per_line=from_minor(
            lv.add_fee_per_line), add_fee_per_line_description=lv.add_fee_per_line_description,
        calculate_interest=lv.calculate_interest, fee_type=lv.fee_calculation_type,
        fee_rows=_fee_rows(by_level[lv.no], False),
        line_fee_rows=_fee_rows(by_level[lv.no], True)) for lv in levels)
    return TermsBundle(Terms(code, pure, row.max_no_of_reminders,
                             from_minor(row.minimum_amount)), row)


def load_charge_terms(s: Session, code: str) -> tuple[ChargeTerms, FinanceChargeTerms]:
    row = s.get(FinanceChargeTerms, code)
    if row is None:
        raise NotFoundError(N_("Finance charge terms {code} do not exist"), code=code)
    rates = [Rate(date.min, Decimal(row.interest_rate), row.interest_period_days)]
    rates += [Rate(r.start_date, Decimal(r.interest_rate), r.interest_period_days)
              for r in s.exec(select(FinanceChargeRate)
                              .where(FinanceChargeRate.terms_code == code)).all()]
    pure = ChargeTerms(code, tuple(rates), row.interest_method,
                       from_minor(row.minimum_amount), from_minor(row.additional_fee),
                       row.grace_period, row.due_date_calculation, row.interest_on)
    return pure, row


_ENTRY_COLUMNS = ("entry_no, party_no, document_type, document_no, document_date, "
                  "posting_date, due_date, amount, remaining_amount, currency, on_hold, "
                  "last_issued_reminder_level, open, closed_at_date, "
                  "closing_interest_calculated, description")


class _Days(dict[object, "date | None"]):
    """Stored day (ISO text on SQLite, a date elsewhere) -> date, each parsed once: a
    run reads a few hundred distinct days 400,000 times, and ``days[v]`` is one C-level
    lookup."""

    def __missing__(self, value: object) -> date | None:
        day = value if value is None or isinstance(value, date) \
            else date.fromisoformat(str(value))
        self[value] = day
        return day


class _Decimals(dict[int, Decimal]):
    """Minor units -> Decimal at one currency's exponent (exact), each built once."""

    def __init__(self, currency: str) -> None:
        super().__init__()
        self.places = exponent(currency)

    def __missing__(self, minor: int) -> Decimal:
        value = self[minor] = from_minor_places(int(minor), self.places)
        return value


class _Convert:
    """Row -> OpenEntry with the day and amount caches of one read."""

    def __init__(self) -> None:
        self.days = _Days()
        self.amounts: dict[object, _Decimals] = {}

    def entry(self, row: Sequence[Any]) -> OpenEntry:
        days, currency = self.days, row[9] or ""
        amounts = self.amounts.get(currency)
        if amounts is None:
            amounts = self.amounts[currency] = _Decimals(str(currency))
        doc_date = days[row[4]]
        assert doc_date is not None
        return new_open_entry(
            int(row[0]), str(row[2]), str(row[3]), doc_date, days[row[5]] or doc_date,
            days[row[6]] or doc_date, amounts[row[7]], amounts[row[8]], str(currency),
            str(row[10] or ""), int(row[11] or 0), bool(row[12]), days[row[13]],
            bool(row[14]), str(row[15] or ""))


_DAYS = _Days()  # history and movements: bounded by the distinct days of one database


def _date(value: object) -> date | None:
    if len(_DAYS) > 100_000:
        _DAYS.clear()
    return _DAYS[value]


def customer_entries(s: Session, customer_nos: Sequence[str] | None, *,
                     closed_since: date | None = None) -> dict[str, list[OpenEntry]]:
    """Open customer entries (plus positive entries closed on or after
    ``closed_since`` for finance charges), by customer."""
    where = "party_type = 'customer' AND (open = :t"
    params: dict[str, object] = {"t": True}
    if closed_since is not None:
        where += " OR (open = :f AND amount > 0 AND closing_interest_calculated = :f " \
                 "AND closed_at_date >= :since)"
        params.update(f=False, since=closed_since)
    where += ")"
    out: dict[str, list[OpenEntry]] = defaultdict(list)
    batches = [None] if customer_nos is None else list(_str_chunks(customer_nos))
    convert = _Convert()
    for batch in batches:
        sql = f"SELECT {_ENTRY_COLUMNS} FROM ledgerentry WHERE {where}"
        p = dict(params)
        if batch is not None:
            names = ", ".join(f":c{i}" for i in range(len(batch)))
            sql += f" AND party_no IN ({names})"
            p.update({f"c{i}": c for i, c in enumerate(batch)})
        entry = convert.entry
        for row in s.execute(text(sql), p).all():  # fetchall: not a fetchone per row
            out[row[1]].append(entry(row))
    return out


def _str_chunks(items: Sequence[str], size: int = 500) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield list(items[i:i + size])


def history(s: Session, entry_nos: Sequence[int] | None = None) -> History:
    """Due dates of the last non-cancelled reminder per (entry, level) and the date
    interest was last charged per entry (memos, interest-posting reminders)."""
    result = History()
    sql = ("SELECT customer_entry_no, kind, level, due_date, document_date, interest_posted "
           "FROM reminderentry WHERE canceled = :f ORDER BY entry_no")
    for row in s.execute(text(sql), {"f": False}):
        entry_no = int(row[0])
        if row[1] == "reminder":
            due = _date(row[3])
            assert due is not None
            result.reminder_due[(entry_no, int(row[2]))] = due
        if row[5]:
            doc = _date(row[4])
            assert doc is not None
            if entry_no not in result.interest_until or doc > result.interest_until[entry_no]:
                result.interest_until[entry_no] = doc
    return result


def movements(s: Session, entry_nos: Sequence[int]) -> dict[int, list[Movement]]:
    """The detailed entries ADB integrates, by ledger entry."""
    out: dict[int, list[Movement]] = defaultdict(list)
    for batch in chunks(list(entry_nos)):
        names = ", ".join(f":e{i}" for i in range(len(batch)))
        rows = s.execute(text(
            "SELECT ledger_entry_no, entry_type, posting_date, amount FROM detailedledgerentry "
            f"WHERE ledger_entry_no IN ({names}) ORDER BY entry_no"),
            {f"e{i}": n for i, n in enumerate(batch)}).all()
        for row in rows:
            day = _date(row[2])
            assert day is not None
            out[int(row[0])].append(Movement(str(row[1]), day, from_minor(int(row[3]))))
    return out


def texts(s: Session, kind: str, terms_code: str, level_no: int, language: str,
          cache: dict[tuple[str, str, int], list[CollectionText]] | None = None
          ) -> tuple[list[str], list[str]]:
    """Beginning and ending texts in the customer's language (else the default ones).
    ``cache``: all texts of ``kind`` read once (``all_texts``) for a bulk run."""
    if cache is not None:
        rows = cache.get((kind, terms_code, level_no), [])
    else:
        rows = list(s.exec(select(CollectionText).where(
            CollectionText.kind == kind, CollectionText.terms_code == terms_code,
            CollectionText.level_no == level_no).order_by(col(CollectionText.line_no))).all())
    lang = language.lower()[:2]
    chosen = [r for r in rows if r.language and r.language.lower()[:2] == lang] or \
        [r for r in rows if not r.language]
    return ([r.text for r in chosen if r.position == "beginning"],
            [r.text for r in chosen if r.position == "ending"])


def all_texts(s: Session, kind: str) -> dict[tuple[str, str, int], list[CollectionText]]:
    out: dict[tuple[str, str, int], list[CollectionText]] = defaultdict(list)
    for row in s.exec(select(CollectionText).where(CollectionText.kind == kind)
                      .order_by(col(CollectionText.line_no))).all():
        out[(row.kind, row.terms_code, row.level_no)].append(row)
    return out
