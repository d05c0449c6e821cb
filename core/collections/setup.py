"""Collections setup: reminder terms and levels, additional fee rows, texts, finance
charge terms and rates, the customer's terms and language. Every change is validated
(a clear message naming the field) and written to the audit trail with the change."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlmodel import Session, SQLModel, col, select

from core.audit import trail as audit
from core.collections.defaults import add_defaults
from core.collections.models import (
    FEE_TYPES,
    INTEREST_METHODS,
    INTEREST_ON,
    AdditionalFeeSetup,
    CollectionText,
    FinanceChargeRate,
    FinanceChargeTerms,
    ReminderLevel,
    ReminderTerms,
)
from core.i18n import N_
from core.kernel import dateformula
from core.kernel.errors import LettrageError, NotFoundError
from core.kernel.money import AmountError, from_minor, parse_amount, to_minor
from core.kernel.store import Store
from core.kernel.users import os_user
from core.ledger.models import Party


@dataclass(frozen=True)
class Table:
    model: type[SQLModel]
    key: tuple[str, ...]
    label: str


TABLES: dict[str, Table] = {
    "reminder_terms": Table(ReminderTerms, ("code",), "Reminder terms"),
    "reminder_level": Table(ReminderLevel, ("terms_code", "no"), "Reminder level"),
    "fee_setup": Table(AdditionalFeeSetup, ("id",), "Additional fee setup"),
    "text": Table(CollectionText, ("id",), "Reminder text"),
    "finance_charge_terms": Table(FinanceChargeTerms, ("code",), "Finance charge terms"),
    "finance_charge_rate": Table(FinanceChargeRate, ("terms_code", "start_date"),
                                 "Finance charge interest rate"),
}
MONEY = {"minimum_amount", "additional_fee", "add_fee_per_line", "threshold", "fee_amount",
         "min_fee", "max_fee"}
FORMULAS = {"grace_period", "due_date_calculation"}
RATES = {"interest_rate", "fee_pct"}
CHOICES = {"fee_calculation_type": FEE_TYPES, "interest_method": INTEREST_METHODS,
           "interest_on": INTEREST_ON, "position": ("beginning", "ending")}
BOOLS = {"post_interest", "post_additional_fee", "post_add_fee_per_line", "calculate_interest",
         "charge_per_line"}
INTS = {"max_no_of_reminders", "no", "level_no", "interest_period_days", "line_no", "id"}


def _convert(entity: str, name: str, value: Any) -> Any:
    """A field's value as stored, or a LettrageError naming the field."""
    where = f"{TABLES[entity].label}, {name.replace('_', ' ')}"
    try:
        if name in MONEY:
            amount = value if isinstance(value, Decimal) else parse_amount(str(value))
            if amount < 0:
                raise LettrageError(N_("{where}: must not be negative ({amount})"), where=where,
                                    amount=amount)
            return to_minor(amount)
        if name in FORMULAS:
            return dateformula.validate(str(value or "0D"))
        if name in RATES:
            rate = Decimal(str(value))
            if rate < 0 or rate > 100:
                raise LettrageError(N_("{where}: must be between 0 and 100, not {rate}"),
                                    where=where, rate=rate)
            return str(rate)
        if name in CHOICES:
            if value not in CHOICES[name]:
                raise LettrageError(N_("{where}: '{value}' is not one of {join}"), where=where,
                                    value=value, join=', '.join(CHOICES[name]))
            return value
        if name in BOOLS:
            return value if isinstance(value, bool) else str(value).lower() in (
                "1", "true", "yes", "y", "on")
        if name in INTS:
            number = int(value)
            if number < 0 or (name == "interest_period_days" and number < 1) or (
                    name == "no" and number < 1):
                raise LettrageError(N_("{where}: {number} is out of range"), where=where,
                                    number=number)
            return number
        if name == "start_date":
            return value if isinstance(value, date) else date.fromisoformat(str(value))
    except (AmountError, InvalidOperation, ValueError) as exc:
        raise LettrageError(N_("{where}: '{value}' is not valid ({exc})"), where=where,
                            value=value, exc=exc) from None
    return "" if value is None else str(value)


def plain(row: SQLModel) -> dict[str, Any]:
    """A row as plain values (money as Decimal)."""
    return {k: from_minor(v) if k in MONEY else v for k, v in row.model_dump().items()}


class CollectionsSetupService:
    """Read and change the collections setup (audited)."""

    def __init__(self, store: Store, user: str | None = None) -> None:
        self.store = store
        self.user = user or os_user()

    def rows(self, entity: str, **where: Any) -> list[dict[str, Any]]:
        table = TABLES[entity]
        with self.store.read() as s:
            q = select(table.model)
            for k, v in where.items():
                q = q.where(getattr(table.model, k) == v)
            for k in table.key:
                q = q.order_by(col(getattr(table.model, k)))
            return [plain(r) for r in s.exec(q).all()]

    def save(self, entity: str, values: Mapping[str, Any]) -> dict[str, Any]:
        """Insert or update one row; returns it as plain values."""
        table = TABLES[entity]
        fields = set(table.model.model_fields) - {"version"}
        unknown = set(values) - fields
        if unknown:
            raise LettrageError(N_("{label}: unknown field(s) {join}"), label=table.label,
                                join=', '.join(sorted(unknown)))
        clean = {k: _convert(entity, k, v) for k, v in values.items()}
        with self.store.write() as s:
            self._check_refs(s, entity, clean)
            key = tuple(clean.get(k) for k in table.key)
            row = s.get(table.model, key) if all(k is not None for k in key) else None
            before = audit.snapshot(row) if row is not None else {}
            if row is None:
                row = table.model(**clean)
                s.add(row)
            else:
                for k, v in clean.items():
                    setattr(row, k, v)
                if hasattr(row, "version"):
                    row.version += 1  # type: ignore[attr-defined]
            s.flush()
            after = audit.snapshot(row)
            audit.record(s, user=self.user, action="insert" if not before else "modify",
                         entity=entity, key="/".join(str(after[k]) for k in table.key),
                         changes=audit.diff(before, after))
            return plain(row)

    @staticmethod
    def _check_refs(s: Session, entity: str, values: Mapping[str, Any]) -> None:
        code = values.get("terms_code")
        if entity in ("reminder_level", "fee_setup") and code is not None \
                and s.get(ReminderTerms, code) is None:
            raise NotFoundError(N_("Reminder terms {code} do not exist"), code=code)
        if entity == "finance_charge_rate" and code is not None \
                and s.get(FinanceChargeTerms, code) is None:
            raise NotFoundError(N_("Finance charge terms {code} do not exist"), code=code)
        for k in ("code", "terms_code"):
            if k in values and not str(values[k]).strip():
                raise LettrageError(N_("{label}: the {replace} must not be blank"),
                                    label=TABLES[entity].label, replace=k.replace('_', ' '))

    def delete(self, entity: str, key: tuple[Any, ...]) -> None:
        table = TABLES[entity]
        clean = tuple(_convert(entity, k, v) for k, v in zip(table.key, key, strict=True))
        with self.store.write() as s:
            row = s.get(table.model, clean)
            if row is None:
                raise NotFoundError(N_("{label} {join} does not exist"), label=table.label,
                                    join='/'.join(map(str, key)))
            if entity == "reminder_terms" and s.exec(select(ReminderLevel).where(
                    ReminderLevel.terms_code == clean[0])).first() is not None:
                raise LettrageError(N_("Reminder terms {value} still have levels; delete "
                                       "the levels first"), value=clean[0])
            before = audit.snapshot(row)
            s.delete(row)
            audit.record(s, user=self.user, action="delete", entity=entity,
                         key="/".join(map(str, clean)),
                         changes={k: (v, None) for k, v in before.items()})

    def set_customer(self, customer_no: str, *, reminder_terms_code: str | None = None,
                     fin_charge_terms_code: str | None = None,
                     language_code: str | None = None) -> None:
        """Set a customer's reminder terms, finance charge terms and language."""
        with self.store.write() as s:
            party = s.get(Party, ("customer", customer_no))
            if party is None:
                raise NotFoundError(N_("Customer {customer_no} does not exist"),
                                    customer_no=customer_no)
            if reminder_terms_code and s.get(ReminderTerms, reminder_terms_code) is None:
                raise NotFoundError(N_("Reminder terms {reminder_terms_code} do not exist"),
                                    reminder_terms_code=reminder_terms_code)
            if fin_charge_terms_code and s.get(FinanceChargeTerms,
                                               fin_charge_terms_code) is None:
                raise NotFoundError(N_("Finance charge terms {fin_charge_terms_code} do not "
                                       "exist"), fin_charge_terms_code=fin_charge_terms_code)
            fields = ("reminder_terms_code", "fin_charge_terms_code", "language_code")
            before = audit.snapshot(party, fields)
            for name, value in zip(fields, (reminder_terms_code, fin_charge_terms_code,
                                            language_code), strict=True):
                if value is not None:
                    setattr(party, name, value)
            party.version += 1
            audit.record(s, user=self.user, action="modify", entity="customer",
                         key=customer_no, changes=audit.diff(before,
                                                             audit.snapshot(party, fields)))

    def install_defaults(self) -> bool:
        """The French/EU default terms (once)."""
        with self.store.write() as s:
            added = add_defaults(s)
            if added:
                audit.record(s, user=self.user, action="insert", entity="reminder_terms",
                             key="defaults",
                             note=audit.message(N_("default collections terms installed")))
            return added
