"""SEPA direct debit screens: mandates, collections and their entries (#20)."""
