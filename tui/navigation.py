"""Where each named destination of the home screen and the command palette leads."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from core.i18n import N_
from screens.application.cash_journal import CashReceiptJournalScreen
from screens.application.setup import ApplicationSetupScreen
from screens.audit.trail import AuditTrailScreen
from screens.bank_reconciliation.lists import BankRecListScreen
from screens.collections.documents import CollectionsListScreen
from screens.collections.setup import TermsSetupScreen
from screens.direct_debit.collections import DDCollectionsScreen
from screens.direct_debit.mandates import MandatesScreen
from screens.ledger.bank_entries import BankEntriesScreen
from screens.ledger.chart_of_accounts import ChartOfAccountsScreen
from screens.ledger.gl_entries import GLEntriesScreen
from screens.ledger.ledger_entries import LedgerEntriesScreen
from screens.ledger.party_list import PartyListScreen
from screens.ledger.registers import RegistersScreen
from screens.prediction.predictions import PredictionsScreen
from screens.reconciliation.bank_accounts import BankAccountsScreen
from screens.reconciliation.journal import ReconciliationJournalScreen
from screens.reconciliation.mappings import TextMappingsScreen
from screens.reconciliation.match_settings import MatchSettingsScreen
from screens.reconciliation.rules import ApplicationRulesScreen
from screens.registration.payment_registration import PaymentRegistrationScreen
from screens.registration.sales_documents import SalesDocumentsScreen
from screens.registration.setup_screens import PaymentMethodsScreen
from screens.reports.aging import AgingScreen
from screens.reports.cash import CashPictureScreen
from tui.context import Context

DESTINATIONS = {
    "customers": N_("Customers"), "vendors": N_("Vendors"),
    "entries": N_("Customer Ledger Entries"), "vendor_entries": N_("Vendor Ledger Entries"),
    "receivables": N_("Open receivables (customer entries, open only)"),
    "overdue": N_("Overdue receivables"), "payables": N_("Open payables (vendor entries)"),
    "gl": N_("General Ledger Entries"), "chart": N_("Chart of Accounts"),
    "banks": N_("Bank Accounts"), "bank_entries": N_("Bank Account Ledger Entries"),
    "registers": N_("Registers"),
    "payment_rules": N_("Payment Application Rules"),
    "match_settings": N_("Payment Application Settings (matching)"),
    "text_mappings": N_("Text-to-Account Mappings"),
    "cash_receipts": N_("Cash Receipt Journal"), "payment_journal": N_("Payment Journal"),
    "application_setup": N_("Application Setup (payment discount and tolerance)"),
    "audit": N_("Audit Trail (who changed what)"),
    "bank_recs": N_("Bank Account Reconciliations"),
    "predicted_late": N_("Payments Predicted to be Late (why, expected date)"),
    # registration (issue #17)
    "registration": N_("Payment Registration (register customer payments)"),
    "sales_documents": N_("Sales Invoices and Credit Memos (unposted)"),
    "payment_methods": N_("Payment Methods"),
    # collections (#18)
    "reminders": N_("Reminders"), "issued_reminders": N_("Issued Reminders"),
    "finance_charges": N_("Finance Charge Memos"),
    "issued_finance_charges": N_("Issued Finance Charge Memos"),
    "collections_terms": N_("Reminder and Finance Charge Terms"),
    # SEPA direct debit (#20)
    "dd_collections": N_("Direct Debit Collections (SEPA)"),
    "dd_mandates": N_("SEPA Direct Debit Mandates"),
    # reports (#19)
    "aging": N_("Aged Accounts Receivable (chart, entries, statements)"),
    "aged_payables": N_("Aged Accounts Payable"),
    "cash": N_("Cash Picture (due and received per week)"),
}

REGISTRATION = {"registration": PaymentRegistrationScreen,
                "sales_documents": SalesDocumentsScreen,
                "payment_methods": PaymentMethodsScreen}


def screen_for(ctx: Context, target: str, **params: Any) -> Screen[None] | None:
    """The screen a destination name opens (``bank:NO`` opens that bank's open entries,
    ``journal`` the reconciliation journal of ``params['bank_no']``)."""
    if target == "journal":
        return ReconciliationJournalScreen(ctx, **params)
    if target.startswith("bank:"):
        return BankEntriesScreen(ctx, target[5:], open_only=True)
    if target in REGISTRATION:  # registration (issue #17)
        return REGISTRATION[target](ctx)
    factories = {
        "customers": lambda: PartyListScreen(ctx, "customer"),
        "vendors": lambda: PartyListScreen(ctx, "vendor"),
        "entries": lambda: LedgerEntriesScreen(ctx, "customer"),
        "vendor_entries": lambda: LedgerEntriesScreen(ctx, "vendor"),
        "receivables": lambda: LedgerEntriesScreen(ctx, "customer", open_only=True),
        "overdue": lambda: LedgerEntriesScreen(ctx, "customer", overdue=True),
        "payables": lambda: LedgerEntriesScreen(ctx, "vendor", open_only=True),
        "gl": lambda: GLEntriesScreen(ctx),
        "chart": lambda: ChartOfAccountsScreen(ctx),
        "banks": lambda: BankAccountsScreen(ctx),
        "bank_entries": lambda: BankEntriesScreen(ctx),
        "registers": lambda: RegistersScreen(ctx),
        "payment_rules": lambda: ApplicationRulesScreen(ctx),
        "match_settings": lambda: MatchSettingsScreen(ctx),
        "text_mappings": lambda: TextMappingsScreen(ctx),
        "cash_receipts": lambda: CashReceiptJournalScreen(ctx, "cash_receipt"),
        "payment_journal": lambda: CashReceiptJournalScreen(ctx, "payment"),
        "application_setup": lambda: ApplicationSetupScreen(ctx),
        "audit": lambda: AuditTrailScreen(ctx),
        "bank_recs": lambda: BankRecListScreen(ctx),
        "predicted_late": lambda: PredictionsScreen(ctx),
        "reminders": lambda: CollectionsListScreen(ctx, "reminder"),
        "issued_reminders": lambda: CollectionsListScreen(ctx, "reminder", "issued"),
        "finance_charges": lambda: CollectionsListScreen(ctx, "finance_charge"),
        "issued_finance_charges": lambda: CollectionsListScreen(ctx, "finance_charge",
                                                                "issued"),
        "collections_terms": lambda: TermsSetupScreen(ctx),
        "dd_collections": lambda: DDCollectionsScreen(ctx),
        "dd_mandates": lambda: MandatesScreen(ctx),
        "aging": lambda: AgingScreen(ctx), "cash": lambda: CashPictureScreen(ctx),
        "aged_payables": lambda: AgingScreen(ctx, vendors=True),
    }
    factory = factories.get(target)
    return factory() if factory else None
