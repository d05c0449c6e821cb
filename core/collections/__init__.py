"""Collecting what is overdue: reminders and finance charge memos (bc-spec §9.1-§9.3)."""
