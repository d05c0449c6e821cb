"""Paged read models for the screens and the command line."""
