"""``lettrage check``: prove the ledger's invariants on any database.

Each check is one aggregate query, so it runs on a million entries in seconds:
every transaction balances; the G/L sums to zero; each party entry's remaining amount
equals the sum of its detailed entries and its open flag agrees; no entry is applied
beyond its amount; sub-ledger totals equal their G/L accounts; registers and entry
numbers are contiguous.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from core.i18n import N_, LazyString, _, format_amount
from core.kernel.money import from_minor
from core.kernel.store import Store
from core.ledger.drafts import DOCUMENT_WORDS, PARTY_WORDS

MAX_DETAILS = 20

# A capability's invariants: ``(session) -> [(name, ok, details)]`` (or CheckResults).
CapabilityCheck = Callable[[Session], Iterable[tuple[str, bool, tuple[str, ...]]]]
# The capabilities above the ledger (bank reconciliation, collections, ...) register
# their checks here; the composition root (tui.bootstrap) wires them, so the ledger never
# imports a capability and ``lettrage check`` still runs every capability's invariants.
_CAPABILITY_CHECKS: dict[str, CapabilityCheck] = {}


def register_check(capability: str, check: CapabilityCheck) -> None:
    """Run ``check`` in every ``run_check`` (after the ledger's own checks, in the order
    of registration; registering a capability again replaces its check)."""
    _CAPABILITY_CHECKS[capability] = check


class CheckName(str):
    """A check's name: the English text (what ``--json`` and logs show) that also knows
    its message id and parameters, so ``shown()`` words it in the reader's language."""

    msgid: str
    params: dict[str, Any]

    def __new__(cls, message: str, /, **params: Any) -> CheckName:
        msgid = message.msgid if isinstance(message, LazyString) and message.msgid \
            else str(message)
        english = {k: v.msgid if isinstance(v, LazyString) and v.msgid else v
                   for k, v in params.items()}
        self = super().__new__(cls, msgid.format(**english) if params else msgid)
        self.msgid, self.params = msgid, params
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_check_name, (self.msgid, self.params))

    def shown(self) -> str:
        """Worded in the current language, amounts (Decimal) in its format."""
        if not self.params:
            return _(self.msgid)
        return _(self.msgid).format(**{k: format_amount(v) if isinstance(v, Decimal) else v
                                       for k, v in self.params.items()})


# A failure detail is worded the same way as a check's name: ``CheckName(N_(...), ...)``.
Detail = CheckName


SUBLEDGER_NAMES = {"customer": N_("customer sub-ledger equals G/L account {account}"),
                   "vendor": N_("vendor sub-ledger equals G/L account {account}")}


def _check_name(msgid: str, params: dict[str, Any]) -> CheckName:
    return CheckName(msgid, **params)


def shown_name(name: str) -> str:
    """A check's name in the current language (a plain name as written)."""
    return name.shown() if isinstance(name, CheckName) else _(name)


def shown_detail(detail: str) -> str:
    """A failure detail in the current language (a plain text as written)."""
    return detail.shown() if isinstance(detail, CheckName) else detail


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    details: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not isinstance(self.name, CheckName):  # N_("...") from a capability's check
            object.__setattr__(self, "name", CheckName(self.name))


@dataclass(frozen=True)
class CheckReport:
    results: tuple[CheckResult, ...]

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)


def _m(value: object) -> Decimal:
    return from_minor(int(value))  # type: ignore[call-overload]


def _rows(s: Session, sql: str, **params: object) -> list[tuple[object, ...]]:
    return [tuple(r) for r in s.execute(text(sql), params).fetchmany(MAX_DETAILS)]


def _transactions_balance(s: Session) -> CheckResult:
    rows = _rows(s, "SELECT transaction_no, SUM(amount) FROM glentry GROUP BY transaction_no "
                    "HAVING SUM(amount) <> 0")
    return CheckResult(N_("every transaction balances"), not rows,
                       tuple(Detail(N_("transaction {transaction} is off by {amount}"),
                                    transaction=t, amount=_m(a)) for t, a in rows))


def _gl_zero(s: Session) -> CheckResult:
    total = s.execute(text("SELECT COALESCE(SUM(amount), 0) FROM glentry")).scalar_one()
    return CheckResult(N_("the general ledger sums to zero"), int(total) == 0,
                       () if int(total) == 0 else (Detail(N_("the G/L sums to {amount}"),
                                                           amount=_m(total)),))


def _remaining_matches_detail(s: Session) -> CheckResult:
    rows = _rows(s, """
        SELECT le.entry_no, le.remaining_amount, COALESCE(d.total, 0)
        FROM ledgerentry le
        LEFT JOIN (SELECT ledger_entry_no, SUM(amount) AS total FROM detailedledgerentry
                   GROUP BY ledger_entry_no) d ON d.ledger_entry_no = le.entry_no
        WHERE le.remaining_amount <> COALESCE(d.total, 0)""")
    return CheckResult(
        N_("each entry's remaining amount equals the sum of its detailed entries"), not rows,
        tuple(Detail(N_("entry {entry}: remaining {remaining} but detailed entries sum to "
                        "{total}"), entry=e, remaining=_m(r), total=_m(t)) for e, r, t in rows))


def _open_flag(s: Session) -> CheckResult:
    rows = _rows(s, "SELECT entry_no, remaining_amount, open FROM ledgerentry "
                    "WHERE (remaining_amount <> 0) <> open")
    return CheckResult(N_("the open flag agrees with the remaining amount"), not rows,
                       tuple(Detail(N_("entry {entry}: remaining {remaining} but open is "
                                       "{open}"), entry=e, remaining=_m(r),
                                    open=N_("yes") if o else N_("no")) for e, r, o in rows))


def _not_over_applied(s: Session) -> CheckResult:
    rows = _rows(s, """
        SELECT entry_no, amount, remaining_amount FROM ledgerentry
        WHERE (amount > 0 AND (remaining_amount < 0 OR remaining_amount > amount))
           OR (amount < 0 AND (remaining_amount > 0 OR remaining_amount < amount))""")
    return CheckResult(N_("no entry is applied beyond its amount"), not rows,
                       tuple(Detail(N_("entry {entry}: amount {amount}, remaining "
                                       "{remaining}"), entry=e, amount=_m(a), remaining=_m(r))
                             for e, a, r in rows))


def _party_subledgers(s: Session) -> list[CheckResult]:
    results = []
    groups = s.execute(text("SELECT party_type, code, receivables_account FROM postinggroup"))
    by_account: dict[str, list[tuple[str, str]]] = {}
    for party_type, code, account in groups:
        by_account.setdefault(str(account), []).append((str(party_type), str(code)))
    for account, members in sorted(by_account.items()):
        sub = 0
        for party_type, code in members:
            sub += int(s.execute(text("""
                SELECT COALESCE(SUM(d.amount), 0) FROM detailedledgerentry d
                JOIN party p ON p.party_type = d.party_type AND p.no = d.party_no
                WHERE d.party_type = :t AND p.posting_group = :g"""),
                {"t": party_type, "g": code}).scalar_one())
        gl = int(s.execute(text("SELECT COALESCE(SUM(amount), 0) FROM glentry "
                                "WHERE gl_account_no = :a"), {"a": account}).scalar_one())
        kinds = "/".join(sorted({m[0] for m in members}))
        results.append(CheckResult(
            CheckName(SUBLEDGER_NAMES.get(kinds, N_("{kinds} sub-ledger equals G/L account "
                                                    "{account}")), kinds=kinds,
                      account=account), sub == gl,
            () if sub == gl else (Detail(N_("sub-ledger {sub}, G/L {gl}"), sub=_m(sub),
                                         gl=_m(gl)),)))
    return results


def _bank_subledgers(s: Session) -> list[CheckResult]:
    results = []
    banks = s.execute(text("SELECT no, gl_account_no FROM bankaccount")).all()
    by_account: dict[str, list[str]] = {}
    for no, account in banks:
        by_account.setdefault(str(account), []).append(str(no))
    for account, nos in sorted(by_account.items()):
        params = {f"b{i}": n for i, n in enumerate(nos)}
        names = ", ".join(f":b{i}" for i in range(len(nos)))
        sub = int(s.execute(text("SELECT COALESCE(SUM(amount), 0) FROM bankledgerentry "
                                 f"WHERE bank_account_no IN ({names})"), params).scalar_one())
        gl = int(s.execute(text("SELECT COALESCE(SUM(amount), 0) FROM glentry "
                                "WHERE gl_account_no = :a"), {"a": account}).scalar_one())
        results.append(CheckResult(
            CheckName(N_("bank sub-ledger ({banks}) equals G/L account {account}"),
                      banks=", ".join(nos), account=account), sub == gl,
            () if sub == gl else (Detail(N_("bank entries {sub}, G/L {gl}"), sub=_m(sub),
                                         gl=_m(gl)),)))
    return results


def _document_keys_unique(s: Session) -> CheckResult:
    """A party's invoice, credit memo, reminder or finance charge memo number appears on
    one entry only (a reversal's entries are marked reversed and not counted). Payments
    may share a number: one payment is often split over several lines."""
    rows = _rows(s, """
        SELECT party_type, party_no, document_type, document_no, COUNT(*) FROM ledgerentry
        WHERE document_type IN ('invoice', 'credit_memo', 'finance_charge_memo', 'reminder')
          AND document_no <> '' AND NOT reversed
        GROUP BY party_type, party_no, document_type, document_no HAVING COUNT(*) > 1""")
    return CheckResult(N_("no party has the same document twice"), not rows,
                       tuple(Detail(N_("{party_type} {party_no}: {document_type} {document_no} "
                                       "is on {count} entries"),
                                    party_type=PARTY_WORDS.get(str(t), str(t)), party_no=p,
                                    document_type=DOCUMENT_WORDS.get(str(d), str(d)),
                                    document_no=n, count=c)
                             for t, p, d, n, c in rows))


_RANGES = (("gl_entry", "glentry", "from_gl_entry_no", "to_gl_entry_no"),
           ("ledger_entry", "ledgerentry", "from_entry_no", "to_entry_no"),
           ("detailed_entry", "detailedledgerentry", "from_detailed_entry_no",
            "to_detailed_entry_no"),
           ("bank_entry", "bankledgerentry", "from_bank_entry_no", "to_bank_entry_no"))


def _registers_contiguous(s: Session) -> CheckResult:
    problems: list[CheckName] = []
    regs = s.execute(text("SELECT no FROM register ORDER BY no")).scalars().all()
    if regs and list(regs) != list(range(1, len(regs) + 1)):
        problems.append(Detail(N_("register numbers have gaps")))
    for _name, table, lo, hi in _RANGES:
        prev = 0
        for no, a, b in s.execute(text(f"SELECT no, {lo}, {hi} FROM register "
                                       f"WHERE {lo} > 0 ORDER BY no")):
            if int(a) != prev + 1:
                problems.append(Detail(N_("register {no}: {table} starts at {first}, expected "
                                          "{expected}"), no=no, table=table, first=a,
                                       expected=prev + 1))
            prev = int(b)
        count, top = s.execute(text(f"SELECT COUNT(*), COALESCE(MAX(entry_no), 0) "
                                    f"FROM {table}")).one()
        if int(top) != prev or int(count) != int(top):
            problems.append(Detail(N_("{table}: {count} entries, highest no. {top}, registers "
                                      "cover 1..{prev}"), table=table, count=count, top=top,
                                   prev=prev))
    return CheckResult(N_("registers and entry numbers are contiguous"), not problems,
                       tuple(problems[:MAX_DETAILS]))


def run_check(store: Store) -> CheckReport:
    """Run every invariant check (the ledger's, then the registered capabilities') in one
    read transaction."""
    with store.read() as s:
        results = [_transactions_balance(s), _gl_zero(s), _remaining_matches_detail(s),
                   _open_flag(s), _not_over_applied(s), _document_keys_unique(s)]
        results += _party_subledgers(s)
        results += _bank_subledgers(s)
        results.append(_registers_contiguous(s))
        for check in _CAPABILITY_CHECKS.values():
            results += [CheckResult(*r) for r in check(s)]
    return CheckReport(tuple(results))


