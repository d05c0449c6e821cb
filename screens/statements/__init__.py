"""Bank statement import dialog."""
