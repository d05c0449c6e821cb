"""Test terms shared by the collections tests: T (two levels) and FC (1.5 % per 30 days,
ADB), customer C002 (net 30) using both."""

from __future__ import annotations

from core.collections.setup import CollectionsSetupService
from core.kernel.store import Store


def setup_terms(store: Store) -> None:
    setup = CollectionsSetupService(store, user="tester")
    setup.save("reminder_terms", {"code": "T", "description": "Test terms"})
    setup.save("reminder_level", {"terms_code": "T", "no": 1, "grace_period": "5D",
                                  "due_date_calculation": "14D", "additional_fee": "10"})
    setup.save("reminder_level", {"terms_code": "T", "no": 2, "grace_period": "7D",
                                  "due_date_calculation": "14D", "additional_fee": "20",
                                  "calculate_interest": True})
    setup.save("text", {"kind": "reminder", "terms_code": "T", "level_no": 1,
                        "position": "beginning", "text": "Level %8 on %1"})
    setup.save("text", {"kind": "reminder", "terms_code": "T", "level_no": 2,
                        "position": "ending", "text": "Pay %9 %7 by %2"})
    setup.save("finance_charge_terms", {"code": "FC", "interest_rate": "1.5",
                                        "interest_period_days": 30,
                                        "line_description": "Interest {days} days"})
    setup.set_customer("C002", reminder_terms_code="T", fin_charge_terms_code="FC")
