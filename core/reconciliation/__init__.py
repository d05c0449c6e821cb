"""Payment reconciliation journal: import lines into a journal, apply them automatically
or by hand, post and reconcile."""
