"""Reusable, screen-agnostic widgets."""
