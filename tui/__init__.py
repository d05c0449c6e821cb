"""Lettrage terminal app shell and command line."""
