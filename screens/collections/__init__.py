"""Screens of collections: reminders and finance charge memos, their cards, setup."""
