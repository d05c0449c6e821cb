"""Imports every table module so ``SQLModel.metadata`` holds the whole schema."""

import core.audit.models
import core.feed.models
import core.ledger.bank_statements
import core.ledger.models
import core.reconciliation.models

__all__ = ["core"]
