"""Applying entries: Apply Entries, cash receipt and payment journals, tolerances."""
