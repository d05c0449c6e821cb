"""Collections in the demo: the default French/EU terms on every customer, customers'
languages from their country, one entry on hold, and two earlier reminder runs (40 and
20 days before the demo's today) so today's run escalates: level 1 and 2 reminders
post nothing, level 3 charges the EUR 40 recovery fee and interest.
Built through the core services like the rest of the demo."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import text

from core.collections.defaults import FINANCE_TERMS, REMINDER_TERMS
from core.collections.hub import CollectionsHub
from core.kernel.store import Store

LANGUAGES = {"FR": "fr", "BE": "fr", "LU": "fr", "DE": "de", "AT": "de", "NL": "nl",
             "ES": "es", "IT": "it"}
STORY = 12  # the first customers are paid by the sample statements: no history for them


def build_collections_demo(store: Store, today: date) -> dict[str, int]:
    hub = CollectionsHub(store, user="demo")
    hub.setup.install_defaults()
    with store.write() as s:  # bulk: one statement per language instead of one per party
        s.execute(text("UPDATE party SET reminder_terms_code = :r, fin_charge_terms_code = :f "
                       "WHERE party_type = 'customer'"),
                  {"r": REMINDER_TERMS, "f": FINANCE_TERMS})
        for country, language in LANGUAGES.items():
            s.execute(text("UPDATE party SET language_code = :l WHERE party_type = 'customer' "
                           "AND country = :c"), {"l": language, "c": country})
        # one disputed invoice on hold (the oldest open one of a non-story customer)
        s.execute(text(
            "UPDATE ledgerentry SET on_hold = 'DSP' WHERE entry_no = (SELECT MIN(entry_no) "
            "FROM ledgerentry WHERE party_type = 'customer' AND open = :t AND amount > 0 "
            "AND party_no > :story)"), {"t": True, "story": f"C{STORY:05d}"})
    customers = _history_customers(store)
    issued = 0
    for days in (40, 20):
        created = hub.service.create("reminder", today - timedelta(days=days),
                                     customer_nos=customers, only_overdue=True).created
        done, _failed = hub.service.issue_many("reminder", created)
        issued += len(done)
    return {"reminders_issued": issued}


def _history_customers(store: Store) -> list[str]:
    with store.read() as s:
        rows = s.execute(text("SELECT no FROM party WHERE party_type = 'customer' AND no > :n "
                              "ORDER BY no"), {"n": f"C{STORY:05d}"}).all()
    return [str(r[0]) for r in rows]
