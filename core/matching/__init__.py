"""Payment matching engine of the Payment Reconciliation Journal (pure core, no database).

Public API: the records in :mod:`core.matching.model`, :class:`MatchIndex`,
:func:`default_rules` and :func:`match_lines`.
"""

from core.matching.engine import match_lines
from core.matching.index import MatchIndex
from core.matching.model import (
    Alternative,
    Application,
    BankEntryRef,
    BankLine,
    DirectDebitRef,
    MatchRule,
    MatchSettings,
    OpenEntryRef,
    PartyRef,
    Proposal,
    TextMapping,
)
from core.matching.rules import default_rules

__all__ = [
    "Alternative", "Application", "BankEntryRef", "BankLine", "DirectDebitRef", "MatchIndex",
    "MatchRule", "MatchSettings", "OpenEntryRef", "PartyRef", "Proposal", "TextMapping",
    "default_rules", "match_lines",
]
