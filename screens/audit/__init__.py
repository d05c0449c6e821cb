"""Audit trail screen."""
