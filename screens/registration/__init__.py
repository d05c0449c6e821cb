"""Screens of Payment Registration and sales documents (issue #17)."""
