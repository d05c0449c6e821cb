"""One Textual screen per journal, ledger, list and card."""
