"""Builders for the payment reconciliation tests: staged statement lines inserted
directly (as the statement import would stage them) and journal shortcuts."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from core.kernel.money import to_minor
from core.kernel.store import Store
from core.ledger.bank_statements import BankStatementLine, StatementImport
from core.reconciliation.service import ReconciliationService


@dataclass
class SL:
    """One bank line of a test statement."""

    amount: str
    text: str = ""
    day: date = date(2025, 1, 20)
    name: str = ""
    iban: str = ""
    reference: str = ""
    creditor_ref: str = ""
    documents: tuple[str, ...] = ()
    extra: dict[str, object] = field(default_factory=dict)


_counter = [0]


def stage(store: Store, lines: list[SL], bank: str = "BANK1",
          closing: str | None = None, closing_date: date | None = None) -> int:
    """Insert a StatementImport with its lines (status 'new'); returns the import id."""
    with store.write() as s:
        imp = StatementImport(
            bank_account_no=bank, file_name="test.xml", file_sha256="0" * 64, format="camt053",
            closing_balance=None if closing is None else to_minor(Decimal(closing)),
            closing_date=closing_date, imported_at=datetime.now(UTC), user_id="test")
        s.add(imp)
        s.flush()
        assert imp.id is not None
        for n, ln in enumerate(lines, start=1):
            _counter[0] += 1
            refs = ([{"kind": "creditor", "reference": ln.creditor_ref}] if ln.creditor_ref
                    else []) + [{"kind": "document", "reference": d} for d in ln.documents]
            s.add(BankStatementLine(
                bank_account_no=bank, import_id=imp.id, line_no=n, booking_date=ln.day,
                value_date=ln.day, amount=to_minor(Decimal(ln.amount)), currency="EUR",
                bank_reference=ln.reference or f"REF{_counter[0]:06d}",
                counterparty_name=ln.name, counterparty_iban=ln.iban, remittance=ln.text,
                references_json=json.dumps(refs), dedup_key=f"k{_counter[0]}",
                content_key=f"c{_counter[0]}", **ln.extra))  # type: ignore[arg-type]
        return imp.id


def service(store: Store) -> ReconciliationService:
    return ReconciliationService(store, user="clerk")


def auto(store: Store, lines: list[SL], bank: str = "BANK1", closing: str | None = None
         ) -> tuple[ReconciliationService, int]:
    """Stage the lines, open the journal and apply automatically; (service, journal id)."""
    stage(store, lines, bank, closing)
    svc = service(store)
    j = svc.open_journal(bank)
    svc.apply_automatically(j.id)
    return svc, j.id
