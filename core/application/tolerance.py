"""The Application setup (BC General Ledger Setup, Application FastTab) and the Change
Payment Tolerance batch job (bc-spec §1.4, §12).

``Payment Tolerance %`` and ``Max. Payment Tolerance Amount`` are read-only on BC's setup
page: only Change Payment Tolerance sets them, and it recalculates ``Max. Payment
Tolerance`` on every open invoice and credit memo at the same time, so setup and open
entries never disagree. Entries of parties with Block Payment Tolerance keep 0.

Only the company currency is supported (foreign-currency postings are refused by the
posting engine), so the batch job's optional currency must be blank or the company's.
Changing the discount grace period likewise recalculates the Pmt. Disc. Tolerance Date
of open entries (BC asks "change all open entries ... that are not blocked?"; here the
answer is always yes, so the date on an entry always follows the setup).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from core.application.rules import max_payment_tolerance
from core.application.types import AccountKind
from core.audit import trail as audit
from core.audit.conflicts import conflict
from core.i18n import N_, _
from core.kernel.errors import LettrageError, NotFoundError, Text
from core.kernel.money import ZERO, check_amount, from_minor, money, plain, to_minor
from core.kernel.store import Store
from core.kernel.users import os_user
from core.ledger.company import Company

if TYPE_CHECKING:
    from core.ledger.models import LedgerEntry, Party

TOLERANCE_DOC_TYPES = ("invoice", "credit_memo")
SETUP_ENTITY = "application_setup"  # the audit trail's name for the setup record
SETUP_FIELDS = ("pmt_disc_grace_days", "payment_tolerance_pct", "max_payment_tolerance",
                "payment_tolerance_warning", "pmt_disc_tolerance_warning",
                "payment_tolerance_posting", "pmt_disc_tolerance_posting")
POSTING_OPTIONS = tuple(k.value for k in AccountKind)
MAX_GRACE_DAYS = 365


@dataclass(frozen=True)
class ApplicationSetupView:
    """The Application FastTab as the setup screen shows it."""

    currency: str
    pmt_disc_grace_days: int
    payment_tolerance_pct: Decimal
    max_payment_tolerance: Decimal
    payment_tolerance_warning: bool
    pmt_disc_tolerance_warning: bool
    payment_tolerance_posting: str
    pmt_disc_tolerance_posting: str
    version: int


@dataclass(frozen=True)
class SetupChanges:
    """The editable fields; ``None`` leaves a field as it is."""

    pmt_disc_grace_days: int | None = None
    payment_tolerance_warning: bool | None = None
    pmt_disc_tolerance_warning: bool | None = None
    payment_tolerance_posting: str | None = None
    pmt_disc_tolerance_posting: str | None = None


@dataclass(frozen=True)
class SetupSaved:
    setup: ApplicationSetupView
    entries_updated: int  # open entries whose Pmt. Disc. Tolerance Date moved
    message: str


@dataclass(frozen=True)
class ToleranceChanged:
    """What Change Payment Tolerance did."""

    payment_tolerance_pct: Decimal
    max_payment_tolerance: Decimal
    entries_updated: int  # open entries whose Max. Payment Tolerance changed
    entries_checked: int  # open invoices and credit memos looked at
    blocked_parties: int  # parties with Block Payment Tolerance (their entries keep 0)
    message: str


def _view(c: Company) -> ApplicationSetupView:
    return ApplicationSetupView(
        c.currency, c.pmt_disc_grace_days, plain(Decimal(c.payment_tolerance_pct)),
        from_minor(c.max_payment_tolerance), c.payment_tolerance_warning,
        c.pmt_disc_tolerance_warning, c.payment_tolerance_posting,
        c.pmt_disc_tolerance_posting, c.version)


def _company(s: Session, lock: bool = False) -> Company:
    stmt = select(Company).where(Company.id == 1)
    company = s.exec(stmt.with_for_update() if lock else stmt).first()
    if company is None:
        raise NotFoundError(N_("This database has no company yet: run 'lettrage init' or "
                            "'lettrage demo' first"))
    return company


def _check_version(s: Session, c: Company, version: int | None) -> None:
    if version is not None and c.version != version:
        raise conflict(s, Text(N_("The application setup")), [(SETUP_ENTITY, 1)],
                       hint=N_("reopen the setup to see their change, then edit again"))


def parse_pct(value: Decimal | str) -> Decimal:
    """A payment tolerance percentage, 0 to 100 (BC's range), at most 5 decimals."""
    try:
        pct = Decimal(str(value).strip().rstrip("%").strip())
    except InvalidOperation:
        raise LettrageError(N_("Payment Tolerance % '{value}' is not a number such as 0.5"),
                            value=value) from None
    if not pct.is_finite() or not ZERO <= pct <= 100:
        raise LettrageError(N_("Payment Tolerance % must be between 0 and 100, not {value}"),
                            value=value)
    if pct != pct.quantize(Decimal("0.00001")):
        raise LettrageError(N_("Payment Tolerance % {value} has more than 5 decimals"), value=value)
    return plain(pct) if pct else ZERO


def entry_tolerance(e: LedgerEntry, party: Party | None, pct: Decimal,
                    max_amount: Decimal) -> int:
    """The Max. Payment Tolerance (minor units) an open entry should carry."""
    if party is None or party.block_payment_tolerance or \
            e.document_type not in TOLERANCE_DOC_TYPES:
        return 0
    return to_minor(max_payment_tolerance(from_minor(e.amount), pct, max_amount))


class ToleranceService:
    """Application setup and the Change Payment Tolerance batch job."""

    def __init__(self, store: Store, user: str | None = None) -> None:
        self.store = store
        self.user = user or os_user()

    def setup(self) -> ApplicationSetupView:
        with self.store.read() as s:
            return _view(_company(s))

    def update_setup(self, version: int | None, changes: SetupChanges) -> SetupSaved:
        """Save ``changes`` if nobody changed the setup since ``version``. A new grace
        period moves the Pmt. Disc. Tolerance Date of the open entries."""
        _validate(changes)
        with self.store.write() as s:
            c = _company(s, lock=True)
            _check_version(s, c, version)
            before = audit.snapshot(c, SETUP_FIELDS)
            grace_before = c.pmt_disc_grace_days
            for f in fields(changes):
                value = getattr(changes, f.name)
                if value is not None:
                    setattr(c, f.name, value)
            moved = 0
            if c.pmt_disc_grace_days != grace_before:
                moved = _regrace(s, c.pmt_disc_grace_days)
            changed = audit.diff(before, audit.snapshot(c, SETUP_FIELDS))
            if changed:
                audit.record(s, user=self.user, action="update", entity=SETUP_ENTITY, key=1,
                             changes=changed,
                             note=audit.message(N_("{moved} open entries' tolerance date moved"),
                                                moved=moved) if moved else "")
            c.version += 1
            s.add(c)
            s.flush()
            message = _("Application setup saved.")
            if moved:
                message += (_(" The payment discount tolerance date of {moved:,} open entries "
                              "now follows the new grace period.").format(moved=moved))
            return SetupSaved(_view(c), moved, message)

    def change_payment_tolerance(self, pct: Decimal | str, max_amount: Decimal | str,
                                 currency: str = "", *, version: int | None = None
                                 ) -> ToleranceChanged:
        """BC's Change Payment Tolerance: set Payment Tolerance % and Max. Payment
        Tolerance Amount and recalculate Max. Payment Tolerance on every open invoice
        and credit memo in that currency (parties with Block Payment Tolerance: 0)."""
        new_pct = parse_pct(pct)
        try:
            new_max = check_amount(Decimal(str(max_amount).strip() or "0"))
        except InvalidOperation:
            raise LettrageError(N_("Max. Payment Tolerance Amount '{max_amount}' is not an "
                                   "amount such as 5.00"), max_amount=max_amount) from None
        if new_max < 0:
            raise LettrageError(N_("Max. Payment Tolerance Amount must not be negative"))
        if money(new_max) != new_max:
            raise LettrageError(N_("Max. Payment Tolerance Amount {max_amount} has more "
                                   "decimals than the currency allows (2); nothing was "
                                   "changed"), max_amount=max_amount)
        new_max = money(new_max)
        with self.store.write() as s:
            c = _company(s, lock=True)
            _check_version(s, c, version)
            before = audit.snapshot(c, SETUP_FIELDS)
            if currency.strip() and currency.strip().upper() != c.currency:
                raise LettrageError(
                    N_("Currency {currency}: only the company currency {currency2} is "
                       "supported (foreign-currency entries cannot be posted here); leave the "
                       "currency blank."), currency=currency.upper(), currency2=c.currency)
            c.payment_tolerance_pct = str(new_pct)
            c.max_payment_tolerance = to_minor(new_max)
            c.version += 1
            s.add(c)
            updated, checked, blocked = _recalc(s, c, new_pct, new_max, None)
            audit.record(s, user=self.user, action="change_payment_tolerance",
                         entity=SETUP_ENTITY, key=1,
                         changes=audit.diff(before, audit.snapshot(c, SETUP_FIELDS)),
                         note=audit.message(N_("{checked} open entries recalculated, {updated} "
                                               "changed"), checked=checked, updated=updated))
            s.flush()
        message = (_("Payment tolerance set to {new_pct} % (max. {new_max}); Max. Payment "
                     "Tolerance recalculated on {checked:,} open entries, {updated:,} "
                     "changed.").format(
                       new_pct=new_pct, new_max=new_max, checked=checked, updated=updated))
        if blocked:
            message += _(" {blocked} parties block payment tolerance: their entries keep "
                         "0.").format(
                           blocked=blocked)
        return ToleranceChanged(new_pct, new_max, updated, checked, blocked, message)


def recalc_party_tolerance(s: Session, party: Party) -> int:
    """After Block Payment Tolerance changed on ``party``: remove (blocked) or restore
    (unblocked) the Max. Payment Tolerance of its open entries. Returns how many
    entries changed."""
    c = _company(s)
    updated, _checked, _blocked = _recalc(s, c, Decimal(c.payment_tolerance_pct),
                                          from_minor(c.max_payment_tolerance), party)
    return updated


def _entries() -> type[LedgerEntry]:
    """The ledger entry table, imported when entries are recalculated: showing the
    setup defines only the company table (``lettrage setup show`` starts faster)."""
    return importlib.import_module("core.ledger.models").LedgerEntry  # type: ignore[no-any-return]


def _parties() -> type[Party]:
    return importlib.import_module("core.ledger.models").Party  # type: ignore[no-any-return]


def _open_entries(s: Session, party: Party | None) -> Iterable[LedgerEntry]:
    le = _entries()
    stmt = select(le).where(
        le.open == True,  # noqa: E712
        col(le.document_type).in_(TOLERANCE_DOC_TYPES))
    if party is not None:
        stmt = stmt.where(le.party_type == party.party_type, le.party_no == party.no)
    return s.exec(stmt.order_by(col(le.entry_no)).with_for_update()).all()


def _recalc(s: Session, c: Company, pct: Decimal, max_amount: Decimal,
            party: Party | None) -> tuple[int, int, int]:
    parties: dict[tuple[str, str], Party | None] = {}
    if party is not None:
        parties[(party.party_type, party.no)] = party
    updated = checked = 0
    for e in _open_entries(s, party):
        if e.currency and e.currency != c.currency:
            continue
        checked += 1
        key = (e.party_type, e.party_no)
        if key not in parties:
            parties[key] = s.get(_parties(), key)
        value = entry_tolerance(e, parties[key], pct, max_amount)
        if value != e.max_payment_tolerance:
            e.max_payment_tolerance = value
            e.version += 1
            updated += 1
    blocked = sum(1 for p in parties.values() if p is not None and p.block_payment_tolerance)
    return updated, checked, blocked


def _regrace(s: Session, grace_days: int) -> int:
    moved = 0
    le = _entries()
    rows = s.exec(select(le).where(
        le.open == True,  # noqa: E712
        col(le.pmt_discount_date).is_not(None))
        .order_by(col(le.entry_no)).with_for_update()).all()
    for e in rows:
        assert e.pmt_discount_date is not None
        day = e.pmt_discount_date
        if grace_days and day != e.document_date:
            day = day + timedelta(days=grace_days)
        if e.pmt_disc_tolerance_date != day:
            e.pmt_disc_tolerance_date = day
            e.version += 1
            moved += 1
    return moved


def _validate(c: SetupChanges) -> None:
    if c.pmt_disc_grace_days is not None and not 0 <= c.pmt_disc_grace_days <= MAX_GRACE_DAYS:
        raise LettrageError(N_("Payment Discount Grace Period must be 0 to {MAX_GRACE_DAYS} "
                               "days, not {pmt_disc_grace_days}"),
                            MAX_GRACE_DAYS=MAX_GRACE_DAYS,
                            pmt_disc_grace_days=c.pmt_disc_grace_days)
    for name in ("payment_tolerance_posting", "pmt_disc_tolerance_posting"):
        value = getattr(c, name)
        if value is not None and value not in POSTING_OPTIONS:
            raise LettrageError(N_("{setting} must be one of {options}, not '{value}'"),
                                setting=name.replace("_", " ").capitalize(),
                                options=", ".join(POSTING_OPTIONS), value=value)
