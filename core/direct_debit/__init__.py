"""SEPA direct debit (bc-spec §10): mandates, collections, pain.008 export, returns."""
