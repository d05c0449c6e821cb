"""Imports every table module so ``SQLModel.metadata`` holds the whole schema, and the
posting hooks (check ledger entries, the audit trail of postings). The store imports
this module before its first write (``data.engine.SqlStore.write``)."""

import core.audit.models
import core.audit.postings  # postings, applications, unapplies, reversals in the trail
import core.bank_reconciliation.models
import core.collections.models
import core.direct_debit.models  # SEPA direct debit (#20)
import core.feed.models
import core.ledger.bank_statements
import core.ledger.load_ledger
import core.ledger.models
import core.prediction.models  # late payment prediction (#22)
import core.reconciliation.models
import core.registration.models  # registration
from core.bank_reconciliation import checks as _bank_checks

_bank_checks.register()  # the check ledger entries of postings with a payment method

__all__ = ["core"]
