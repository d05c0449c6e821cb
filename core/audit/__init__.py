"""Audit trail, journal claims and the conflict messages built from them."""
