"""Bank Account Reconciliation (bc-spec §6): statement lines matched to the bank ledger."""
