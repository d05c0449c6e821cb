"""Matching setup of the Payment Reconciliation Journal: the payment application rules
(bc-spec §3.1-3.2), the application settings (§3.3), the bank accounts' match tolerance
and the text-to-account mappings (§4).

``load_rules`` and ``match_settings`` are what Apply Automatically reads, so an edit
here changes the next run. ``MatchingSetupService`` edits them: one unit of work per
change, each change written to the audit trail in the same transaction. The rule and
mapping tables have no version column, so an edit carries the values the clerk saw
(``before``) and is refused with ``ConflictError`` when the stored row differs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from core.audit import trail as audit
from core.i18n import N_, _
from core.kernel.errors import ConflictError, LettrageError, NotFoundError
from core.kernel.store import Store
from core.kernel.users import os_user
from core.ledger.models import BankAccount
from core.matching import MatchRule, MatchSettings, default_rules
from core.reconciliation.index import settings_for
from core.reconciliation.mappings import MAPPING_ENTITY as MAPPING_ENTITY  # re-exported
from core.reconciliation.mappings import MAPPING_SOURCE_LABELS as MAPPING_SOURCE_LABELS
from core.reconciliation.mappings import TextMappingEdits
from core.reconciliation.models import (
    PaymentApplicationRule,
    PaymentApplicationSettings,
)

RULE_ENTITY = "payment_application_rule"
SETTINGS_ENTITY = "payment_application_settings"
BANK_ENTITY = "bank_account"

# value -> BC caption, in BC's option order (the first is the default of a new rule)
CONFIDENCE_LABELS = {"high": N_("High"), "medium": N_("Medium"), "low": N_("Low")}
PARTY_LABELS = {"not_considered": N_("Not Considered"), "fully": N_("Fully"),
                "partially": N_("Partially"), "no": N_("No")}
DOC_LABELS = {"not_considered": N_("Not Considered"), "yes": N_("Yes"),
              "yes_multiple": N_("Yes - Multiple"), "no": N_("No")}
AMOUNT_LABELS = {"not_considered": N_("Not Considered"), "one": N_("One Match"),
                 "multiple": N_("Multiple Matches"), "none": N_("No Matches")}
DD_LABELS = {"not_considered": N_("Not Considered"), "yes": N_("Yes"), "no": N_("No")}
NAME_MATCHING_LABELS = {"string_nearness": N_("String Nearness"),
                        "exact_with_permutations": N_("Exact Match with Permutations"),
                        "disabled": N_("Disabled")}
TOLERANCE_LABELS = {"amount": N_("Amount"), "percentage": N_("Percentage")}
RULE_FIELDS: Mapping[str, Mapping[str, str]] = {
    "confidence": CONFIDENCE_LABELS, "related_party": PARTY_LABELS, "doc_no": DOC_LABELS,
    "amount": AMOUNT_LABELS, "direct_debit": DD_LABELS}
MAX_PRIORITY = 999


@dataclass(frozen=True)
class ApplicationSettings:
    """Bank Pmt. Appl. Settings (§3.3) as stored; ``version`` guards concurrent edits."""

    customer_matching: bool = True
    vendor_matching: bool = True
    bank_ledger_matching: bool = True
    name_matching: str = "string_nearness"
    bank_closing_doc_no_match: bool = False
    apply_immediately: bool = False
    apply_underpayments: bool = True
    apply_overpayments: bool = True
    complete_lumps: bool = True
    version: int = 0  # 0: never saved (the defaults)


@dataclass(frozen=True)
class ToleranceView:
    """A bank account's match tolerance (§3.4 amount incl. tolerance)."""

    bank_account_no: str
    bank_account_name: str
    tolerance_type: str  # amount | percentage
    tolerance_value: Decimal
    version: int


_SETTING_FIELDS = ("customer_matching", "vendor_matching", "bank_ledger_matching",
                   "name_matching", "bank_closing_doc_no_match", "apply_immediately",
                   "apply_underpayments", "apply_overpayments", "complete_lumps")
_RULE_COLUMNS = ("match_confidence", "priority", "related_party", "doc_no", "amount",
                 "direct_debit", "review_required", "apply_immediately")


# --- what Apply Automatically reads ---------------------------------------------------------


def rule_label(rule: MatchRule) -> str:
    """'High P3': how BC names a rule (its key)."""
    return f"{_(CONFIDENCE_LABELS.get(rule.confidence, rule.confidence))} P{rule.priority}"


def _rule(row: PaymentApplicationRule) -> MatchRule:
    return MatchRule(confidence=row.match_confidence, priority=row.priority,  # type: ignore[arg-type]
                     related_party=row.related_party, doc_no=row.doc_no,  # type: ignore[arg-type]
                     amount=row.amount, direct_debit=row.direct_debit,  # type: ignore[arg-type]
                     review_required=row.review_required,
                     apply_immediately=row.apply_immediately)


def _rule_row(r: MatchRule) -> PaymentApplicationRule:
    return PaymentApplicationRule(
        match_confidence=r.confidence, priority=r.priority, related_party=r.related_party,
        doc_no=r.doc_no, amount=r.amount, direct_debit=r.direct_debit,
        review_required=r.review_required, apply_immediately=r.apply_immediately)


def _sorted(rules: Sequence[MatchRule]) -> list[MatchRule]:
    return sorted(rules, key=lambda r: -r.score)


def load_rules(s: Session, insert_defaults: bool = True) -> list[MatchRule]:
    """The rule table, best score first; BC inserts the defaults when it is empty."""
    rows = s.exec(select(PaymentApplicationRule)).all()
    if rows:
        return _sorted([_rule(r) for r in rows])
    defaults = list(default_rules())
    if insert_defaults:
        try:  # two clerks' first Apply Automatically at once (PostgreSQL): one inserts
            with s.begin_nested():
                for r in defaults:
                    s.add(_rule_row(r))
                s.flush()
        except IntegrityError:
            rows = s.exec(select(PaymentApplicationRule)).all()
            return _sorted([_rule(r) for r in rows])
    return _sorted(defaults)


def replace_rules(s: Session, rules: Sequence[MatchRule]) -> None:
    """Replace the whole table (no audit: callers that change rules for a clerk use
    ``MatchingSetupService``)."""
    for r in rules:
        validate_rule(r)
    for row in s.exec(select(PaymentApplicationRule)).all():
        s.delete(row)
    s.flush()
    for r in rules:
        s.add(_rule_row(r))
    s.flush()


def load_settings(s: Session) -> ApplicationSettings:
    row = s.get(PaymentApplicationSettings, 1)
    if row is None:
        return ApplicationSettings()
    return ApplicationSettings(**{f: getattr(row, f) for f in _SETTING_FIELDS},
                               version=row.version)


def match_settings(s: Session, bank: BankAccount) -> MatchSettings:
    """The engine's settings: the bank's tolerance plus the stored §3.3 settings (every
    stored setting is a ``MatchSettings`` field; a test keeps it so)."""
    stored = load_settings(s)
    values: dict[str, Any] = {f: getattr(stored, f) for f in _SETTING_FIELDS}
    return replace(settings_for(bank), **values)


# --- validation -----------------------------------------------------------------------------


def validate_rule(rule: MatchRule) -> None:
    """BC's field checks: a known value in every field, priority 1..999."""
    if not 1 <= rule.priority <= MAX_PRIORITY:
        raise LettrageError(N_("The Priority you entered is invalid. The Priority must be "
                               "between 1 and {MAX_PRIORITY}."), MAX_PRIORITY=MAX_PRIORITY)
    for name, labels in RULE_FIELDS.items():
        if getattr(rule, name) not in labels:
            raise LettrageError(N_("'{value}' is not a valid {kind} (choose one of "
                                   "{values})."),
                                value=getattr(rule, name), kind=name.replace('_', ' '),
                                values=', '.join(labels.values()))


def _validate_settings(new: ApplicationSettings) -> None:
    if new.name_matching not in NAME_MATCHING_LABELS:
        raise LettrageError(N_("'{name_matching}' is not a related-party name matching (choose "
                               "one of {values})."),
                            name_matching=new.name_matching,
                            values=", ".join(_(v) for v in NAME_MATCHING_LABELS.values()))


def parse_tolerance(kind: str, value: Decimal | str) -> Decimal:
    """The tolerance value, checked: not negative, a percentage at most 100."""
    if kind not in TOLERANCE_LABELS:
        raise LettrageError(N_("'{kind}' is not a tolerance type (Amount or Percentage)."),
                            kind=kind)
    try:
        number = Decimal(str(value).strip() or "0")
    except InvalidOperation:
        raise LettrageError(N_("'{value}' is not a number."), value=value) from None
    if not number.is_finite() or number < 0:
        raise LettrageError(N_("The match tolerance cannot be negative."))
    if kind == "percentage" and number > 100:
        raise LettrageError(N_("A percentage tolerance cannot exceed 100."))
    return number.quantize(Decimal("0.01"))


# --- the service ----------------------------------------------------------------------------


def _rule_values(rule: MatchRule) -> dict[str, Any]:
    return audit.snapshot(_rule_row(rule), _RULE_COLUMNS)


class MatchingSetupService(TextMappingEdits):
    """Payment application rules, settings, bank match tolerances and text mappings."""

    def __init__(self, store: Store, user: str | None = None) -> None:
        self.store = store
        self.user = user or os_user()

    # --- rules ----------------------------------------------------------------------------

    def rules(self) -> list[MatchRule]:
        """The rule table, best score first (the defaults inserted when empty)."""
        with self.store.write() as s:
            return load_rules(s)

    def add_rule(self, rule: MatchRule) -> MatchRule:
        validate_rule(rule)
        with self.store.write() as s:
            load_rules(s)
            self._refuse_duplicate(s, rule)
            s.add(_rule_row(rule))
            self._flush(s, rule)
            self._audit(s, "insert", rule, {k: (None, v) for k, v in _rule_values(rule).items()})
        return rule

    def update_rule(self, before: MatchRule, after: MatchRule) -> MatchRule:
        """Change the rule the clerk saw as ``before`` into ``after`` (its key too)."""
        validate_rule(after)
        with self.store.write() as s:
            row = self._locked_rule(s, before)
            if (after.confidence, after.priority) != (before.confidence, before.priority):
                self._refuse_duplicate(s, after)
                s.delete(row)
                s.flush()
                s.add(_rule_row(after))
            else:
                for name, value in _rule_values(after).items():
                    setattr(row, name, value)
            self._flush(s, after)
            changes = audit.diff(_rule_values(before), _rule_values(after))
            if changes:
                self._audit(s, "update", before, changes)
        return after

    def delete_rule(self, before: MatchRule) -> None:
        with self.store.write() as s:
            s.delete(self._locked_rule(s, before))
            self._audit(s, "delete", before,
                        {k: (v, None) for k, v in _rule_values(before).items()})

    def reset_rules(self, seen: Sequence[MatchRule] | None = None) -> list[MatchRule]:
        """BC's default table again; every rule that changes is audited. With ``seen``
        (the table the clerk looked at) a table changed meanwhile is refused."""
        defaults = list(default_rules())
        with self.store.write() as s:
            rows = list(s.exec(select(PaymentApplicationRule).with_for_update()).all())
            current = {(r.match_confidence, r.priority): _rule(r) for r in rows}
            if seen is not None and set(current.values()) != set(seen) and current:
                raise ConflictError(N_("The payment application rules were changed by "
                                    "someone else meanwhile; reload before resetting"))
            for row in rows:
                s.delete(row)
            s.flush()
            for r in defaults:
                s.add(_rule_row(r))
            s.flush()
            self._audit_reset(s, current, {(r.confidence, r.priority): r for r in defaults})
        return _sorted(defaults)

    def _audit_reset(self, s: Session, old: dict[tuple[str, int], MatchRule],
                     new: dict[tuple[str, int], MatchRule]) -> None:
        note = audit.message(N_("reset to the default rules"))
        for key in sorted(set(old) | set(new)):
            before, after = old.get(key), new.get(key)
            was = _rule_values(before) if before else {}
            now = _rule_values(after) if after else {}
            changes = audit.diff(was, now)
            if changes:
                action = "update" if before and after else ("insert" if after else "delete")
                rule = after or before
                assert rule is not None
                self._audit(s, action, rule, changes, note)

    def _locked_rule(self, s: Session, before: MatchRule) -> PaymentApplicationRule:
        row = s.exec(select(PaymentApplicationRule).where(
            PaymentApplicationRule.match_confidence == before.confidence,
            PaymentApplicationRule.priority == before.priority).with_for_update()).first()
        if row is None:
            raise ConflictError(N_("Payment application rule {rule_label} was deleted by "
                                   "someone else meanwhile; reload"),
                                rule_label=rule_label(before))
        if audit.snapshot(row, _RULE_COLUMNS) != _rule_values(before):
            raise ConflictError(N_("Payment application rule {rule_label} was changed by "
                                   "someone else meanwhile; reload"),
                                rule_label=rule_label(before))
        return row

    @staticmethod
    def _refuse_duplicate(s: Session, rule: MatchRule) -> None:
        if s.get(PaymentApplicationRule, (rule.confidence, rule.priority)) is not None:
            raise LettrageError(N_("There is already a rule {rule_label}: each match "
                                   "confidence and priority can be used once."),
                                rule_label=rule_label(rule))

    @staticmethod
    def _flush(s: Session, rule: MatchRule) -> None:
        try:
            s.flush()
        except IntegrityError:
            raise ConflictError(N_("Someone else added payment application rule {rule_label} "
                                   "meanwhile; reload"), rule_label=rule_label(rule)) from None

    def _audit(self, s: Session, action: str, rule: MatchRule,
               changes: Mapping[str, Any], note: str = "") -> None:
        audit.record(s, user=self.user, action=action, entity=RULE_ENTITY,
                     key=f"{rule.confidence}:{rule.priority}", changes=changes, note=note)

    # --- settings -------------------------------------------------------------------------

    def settings(self) -> ApplicationSettings:
        with self.store.read() as s:
            return load_settings(s)

    def save_settings(self, new: ApplicationSettings) -> ApplicationSettings:
        """Store ``new``; its ``version`` is the one the clerk saw (0: the defaults)."""
        _validate_settings(new)
        with self.store.write() as s:
            row = s.exec(select(PaymentApplicationSettings).with_for_update()).first()
            seen = row.version if row else 0
            if seen != new.version:
                raise ConflictError(N_("The payment application settings were changed by "
                                    "someone else meanwhile; reload"))
            before = audit.snapshot(row, _SETTING_FIELDS) if row else \
                {f: getattr(ApplicationSettings(), f) for f in _SETTING_FIELDS}
            if row is None:
                row = PaymentApplicationSettings(id=1, version=0)
                s.add(row)
            for name in _SETTING_FIELDS:
                setattr(row, name, getattr(new, name))
            row.version += 1
            try:
                s.flush()
            except IntegrityError:
                raise ConflictError(N_("Someone else saved the payment application settings "
                                    "meanwhile; reload")) from None
            changes = audit.diff(before, audit.snapshot(row, _SETTING_FIELDS))
            if changes:
                audit.record(s, user=self.user, action="update", entity=SETTINGS_ENTITY,
                             key=1, changes=changes)
            return load_settings(s)

    # --- bank match tolerance --------------------------------------------------------------

    def tolerance(self, bank_account_no: str) -> ToleranceView:
        with self.store.read() as s:
            return _tolerance_view(_bank(s, bank_account_no))

    def set_tolerance(self, bank_account_no: str, tolerance_type: str,
                      value: Decimal | str, version: int | None = None) -> ToleranceView:
        number = parse_tolerance(tolerance_type, value)
        with self.store.write() as s:
            bank = _bank(s, bank_account_no, lock=True)
            if version is not None and bank.version != version:
                raise ConflictError(N_("Bank account {no} was changed by someone else "
                                       "meanwhile; reload"), no=bank.no)
            fields_ = ("match_tolerance_type", "match_tolerance_value")
            before = audit.snapshot(bank, fields_)
            bank.match_tolerance_type, bank.match_tolerance_value = tolerance_type, str(number)
            changes = audit.diff(before, audit.snapshot(bank, fields_))
            if changes:
                bank.version += 1
                audit.record(s, user=self.user, action="update", entity=BANK_ENTITY,
                             key=bank.no, changes=changes)
            s.flush()
            return _tolerance_view(bank)



def _bank(s: Session, no: str, lock: bool = False) -> BankAccount:
    stmt = select(BankAccount).where(BankAccount.no == no)
    bank = s.exec(stmt.with_for_update() if lock else stmt).first()
    if bank is None:
        raise NotFoundError(N_("Bank account {no} does not exist"), no=no)
    return bank


def _tolerance_view(bank: BankAccount) -> ToleranceView:
    kind = bank.match_tolerance_type if bank.match_tolerance_type in TOLERANCE_LABELS \
        else "amount"
    return ToleranceView(bank.no, bank.name, kind,
                         Decimal(bank.match_tolerance_value or "0"), bank.version)
