"""Payment reconciliation journal and its matching setup."""
