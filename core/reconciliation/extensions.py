"""Extension point of the payment reconciliation journal for capabilities built on it
(SEPA direct debit, #20).

An extension may claim statement lines before Apply Automatically (it applied them
itself: the matcher keeps them as they are, like Manual lines) and finish its own work
inside the posting transaction, after the lines are posted. The composition root passes
the extensions to ``ReconciliationService``; reconciliation never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from core.reconciliation.models import ReconJournal


@dataclass(frozen=True)
class ReconExtension:
    name: str
    # before matching: the ids of the journal's lines the extension applied itself
    claim_lines: Callable[[Session, ReconJournal], set[int]] | None = None
    # inside the posting transaction, after the lines are posted; gets the
    # ``core.reconciliation.post.PostRun`` (typed Any here: post.py imports this module)
    after_post: Callable[[Session, Any], None] | None = None
