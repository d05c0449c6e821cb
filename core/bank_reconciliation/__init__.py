"""Bank Account Reconciliation (bc-spec §6): statement lines matched to the bank ledger.

Importing the package registers the check ledger entry writer with the posting engine
(``core.posting.BANK_ENTRY_WRITERS``); ``core.tables`` imports it with the tables, so
every process that opens a company has it.
"""

from core.bank_reconciliation import checks as _checks

_checks.register()
