"""Lettrage core: domain models, money, rules and services. No UI, no storage wiring."""
