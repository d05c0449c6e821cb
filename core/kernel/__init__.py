"""Kernel shared by every capability: money, errors, the unit of work, date formulas."""
