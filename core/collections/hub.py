"""One handle on collections for screens and commands (``services.collections``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import text

from core.collections.automation import ReminderAutomation
from core.collections.documents import CollectionsDocuments
from core.collections.service import CollectionsService
from core.collections.setup import CollectionsSetupService
from core.documents.mail import SmtpSettings, load_settings
from core.kernel.store import Store


@dataclass(frozen=True)
class CustomerCollections:
    """What the customer card shows about collections."""

    reminder_terms_code: str
    fin_charge_terms_code: str
    language_code: str
    drafts: int
    issued: int
    last_level: int


class CollectionsHub:
    def __init__(self, store: Store, smtp_config: Path | None = None,
                 user: str | None = None) -> None:
        self.store = store
        self.smtp_config = smtp_config
        self.service = CollectionsService(store, user)
        self.documents = CollectionsDocuments(store, self.service)
        self.setup = CollectionsSetupService(store, user)
        self.automation = ReminderAutomation(self.service, self.documents)

    def smtp_settings(self, env: Any = None) -> SmtpSettings:
        return load_settings(self.smtp_config, env)

    def customer(self, no: str) -> CustomerCollections:
        with self.store.read() as s:
            row = s.execute(text(
                "SELECT reminder_terms_code, fin_charge_terms_code, language_code FROM party "
                "WHERE party_type = 'customer' AND no = :n"), {"n": no}).first()
            drafts = s.execute(text("SELECT COUNT(*) FROM collectiondocument "
                                    "WHERE customer_no = :n"), {"n": no}).scalar_one()
            issued = s.execute(text("SELECT COUNT(*) FROM issueddocument WHERE customer_no = :n "
                                    "AND canceled = :f"), {"n": no, "f": False}).scalar_one()
            level = s.execute(text(
                "SELECT COALESCE(MAX(last_issued_reminder_level), 0) FROM ledgerentry "
                "WHERE party_type = 'customer' AND party_no = :n AND open = :t"),
                {"n": no, "t": True}).scalar_one()
        codes = tuple(row) if row else ("", "", "")
        return CustomerCollections(str(codes[0]), str(codes[1]), str(codes[2]), int(drafts),
                                   int(issued), int(level))

    def overdue_customers(self, as_of: date) -> int:
        with self.store.read() as s:
            return int(s.execute(text(
                "SELECT COUNT(DISTINCT party_no) FROM ledgerentry WHERE party_type = 'customer' "
                "AND open = :t AND remaining_amount > 0 AND due_date < :d"),
                {"t": True, "d": as_of}).scalar_one())
