"""Aged receivables and payables as of a date: one grouped query.

The remaining amount of an entry at a date D is its remaining amount now minus what
its detailed entries posted after D changed, so an entry open at D and closed since
counts, and one posted after D does not. Only the entries open now and those with
detailed entries after D can have a remaining amount at D; the query reads those two
sets (a union), ages each by its due date (or posting date) into the buckets with a
CASE over boundary dates (no date arithmetic in SQL, so SQLite and PostgreSQL run the
same text), and sums per party and bucket.

Buckets are day limits: ``(30, 60, 90)`` gives current (not due: due on or after D),
1-30, 31-60, 61-90 and over 90 days. Credit memos and unapplied payments are aged by
their own due date (their posting date when they have none), as BC does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

from sqlalchemy import BigInteger, Select, and_, case, cast, func, literal, select, text, union_all
from sqlalchemy.orm import Session

from core.i18n import N_
from core.kernel.errors import LettrageError
from core.kernel.money import ZERO, from_minor
from core.ledger.models import DetailedLedgerEntry, LedgerEntry, Party

DEFAULT_BUCKETS = (30, 60, 90)
LE = LedgerEntry.__table__  # type: ignore[attr-defined]
DLE = DetailedLedgerEntry.__table__  # type: ignore[attr-defined]
PARTY = Party.__table__  # type: ignore[attr-defined]


class AgingError(LettrageError):
    """Bad aging options (buckets, date basis)."""


def parse_buckets(text: str) -> tuple[int, ...]:
    """``"30,60,90"`` -> (30, 60, 90): increasing whole days above 0."""
    try:
        values = tuple(int(part) for part in text.replace(" ", "").split(",") if part)
    except ValueError:
        raise AgingError(N_("Buckets '{text}' are not whole numbers of days separated by "
                            "commas, e.g. 30,60,90"), text=text) from None
    check_buckets(values)
    return values


def check_buckets(values: tuple[int, ...]) -> None:
    if not values or values[0] <= 0 or any(b <= a for a, b in pairwise(values)):
        raise AgingError(N_("Buckets must be increasing day limits above 0, e.g. 30,60,90 "
                            "(got {values})"), values=",".join(map(str, values)) or "none")


def bucket_keys(buckets: tuple[int, ...]) -> tuple[str, ...]:
    """Machine names of the buckets (JSON/CSV): current, 1-30, 31-60, 61-90, over_90."""
    keys, low = ["current"], 1
    for limit in buckets:
        keys.append(f"{low}-{limit}")
        low = limit + 1
    keys.append(f"over_{buckets[-1]}")
    return tuple(keys)


def bucket_of(days_overdue: int, buckets: tuple[int, ...]) -> int:
    """The bucket index of an entry ``days_overdue`` days past its date (0: current)."""
    if days_overdue <= 0:
        return 0
    for i, limit in enumerate(buckets, start=1):
        if days_overdue <= limit:
            return i
    return len(buckets) + 1


@dataclass(frozen=True)
class AgingOptions:
    as_of: date
    by: str = "due"  # due | posting
    buckets: tuple[int, ...] = DEFAULT_BUCKETS
    party_type: str = "customer"  # customer | vendor
    party_no: str = ""
    posting_group: str = ""
    country: str = ""
    blocked: bool | None = None  # None: all, True: only blocked, False: only not blocked

    def __post_init__(self) -> None:
        check_buckets(self.buckets)
        if self.by not in ("due", "posting"):
            raise AgingError(N_("Age by 'due' or 'posting', not '{by}'"), by=self.by)

    def starts(self) -> list[date]:
        """The first date of each bucket but the oldest: an entry whose date is on or
        after ``starts[i]`` (and not in an earlier bucket) is in bucket i."""
        return [self.as_of] + [self.as_of - timedelta(days=b) for b in self.buckets]


@dataclass(frozen=True)
class AgingLine:
    party_no: str
    name: str
    amounts: tuple[Decimal, ...]
    total: Decimal
    share: Decimal  # % of the grand total

    def as_dict(self, keys: tuple[str, ...]) -> dict[str, Any]:
        return {"no": self.party_no, "name": self.name,
                **{k: str(a) for k, a in zip(keys, self.amounts, strict=True)},
                "total": str(self.total), "share_pct": str(self.share)}


@dataclass(frozen=True)
class AgingReport:
    options: AgingOptions
    keys: tuple[str, ...]
    lines: tuple[AgingLine, ...]
    totals: tuple[Decimal, ...]
    total: Decimal
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        o = self.options
        return {"as_of": o.as_of.isoformat(), "by": o.by, "party_type": o.party_type,
                "buckets": list(self.keys),
                "lines": [ln.as_dict(self.keys) for ln in self.lines],
                "totals": {k: str(a) for k, a in zip(self.keys, self.totals, strict=True)},
                "total": str(self.total)}


@dataclass(frozen=True)
class AgedEntry:
    """One entry with a remaining amount at the date (drill-down, statements)."""

    entry_no: int
    party_no: str
    posting_date: date
    document_type: str
    document_no: str
    description: str
    due_date: date
    amount: Decimal
    remaining: Decimal
    days: int  # days past its due (or posting) date at the aging date
    bucket: int

    def as_dict(self) -> dict[str, Any]:
        return {"entry_no": self.entry_no, "party_no": self.party_no,
                "posting_date": self.posting_date.isoformat(),
                "document_type": self.document_type, "document_no": self.document_no,
                "description": self.description, "due_date": self.due_date.isoformat(),
                "amount": str(self.amount), "remaining": str(self.remaining),
                "days": self.days, "bucket": self.bucket}


def remaining_at(o: AgingOptions, columns: bool = False, dialect: str = "sqlite") -> Any:
    """The entries with (possibly) a remaining amount at ``o.as_of`` as a subquery:
    entry_no, party_no, ref (the aging date), rem (remaining at the date), and with
    ``columns`` the entry's fields for a drill-down."""
    after = select(DLE.c.ledger_entry_no.label("e"), func.sum(DLE.c.amount).label("a")).where(
        DLE.c.party_type == o.party_type, DLE.c.posting_date > o.as_of)
    if o.party_no:
        after = after.where(DLE.c.party_no == o.party_no)
    # SQLite: grouped by an expression, so it reads the (party_type, posting_date) index
    # range instead of walking the whole ledger_entry_no index to avoid a sort (it still
    # selects the plain column, so the joins below get an automatic index; PostgreSQL
    # wants the grouped expression selected and plans well without the trick). A CTE, so
    # the two halves of the union share one pass.
    key = DLE.c.ledger_entry_no + 0 if dialect == "sqlite" else DLE.c.ledger_entry_no
    changed = after.group_by(key).cte("after_d")
    ref = func.coalesce(LE.c.due_date, LE.c.posting_date) if o.by == "due" \
        else LE.c.posting_date
    wanted = [LE.c.entry_no, LE.c.party_no, ref.label("ref")]
    if columns:
        wanted += [LE.c.posting_date, LE.c.document_type, LE.c.document_no, LE.c.description,
                   LE.c.amount, func.coalesce(LE.c.due_date, LE.c.posting_date).label("due")]
    base = [LE.c.party_type == o.party_type, LE.c.posting_date <= o.as_of]
    if o.party_no:
        base.append(LE.c.party_no == o.party_no)
    still_open: Select[Any] = select(
        *wanted, (LE.c.remaining_amount - func.coalesce(changed.c.a, 0)).label("rem")
    ).select_from(LE.outerjoin(changed, changed.c.e == LE.c.entry_no)).where(
        LE.c.open == True, *base)  # noqa: E712
    closed_since: Select[Any] = select(
        *wanted, (LE.c.remaining_amount - changed.c.a).label("rem")
    ).select_from(changed.join(LE, LE.c.entry_no == changed.c.e)).where(
        LE.c.open == False, *base)  # noqa: E712
    return union_all(still_open, closed_since).subquery("at_d")


def _party_filter(o: AgingOptions) -> list[Any]:
    conds: list[Any] = []
    if o.posting_group:
        conds.append(PARTY.c.posting_group == o.posting_group)
    if o.country:
        conds.append(PARTY.c.country == o.country)
    if o.blocked is True:
        conds.append(PARTY.c.blocked != "")
    elif o.blocked is False:
        conds.append(PARTY.c.blocked == "")
    return conds


def _bucket_case(o: AgingOptions, ref: Any) -> Any:
    starts = o.starts()
    return case(*[(ref >= start, literal(i)) for i, start in enumerate(starts)],
                else_=literal(len(starts)))


def aging_query(o: AgingOptions, dialect: str = "sqlite") -> Select[Any]:
    """party_no, name, bucket, sum of remaining: the one grouped query.

    Sums need no per-entry remaining amount: the remaining amounts at D of a party's
    entries in a bucket are their remaining amounts now (the open entries posted up to
    D) less every detailed entry posted after D on an entry posted up to D. So the
    query is a union of two plain index range reads (no grouping per entry first), then
    one grouping per party and bucket. ``dialect`` is kept for the callers (both run
    the same text)."""
    ref = func.coalesce(LE.c.due_date, LE.c.posting_date) if o.by == "due" \
        else LE.c.posting_date
    base = [LE.c.party_type == o.party_type, LE.c.posting_date <= o.as_of]
    after = [DLE.c.party_type == o.party_type, DLE.c.posting_date > o.as_of]
    if o.party_no:
        base.append(LE.c.party_no == o.party_no)
        after.append(DLE.c.party_no == o.party_no)
    # an initial detailed entry after D is that of an entry posted after D: never counts
    after.append(DLE.c.entry_type != "initial")
    now: Select[Any] = select(LE.c.party_no, ref.label("ref"),
                              LE.c.remaining_amount.label("rem")).where(
        LE.c.open == True, *base)  # noqa: E712
    # Only the posting date on the entry's side: the detailed entries' own party type
    # (and no) select the rows, so no index of the entries tempts SQLite into reading
    # every entry posted up to D and looking its detailed entries up.
    since: Select[Any] = select(LE.c.party_no, ref.label("ref"),
                                (-DLE.c.amount).label("rem")).select_from(
        DLE.join(LE, LE.c.entry_no == DLE.c.ledger_entry_no)).where(
        *after, LE.c.posting_date <= o.as_of)
    at = union_all(now, since).subquery("at_d")
    bucket = _bucket_case(o, at.c.ref).label("bucket")
    return select(at.c.party_no, func.max(PARTY.c.name), bucket,
                  cast(func.sum(at.c.rem), BigInteger)).select_from(
        at.join(PARTY, and_(PARTY.c.party_type == o.party_type, PARTY.c.no == at.c.party_no))
    ).where(*_party_filter(o)).group_by(at.c.party_no, bucket)


def build_report(o: AgingOptions, rows: list[tuple[str, str, int, int]]) -> AgingReport:
    """The report from the grouped rows (party_no, name, bucket, minor units)."""
    keys = bucket_keys(o.buckets)
    n = len(keys)
    per: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for no, name, bucket, minor in rows:
        per.setdefault(no, [0] * n)[int(bucket)] += int(minor)
        names[no] = name or ""
    grand = sum(sum(v) for v in per.values())
    lines = []
    for no in sorted(per):
        units = per[no]
        total = sum(units)
        if all(m == 0 for m in units):
            continue
        share = (Decimal(total * 100) / Decimal(grand)).quantize(Decimal("0.1")) if grand \
            else ZERO
        lines.append(AgingLine(no, names[no], tuple(from_minor(m) for m in units),
                               from_minor(total), share))
    totals = tuple(from_minor(sum(v[i] for v in per.values())) for i in range(n))
    return AgingReport(o, keys, tuple(lines), totals, from_minor(grand))


def roomy(s: Session) -> None:
    """PostgreSQL: room for the report's hash aggregates in memory (this transaction
    only), instead of spilling them to disk with the default 4 MB; no JIT."""
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("SET LOCAL work_mem = '64MB'"))
        # compiling the query's expressions took longer than running them (0.4 s)
        s.execute(text("SET LOCAL jit = off"))


def run_aging(s: Session, o: AgingOptions) -> AgingReport:
    roomy(s)
    rows = s.execute(aging_query(o, s.get_bind().dialect.name)).all()
    return build_report(o, [(r[0], r[1], r[2], r[3]) for r in rows])


def aged_entries(s: Session, o: AgingOptions, bucket: int | None = None) -> list[AgedEntry]:
    """The entries with a remaining amount at the date (of one party when
    ``o.party_no``), oldest first; only those of ``bucket`` when given."""
    at = remaining_at(o, columns=True, dialect=s.get_bind().dialect.name)
    q = select(at).where(at.c.rem != 0)
    if o.posting_group or o.country or o.blocked is not None:
        q = q.join(PARTY, and_(PARTY.c.party_type == o.party_type,
                               PARTY.c.no == at.c.party_no)).where(*_party_filter(o))
    out = []
    for r in s.execute(q.order_by(at.c.ref, at.c.entry_no)).mappings():
        days = (o.as_of - _day(r["ref"])).days
        b = bucket_of(days, o.buckets)
        if bucket is not None and b != bucket:
            continue
        out.append(AgedEntry(r["entry_no"], r["party_no"], _day(r["posting_date"]),
                             r["document_type"], r["document_no"], r["description"],
                             _day(r["due"]), from_minor(r["amount"]), from_minor(r["rem"]),
                             days, b))
    return out


def _day(value: Any) -> date:
    """A date read from a raw union (SQLite may hand back its ISO text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
