"""Bank Account Reconciliation (bc-spec §6): statement lines matched to the bank ledger.

``core.tables`` registers the check ledger entry writer with the posting engine
(``core.ledger.poster.BANK_ENTRY_WRITERS``) with the tables, and the store imports
``core.tables`` before its first write, so every process that posts has it; importing
the package itself stays light (``lettrage check`` reads its invariants only).
"""
