"""Customer documents out: a document model rendered to PDF and plain text, written to a
folder and sent by e-mail (reminders, finance charge memos, statements)."""
