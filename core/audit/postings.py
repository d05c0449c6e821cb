"""Postings in the audit trail: every register the posting engine writes (a journal
posted, entries applied, an application unapplied, a transaction or register reversed)
gets one trail entry in the same session, so "who posted or undid what, when" is
answered without opening the registers.

Importing this module registers the writer with ``core.ledger.poster`` (as the bank
reconciliation registers its check entries); ``core.tables`` imports it with every
table, so each process that can post records its postings.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.audit import trail
from core.i18n import N_
from core.ledger.poster import REGISTER_OBSERVERS, Poster

# Source codes of the registers that undo or settle (the rest are postings).
ACTIONS = {"SALESAPPL": "apply", "PURCHAPPL": "apply", "UNAPPSALES": "unapply",
           "UNAPPPURCH": "unapply", "REVERSAL": "reverse"}
MAX_LISTED = 6


def listed(values: Iterable[object]) -> str:
    """``A, B, C`` without repeats, the first few and ``… (+n)`` for the rest."""
    unique = [str(v) for v in dict.fromkeys(values) if v not in ("", None)]
    shown = ", ".join(unique[:MAX_LISTED])
    return shown + (f" … (+{len(unique) - MAX_LISTED})" if len(unique) > MAX_LISTED else "")


def _note(poster: Poster, action: str) -> str:
    """What the register did, in the clerk's words (the register no. is the entry's
    record key)."""
    documents = listed([e.document_no for e in poster.gl_entries]
                       + [e.document_no for e in poster.ledger_entries]
                       + [e.document_no for e in poster.detailed_entries]
                       + [e.document_no for e in poster.bank_entries]) or "-"
    transactions = listed(poster.transaction_nos) or "-"
    if action in ("apply", "unapply"):
        parties = listed(f"{d.party_no}" for d in poster.detailed_entries)
        entries = listed(d.ledger_entry_no for d in poster.detailed_entries
                         if d.entry_type != "initial")
        text = (N_("Entries {entries} of {parties} applied (document {documents})")
                if action == "apply" else
                N_("Entries {entries} of {parties} unapplied (document {documents})"))
        return trail.message(text, entries=entries or "-",
                             parties=parties or "-", documents=documents)
    if action == "reverse":
        return trail.message(N_("Documents {documents} reversed (transactions "
                                "{transactions})"), documents=documents,
                             transactions=transactions)
    count = (len(poster.gl_entries) + len(poster.ledger_entries)
             + len(poster.bank_entries))
    source = poster.source_code + (f" {poster.journal_batch}" if poster.journal_batch else "")
    return trail.message(N_("{source}: documents {documents}, {count} entries, "
                            "transactions {transactions}"),
                         source=source, documents=documents, count=count,
                         transactions=transactions)


def record_register(poster: Poster, register_no: int) -> None:
    """One trail entry for the register just written (same session as the posting)."""
    action = ACTIONS.get(poster.source_code, "post")
    trail.record(poster.session, user=poster.user, action=action, entity="register",
                 key=register_no, note=_note(poster, action), at=poster.now)


if record_register not in REGISTER_OBSERVERS:
    REGISTER_OBSERVERS.append(record_register)
