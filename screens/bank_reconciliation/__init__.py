"""Bank account reconciliation screens (issue #21)."""
