"""Ledger screens: entries, registers, G/L, bank, parties."""
